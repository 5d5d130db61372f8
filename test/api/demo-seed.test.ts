import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../server/boot/start-app.js';
import { isValidInn } from '../../server/companies/is-valid-inn.js';
import { loadConfig } from '../../server/config/config.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { connectDatabase, type Database } from '../../server/db/connect-database.js';
import { channelAccountModel } from '../../server/channels/channel-account-model.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { seedDemoConversations } from '../../server/demo/seed-demo-conversations.js';
import { seedDemoWorkspace } from '../../server/demo/seed-demo-workspace.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import { noteModels } from '../../server/notes/note-models.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { createUser } from '../../server/users/create-user.js';
import { userModels } from '../../server/users/user-models.js';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

const SALES_STAGES = [
  'data-collection',
  'proposal-sent',
  'measurement-scheduled',
  'measurer-assigned',
  'measurement-done',
  'contract-signed',
  'won',
  'lost',
];

/** An empty database of its own (embedded store in a temp folder), for seeding by hand. */
async function emptyDatabase(): Promise<{ database: Database; close(): Promise<void> }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'demo-'));
  const database = await connectDatabase({ dataDir });
  return {
    database,
    async close() {
      await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function countAll(database: Database['mongoose']['connection']) {
  const names = [
    'users',
    'teams',
    'contacts',
    'companies',
    'deals',
    'tasks',
    'appointments',
    'payment_schedules',
    'conversations',
    'messages',
    'notes',
  ];
  const counts = await Promise.all(names.map((name) => database.collection(name).countDocuments()));
  return Object.fromEntries(names.map((name, i) => [name, counts[i]]));
}

describe('the demo workspace', () => {
  let api: TestApi;
  let manager: ApiClient;
  let pipelineIds: Record<string, string>;

  beforeAll(async () => {
    // Seeded by startApp on the empty store, exactly as `npm start` does it; the harness's own
    // test users are added after it.
    api = await startTestApi({ demoData: true });
    manager = await api.login('manager@demo.local', DEMO_PASSWORD);
    const pipelines = await manager.get('/pipelines');
    pipelineIds = Object.fromEntries(
      pipelines.body.items.map((pipeline: { systemKey: string; id: string }) => [pipeline.systemKey, pipeline.id]),
    );
  });
  afterAll(() => api?.close());

  it('should let every demo account sign in through the API with the password demo', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const client = await api.login(account.email, DEMO_PASSWORD);
      expect(client.user).toMatchObject({ email: account.email, role: account.role, name: account.name });
      expect(client.csrfToken).toEqual(expect.any(String));
      expect((await client.get('/auth/me')).status).toBe(200);
    }
  });

  it('should seed the funnels of seed 001 with clients, companies, deals, tasks, appointments and installments', async () => {
    expect(Object.keys(pipelineIds).sort()).toEqual(['deferred', 'installments', 'leads', 'sales']);
    const contacts = await manager.get('/contacts?limit=200');
    expect(contacts.body.items).toHaveLength(50);
    for (const contact of contacts.body.items) {
      expect(contact.name).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/);
      expect(contact.phones[0].e164).toMatch(/^\+79\d{9}$/);
      expect(contact.source).toEqual(expect.any(String));
    }
    expect(contacts.body.items.some((contact: { utm?: unknown }) => contact.utm)).toBe(true);
    expect(new Set(contacts.body.items.map((contact: { name: string }) => contact.name)).size).toBe(50);

    const companies = await manager.get('/companies?limit=200');
    expect(companies.body.items).toHaveLength(15);
    for (const company of companies.body.items) expect(isValidInn(company.inn)).toBe(true);
    const types = new Set(
      companies.body.items.map((company: { counterpartyType: string }) => company.counterpartyType),
    );
    expect([...types].sort()).toEqual(['agent', 'client', 'competitor', 'partner']);

    const sales = await manager.get(`/deals?pipelineId=${pipelineIds.sales}&limit=200`);
    const stages = new Set(sales.body.items.map((deal: { stageId: string }) => deal.stageId));
    expect([...stages].sort()).toEqual([...SALES_STAGES].sort());
    const won = sales.body.items.find((deal: { stageId: string }) => deal.stageId === 'won');
    expect(won.stageHistory.map((visit: { stageId: string }) => visit.stageId)).toEqual(SALES_STAGES.slice(0, 7));
    const entered = won.stageHistory.map((visit: { enteredAt: string }) => Date.parse(visit.enteredAt));
    expect(entered).toEqual([...entered].sort((a, b) => a - b));
    expect(entered[6] - entered[0]).toBeGreaterThan(24 * 3600_000);

    for (const key of ['leads', 'deferred', 'installments']) {
      const deals = await manager.get(`/deals?pipelineId=${pipelineIds[key]}&limit=200`);
      expect(deals.body.items.length, key).toBeGreaterThanOrEqual(3);
    }
    const schedules = await manager.get('/payment-schedules');
    expect(schedules.body.items.map((schedule: { status: string }) => schedule.status).sort()).toEqual([
      'on-track',
      'overdue',
      'paid',
    ]);
    const tasks = await manager.get('/tasks?limit=200');
    expect(tasks.body.items.length).toBeGreaterThanOrEqual(20);
    expect(tasks.body.items.some((task: { kind: string }) => task.kind === 'measurement')).toBe(true);
    expect((await manager.get('/tasks?overdue=true')).body.items.length).toBeGreaterThan(0);
    expect((await manager.get('/appointments')).body.items.length).toBeGreaterThanOrEqual(3);
  });

  it('should let the operator list contacts and find one by a phone written another way', async () => {
    const operator = await api.login('operator@demo.local', DEMO_PASSWORD);
    const list = await operator.get('/contacts?limit=200');
    expect(list.status).toBe(200);
    // The operator works in the sales team, which every demo client belongs to.
    expect(list.body.items.length).toBe(50);
    const contact = list.body.items[7];
    const national = contact.phones[0].e164.slice(2);
    const spelled = `8 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
    expect(contact.phones[0].raw).not.toBe(spelled);
    const found = await operator.get(`/contacts?q=${encodeURIComponent(spelled)}`);
    expect(found.body.items.map((item: { id: string }) => item.id)).toEqual([contact.id]);
    const bySurname = await operator.get(`/contacts?q=${encodeURIComponent(contact.name.split(' ')[1])}`);
    expect(bySurname.body.items.map((item: { id: string }) => item.id)).toContain(contact.id);
  });

  it('should let the operator move one of their deals and convert a qualified lead', async () => {
    const operator = await api.login('operator@demo.local', DEMO_PASSWORD);
    const own = await operator.get(`/deals?pipelineId=${pipelineIds.sales}&stageId=proposal-sent`);
    const deal = own.body.items[0];
    expect(deal.ownerId).toBe(operator.user!.id);
    const moved = await operator.post(`/deals/${deal.id}/move`, { stageId: 'measurement-scheduled' });
    expect(moved.status).toBe(200);
    expect(moved.body.stageId).toBe('measurement-scheduled');
    expect(moved.body.stageHistory.at(-1).movedBy).toEqual({ kind: 'user', id: operator.user!.id });

    const leads = await operator.get(`/deals?pipelineId=${pipelineIds.leads}&stageId=qualified`);
    const lead = leads.body.items[0];
    expect(lead.ownerId).toBe(operator.user!.id);
    const converted = await operator.post(`/leads/${lead.id}/convert`, {
      pipelineId: pipelineIds.sales,
      contact: { name: 'Людмила Ершова', phones: ['8 916 555-12-34'] },
    });
    expect(converted.status).toBe(200);
    expect(converted.body.lead).toMatchObject({ stageId: 'converted', status: 'won' });
    expect(converted.body.deal).toMatchObject({ pipelineId: pipelineIds.sales, stageId: 'data-collection' });
    expect(converted.body.contact.phones[0].e164).toBe('+79165551234');
  });

  it('should seed the site chats of nineteen clients in every state of the inbox', async () => {
    const operator = await api.login('operator@demo.local', DEMO_PASSWORD);
    interface Row {
      id: string;
      contactId: string;
      channel: string;
      status: string;
      handler: string;
      assigneeId?: string;
      unreadCount: number;
      lastMessageAt: string;
      lastInboundAt?: string;
      lastMessage: { direction: string; preview: string };
      contactName: string;
    }
    // The account's team is the sales team, the operator's: every chat is in the operator's inbox.
    // The demo's Telegram chats are there too (their own test below); these are the site's.
    const everything: Row[] = (await operator.get('/conversations?limit=100')).body.items;
    expect(new Set(everything.map((row) => row.channel))).toEqual(new Set(['webchat', 'telegram']));
    const all = everything.filter((row) => row.channel === 'webchat');
    expect(all).toHaveLength(19);
    expect(new Set(all.map((row) => row.contactId)).size).toBe(19);
    const count = (rows: Row[], key: keyof Row) =>
      rows.reduce<Record<string, number>>((tally, row) => {
        const value = String(row[key] ?? '-');
        return { ...tally, [value]: (tally[value] ?? 0) + 1 };
      }, {});
    expect(count(all, 'status')).toEqual({ open: 10, pending: 2, snoozed: 2, resolved: 5 });
    expect(count(all, 'handler')).toEqual({ human: 17, bot: 2 });
    const byAssignee = count(
      all.map((row) => ({
        ...row,
        assigneeId:
          row.assigneeId === operator.user!.id
            ? 'operator'
            : row.assigneeId === manager.user!.id
              ? 'manager'
              : row.assigneeId,
      })),
      'assigneeId',
    );
    expect(byAssignee).toEqual({ operator: 10, manager: 3, '-': 6 });

    // The operator's own open chats: new messages waiting in four of five.
    const mine: Row[] = (await operator.get('/conversations?assignee=me&status=open')).body.items.filter(
      (row: Row) => row.channel === 'webchat',
    );
    expect(mine.map((row) => row.unreadCount).sort()).toEqual([0, 1, 1, 2, 3]);
    const queue: Row[] = (await operator.get('/conversations?assignee=unassigned&status=open')).body.items.filter(
      (row: Row) => row.channel === 'webchat',
    );
    expect(queue.map((row) => row.unreadCount).sort()).toEqual([1, 2, 2, 3, 3]);
    expect(queue.filter((row) => row.handler === 'bot')).toHaveLength(1);
    for (const row of all.filter((candidate) => candidate.status !== 'open')) expect(row.unreadCount).toBe(0);
    for (const row of all.filter((candidate) => candidate.status === 'snoozed'))
      expect(Date.parse((await operator.get(`/conversations/${row.id}`)).body.snoozedUntil)).toBeGreaterThan(
        Date.now(),
      );

    const account = await channelAccountModel(api.db).findOne({ type: 'webchat' }).lean();
    const conversations = await conversationModel(api.db).find({ channel: 'webchat' }).lean();
    expect(conversations.every((conversation) => conversation.channelAccountId.equals(account!._id))).toBe(true);
    const messages = await messageModel(api.db).find({ channel: 'webchat' }).sort({ _id: 1 }).lean();
    expect(messages).toHaveLength(79);
    expect(await noteModels(api.db).Note.countDocuments({ conversationId: { $exists: true } })).toBe(4);
    for (const conversation of conversations) {
      // The visitor id is the chat and the contact's webchat identity on this account, as ingest links it.
      const contact = await contactModels(api.db).Contact.findById(conversation.contactId).lean();
      expect(contact!.identities).toContainEqual(
        expect.objectContaining({
          channel: 'webchat',
          accountId: String(account!._id),
          externalId: conversation.chatId,
        }),
      );
      expect(conversation.chatId).toMatch(/^v_[A-Za-z0-9_-]{16,64}$/);
      const own = messages.filter((message) => message.conversationId.equals(conversation._id));
      const times = own.map((message) => message.createdAt.getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
      expect(own.at(-1)!.createdAt).toEqual(conversation.lastMessageAt);
      expect(conversation.lastInboundAt).toEqual(own.findLast((message) => message.direction === 'in')?.createdAt);
      expect(conversation.lastMessageAt.getTime()).toBeLessThan(Date.now());
      expect(conversation.lastMessageAt.getTime()).toBeGreaterThan(Date.now() - 5 * 24 * 3600_000);
      for (const message of own) expect(message.status).toBe(message.direction === 'in' ? 'received' : 'sent');
    }

    // The operator's chat opens on the client's timeline, oldest first as they were written.
    const busiest = mine.find((row) => row.unreadCount === 3)!;
    const timeline = await operator.get(`/contacts/${busiest.contactId}/timeline?limit=50`);
    const chat = timeline.body.items.filter((item: { kind: string; note?: { conversationId?: string } }) =>
      item.kind === 'message' ? true : item.kind === 'note' && item.note?.conversationId === busiest.id,
    );
    expect(chat.map((item: { kind: string }) => item.kind)).toEqual([
      'message',
      'message',
      'message',
      'note',
      'message',
      'message',
      'message',
    ]);
    expect(chat[0].message.content.text).toBe(busiest.lastMessage.preview);
  });

  it('should seed the Telegram chats of six clients on the sandbox bot, numbered as Telegram numbers them', async () => {
    const account = await channelAccountModel(api.db).findOne({ type: 'telegram' }).lean();
    expect(account).toMatchObject({ name: 'Telegram (демо)', sandbox: true, settings: { mode: 'webhook' } });
    const conversations = await conversationModel(api.db).find({ channel: 'telegram' }).lean();
    expect(conversations).toHaveLength(6);
    expect(new Set(conversations.map((conversation) => conversation.contactId.toHexString())).size).toBe(6);
    const siteChats = await conversationModel(api.db).find({ channel: 'webchat' }, { contactId: 1 }).lean();
    for (const conversation of conversations) {
      expect(conversation.channelAccountId.equals(account!._id)).toBe(true);
      expect(siteChats.some((chat) => chat.contactId.equals(conversation.contactId))).toBe(false);
      const contact = await contactModels(api.db).Contact.findById(conversation.contactId).lean();
      expect(contact!.identities).toContainEqual(
        expect.objectContaining({
          channel: 'telegram',
          accountId: String(account!._id),
          externalId: conversation.chatId,
        }),
      );
      const own = await messageModel(api.db).find({ conversationId: conversation._id }).sort({ _id: 1 }).lean();
      // A private chat's message ids count both sides: 1, 2, 3…, as the adapter records them.
      expect(own.map((message) => message.externalId)).toEqual(
        own.map((_, index) => `${conversation.chatId}:${index + 1}`),
      );
    }
    // The sandbox was given the chats back and the bot's webhook, through the Bot API, at start.
    const bot = api.app.services.demoTelegram!.sandbox!.bots()[0]!;
    expect(bot.webhook().url).toBe(api.app.services.demoTelegram!.webhookUrl(String(account!._id)));
    expect(
      bot.chats
        .list()
        .map((chat) => String(chat.chatId))
        .sort(),
    ).toEqual(conversations.map((conversation) => conversation.chatId).sort());
  });

  it('should seed the site chats once', async () => {
    const before = await countAll(api.db);
    const account = await channelAccountModel(api.db).findOne({ type: 'webchat' }).lean();
    expect(await seedDemoConversations(api.app.services, String(account!._id))).toEqual({ seeded: false });
    expect(await countAll(api.db)).toEqual(before);
  });

  it('should seed once: a second run on the same store writes nothing', async () => {
    const before = await countAll(api.db);
    expect(await seedDemoWorkspace(api.db)).toEqual({ seeded: false, reason: 'already-seeded' });
    expect(await countAll(api.db)).toEqual(before);
  });

  it('should seed one workspace when two processes start at once, the same every time', async () => {
    const fresh = await emptyDatabase();
    try {
      const db = fresh.database.mongoose.connection;
      const [first, second] = await Promise.all([seedDemoWorkspace(db), seedDemoWorkspace(db)]);
      const seeded = [first, second].filter((result) => result.seeded);
      expect(seeded).toHaveLength(1);
      expect([first, second].find((result) => !result.seeded)).toEqual({ seeded: false, reason: 'in-progress' });
      expect(await userModels(db).User.countDocuments()).toBe(4);
      // Deterministic: the same people with the same phones as in the app's workspace.
      const people = async (connection: typeof db) =>
        (await contactModels(connection).Contact.find({}, { name: 1, phones: 1 }).lean())
          .map((contact) => `${contact.name} ${contact.phones[0]?.e164}`)
          .sort();
      const appPeople = (await people(api.db)).filter((person) => !person.startsWith('Людмила Ершова'));
      expect(await people(db)).toEqual(appPeople);
      expect(await seedDemoWorkspace(db)).toEqual({ seeded: false, reason: 'already-seeded' });
    } finally {
      await fresh.close();
    }
  });

  it('should leave a store that already has users alone', async () => {
    const fresh = await emptyDatabase();
    try {
      const db = fresh.database.mongoose.connection;
      await createUser(db, { name: 'Первый админ', email: 'owner@company.ru', password: 'long enough', role: 'admin' });
      expect(await seedDemoWorkspace(db)).toEqual({ seeded: false, reason: 'users-exist' });
      expect(await contactModels(db).Contact.countDocuments()).toBe(0);
      expect(await (await dealModel(db)).countDocuments()).toBe(0);
      expect(await (await taskModel(db)).countDocuments()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('should not seed with DEMO_DATA=false: the empty install asks for its first admin', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'demo-off-'));
    const port = await freePort();
    const app = await startApp(
      loadConfig({ PORT: String(port), DATA_DIR: dataDir, LOG_LEVEL: 'silent', DEMO_DATA: 'false' }),
      pino({ level: 'silent' }),
    );
    try {
      const setup = await fetch(`http://127.0.0.1:${port}/api/v1/auth/setup`);
      expect(await setup.json()).toEqual({ needsSetup: true });
      // Counted in the store rather than by a failing demo login, which would count against the
      // demo accounts' login rate limit in the Redis every suite shares.
      expect(await countAll(app.database.mongoose.connection)).toMatchObject({ users: 0, contacts: 0, deals: 0 });
    } finally {
      await app.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
