import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FLOW_EVENTS_QUEUE, jobIdOf } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { messageModel } from '../../server/messaging/message-model.js';
import type { InboundItem } from '../../server/messaging/store-inbound-messages.js';
import type { ApiClient } from '../api/api-harness.js';
import { insertContacts, tagSegment } from '../broadcasts/broadcast-fixture.js';
import { startFrontDoorApp, TelegramClient, type FrontDoorApp } from '../bot/front-door-fixture.js';
import { waitUntil } from '../wait-until.js';

/**
 * The flow intake of inbound messages stored together (two webhooks at once land in one batch of
 * the inbound batcher): the batch is handed to the flows at once, and still only the earlier of a
 * new conversation's messages is its first one. Real app, Telegram webhook, Redis and the store.
 */
describe('flow intake of a batch of inbound messages', () => {
  let app: FrontDoorApp;
  let admin: ApiClient;
  let marketer: ApiClient;
  const suffix = () => randomBytes(3).toString('hex');

  beforeAll(async () => {
    app = await startFrontDoorApp();
    admin = await app.api.as('admin');
    marketer = await app.api.as('marketer');
  }, 60_000);

  afterAll(async () => {
    await app?.close();
  });

  /**
   * Holds what the webhooks give the inbound batcher until `count` messages arrived, then lets
   * them in together, in the order they came: they are stored as one batch. Answers that order.
   */
  function storeTogether(count: number): InboundItem[] {
    const batcher = app.api.app.services.inbound;
    const store = batcher.store.bind(batcher);
    const arrived: InboundItem[] = [];
    const releases: (() => void)[] = [];
    const held = vi.spyOn(batcher, 'store').mockImplementation(
      (item) =>
        new Promise((resolve, reject) => {
          arrived.push(item);
          releases.push(() => void store(item).then(resolve, reject));
          if (arrived.length < count) return;
          held.mockRestore();
          for (const release of releases) release();
        }),
    );
    return arrived;
  }

  it('should start a first-message flow once and record the follow-up reply when two messages open a conversation together', async () => {
    const { api } = app;
    const tag = `batch-${suffix()}`;
    const welcome = `welcome-${suffix()}`;
    const nudge = `nudge-${suffix()}`;
    for (const yaml of [
      `id: ${welcome}
name: { ru: Приветствие, en: Welcome }
version: 1
triggers:
  - { type: message.received, mode: first }
conditions: { path: contact.tags, op: contains, value: ${tag} }
steps:
  - { id: mark, type: addTag, tags: [${tag}-welcomed] }
`,
      `id: ${nudge}
name: { ru: Напоминание, en: Nudge }
version: 1
triggers:
  - { type: manual }
steps:
  - { id: pause, type: wait, for: 3d }
`,
    ]) {
      const uploaded = await admin.put(`/flows/${/^id: (\S+)/.exec(yaml)![1]}`, { yaml });
      expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    }
    // Vera is known on the bot (a follow-up campaign reached her) but has never written: no conversation yet.
    const client = new TelegramClient(app, { firstName: 'Вера' });
    const [vera] = await insertContacts(api.db, tag, [{ telegram: { accountId: app.bot.id, userId: client.chatId } }]);
    const contactId = vera!.toHexString();
    const campaign = await marketer.post('/campaigns/follow-ups', {
      name: `Напоминание ${suffix()}`,
      flowId: nudge,
      source: { kind: 'segment', segmentId: await tagSegment(api.db, tag, api.users.marketer.id) },
    });
    expect(campaign.status, JSON.stringify(campaign.body)).toBe(201);
    const Run = await flowRunModel(api.db);
    await waitUntil(
      'Vera enrolled',
      async () => (await Run.findOne({ flowId: nudge, contactId, status: 'waiting' }).lean()) ?? undefined,
    );

    const arrived = storeTogether(2);
    await Promise.all([client.write('Здравствуйте'), client.write('Нужны окна')]);
    const messages = await messageModel(api.db).find({ contactId: vera, direction: 'in' }).lean();
    expect(messages).toHaveLength(2);
    expect(new Set(messages.map((message) => message.conversationId.toHexString())).size).toBe(1);
    expect(messages.every((message) => message.createdAt.getTime() === messages[0]!.createdAt.getTime())).toBe(true);
    const earlier = messages.find((message) => message.externalId === arrived[0]!.event.externalMessageId)!;

    // Both messages went through the flows before anything is counted.
    const queue = api.app.queues.queue(FLOW_EVENTS_QUEUE);
    await waitUntil('both messages applied', async () => {
      const states = await Promise.all(
        messages.map(async (message) => (await queue.getJob(jobIdOf(`msg-${message._id.toHexString()}`)))?.getState()),
      );
      return states.every((state) => state === 'completed') ? true : undefined;
    });
    const welcomed = await waitUntil('the welcome run settled', async () => {
      const runs = await Run.find({ flowId: welcome, contactId }).lean<FlowRunRecord[]>();
      return runs.every((run) => run.pending.length === 0) ? runs : undefined;
    });
    // Started by the earlier message only: once, however the two were handed.
    expect(welcomed.map((run) => run.events[0])).toEqual([`msg-${earlier._id.toHexString()}`]);
    const runs = (await admin.get(`/contacts/${contactId}/flow-runs`)).body.items as { flowId: string }[];
    expect(runs.filter((run) => run.flowId === welcome)).toHaveLength(1);

    const results = (await marketer.get(`/campaigns/follow-ups/${campaign.body.id}`)).body.results;
    expect(results).toMatchObject({ enrolled: 1, replied: 1 });
    const replied = await Run.findOne({ flowId: nudge, contactId }).lean<FlowRunRecord>();
    expect(replied?.repliedAt?.getTime()).toBe(earlier.createdAt.getTime());
  }, 60_000);
});
