import { ObjectId, type AnyBulkWriteOperation, type Db, type Document } from 'mongodb';
import { createPrng, type Prng } from '../server/demo/create-prng.js';
import { DEFAULT_PIPELINES } from '../server/pipelines/ensure-default-pipelines.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const BATCH = 5000;
/** The SLA the reports default to (report settings `slaMinutes`). */
const SLA_SECONDS = 15 * 60;

export const SOURCES = [
  ['form:Замер', 18],
  ['form:Калькулятор', 10],
  ['site-chat', 14],
  ['telegram', 12],
  ['whatsapp', 10],
  ['yandex-direct', 12],
  ['vk-ads', 8],
  ['exhibition:ЭкоСтройЭкспо', 4],
  ['partner:Avito', 6],
  ['referral', 4],
  ['phone', 2],
] as const;
const REGIONS = [
  'Москва',
  'Московская область',
  'Санкт-Петербург',
  'Ленинградская область',
  'Казань',
  'Екатеринбург',
  'Новосибирск',
  'Нижний Новгород',
] as const;
const UTM: Record<string, { source: string; medium: string; campaign: string }> = {
  'yandex-direct': { source: 'yandex', medium: 'cpc', campaign: 'okna-pvh' },
  'vk-ads': { source: 'vk', medium: 'cpc', campaign: 'teplye-okna' },
};
export const CHANNELS = [
  ['telegram', 34],
  ['whatsapp', 28],
  ['webchat', 15],
  ['vk', 8],
  ['email', 7],
  ['sms', 4],
  ['voice', 4],
] as const;
const TEAMS = ['Продажи Москва', 'Продажи Санкт-Петербург', 'Поддержка'] as const;
const OPERATORS_PER_TEAM = 8;

export interface SeedSizes {
  deals: number;
  messages: number;
}

export interface SeedSummary {
  users: number;
  contacts: number;
  deals: number;
  tasks: number;
  broadcasts: number;
  conversations: number;
  messages: number;
  reportEvents: number;
  seconds: number;
}

function weighted<T extends string>(prng: Prng, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((sum, [, weight]) => sum + weight, 0);
  let roll = prng.next() * total;
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return table[table.length - 1]![0];
}

/** Minutes drawn from an exponential distribution: most answers are quick, a tail is slow. */
function expMinutes(prng: Prng, median: number): number {
  return (-Math.log(1 - prng.next()) * median) / Math.LN2;
}

/** An id whose timestamp is the record's creation time, as the app's own ids are. */
function idAt(at: number): ObjectId {
  return new ObjectId(ObjectId.generate(Math.floor(at / 1000)));
}

/**
 * Writes in batches, so a million documents never sit in memory at once. One batch is in flight
 * while the next is made: the store works on one while this process builds the other.
 */
class BatchWriter {
  private pending: Document[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  /** Documents handed to the store so far. */
  count = 0;

  constructor(
    private readonly db: Db,
    private readonly collection: string,
  ) {}

  /** Documents handed over or waiting in the batch. */
  get total(): number {
    return this.count + this.pending.length;
  }

  async add(doc: Document): Promise<void> {
    this.pending.push(doc);
    if (this.pending.length < BATCH) return;
    await this.inFlight;
    this.inFlight = this.send();
  }

  /** Sends what is left and waits until the store has all of it. */
  async flush(): Promise<void> {
    await this.inFlight;
    await this.send();
  }

  private async send(): Promise<void> {
    if (this.pending.length === 0) return;
    const docs = this.pending;
    this.pending = [];
    this.count += docs.length;
    await this.db.collection(this.collection).insertMany(docs, { ordered: false });
  }
}

interface Operator {
  _id: ObjectId;
  name: string;
  teamId: ObjectId;
}

async function seedPeople(db: Db, now: number): Promise<{ operators: Operator[]; teamIds: ObjectId[] }> {
  const created = new Date(now - 400 * DAY_MS);
  const teams = TEAMS.map((name) => ({
    _id: new ObjectId(),
    name,
    nameKey: name.toLowerCase(),
    description: '',
    createdAt: created,
  }));
  await db.collection('teams').insertMany(teams);
  const operators = teams.flatMap((team, t) =>
    Array.from({ length: OPERATORS_PER_TEAM }, (_, i) => ({
      _id: new ObjectId(),
      name: `Оператор ${t + 1}.${i + 1}`,
      teamId: team._id,
    })),
  );
  // They never sign in: a hash nobody can match is enough.
  await db.collection('users').insertMany(
    operators.map((operator) => ({
      _id: operator._id,
      name: operator.name,
      email: `operator-${operator._id.toHexString()}@bench.local`,
      passwordHash: '$argon2id$v=19$m=65536,t=3,p=4$bench$bench',
      role: 'operator',
      teamIds: [operator.teamId],
      active: true,
      workingHours: [],
      timeZone: 'Europe/Moscow',
      language: 'ru',
      createdAt: created,
    })),
  );
  return { operators, teamIds: teams.map((team) => team._id) };
}

interface PipelinePlan {
  _id: ObjectId;
  /** The open stages in order, then where won and lost deals land. */
  open: string[];
  won: string;
  lost: string;
  lostReasons: string[];
}

async function seedPipelines(db: Db, now: number): Promise<Record<'sales' | 'leads', PipelinePlan>> {
  const at = new Date(now - 400 * DAY_MS);
  const out: Partial<Record<'sales' | 'leads', PipelinePlan>> = {};
  for (const key of ['sales', 'leads'] as const) {
    const definition = DEFAULT_PIPELINES.find((pipeline) => pipeline.systemKey === key)!;
    const _id = new ObjectId();
    await db.collection('pipelines').insertOne({
      _id,
      name: definition.name,
      kind: definition.kind,
      systemKey: definition.systemKey,
      stages: definition.stages.map((stage, order) => ({ ...stage, order })),
      lostReasons: definition.lostReasons,
      archived: false,
      createdAt: at,
      updatedAt: at,
    });
    const stageOf = (kind: string) => definition.stages.filter((stage) => stage.kind === kind).map((stage) => stage.id);
    out[key] = {
      _id,
      open: stageOf('open'),
      won: stageOf('won')[0]!,
      lost: stageOf('lost')[0]!,
      lostReasons: definition.lostReasons,
    };
  }
  return { sales: out.sales!, leads: out.leads! };
}

/**
 * A deal's way through its pipeline over the year: it enters the first open stage when created,
 * moves on after a few days per stage, drops out (lost) with some chance at each, and is won after
 * the last open stage; whatever would happen after `now` has not happened yet, so it stays open.
 */
function planDeal(prng: Prng, now: number, createdAt: number, pipeline: PipelinePlan, owner: Operator): Document {
  const movedBy = { kind: 'user', id: owner._id.toHexString(), name: owner.name };
  const history: Document[] = [];
  let at = createdAt;
  let status: 'open' | 'won' | 'lost' = 'open';
  let stageId = pipeline.open[0]!;
  let lostReason: string | undefined;
  for (let index = 0; index <= pipeline.open.length; index++) {
    const stage = index < pipeline.open.length ? pipeline.open[index]! : pipeline.won;
    const visit: Document = { pipelineId: pipeline._id, stageId: stage, enteredAt: new Date(at), movedBy };
    history.push(visit);
    stageId = stage;
    if (stage === pipeline.won) {
      status = 'won';
      break;
    }
    // A few days per stage; one stay in ten stalls for one to four months.
    const stay = (prng.chance(0.1) ? prng.int(30, 120) : 0.2 + prng.next() * prng.int(1, 12)) * DAY_MS;
    if (at + stay > now) break;
    at += stay;
    visit.leftAt = new Date(at);
    if (prng.chance(0.24)) {
      status = 'lost';
      stageId = pipeline.lost;
      lostReason = prng.pick(pipeline.lostReasons);
      history.push({ pipelineId: pipeline._id, stageId, enteredAt: new Date(at), movedBy });
      break;
    }
  }
  const closedAt = status === 'open' ? undefined : history[history.length - 1]!.enteredAt;
  return {
    pipelineId: pipeline._id,
    stageId,
    status,
    ...(lostReason ? { lostReason } : {}),
    ...(closedAt ? { closedAt } : {}),
    stageHistory: history,
    updatedAt: new Date(at),
  };
}

async function seedDeals(
  db: Db,
  prng: Prng,
  now: number,
  count: number,
  operators: Operator[],
  pipelines: Record<'sales' | 'leads', PipelinePlan>,
): Promise<{ contacts: { _id: ObjectId; source: string; createdAt: number }[]; deals: number; tasks: number }> {
  const contacts = new BatchWriter(db, 'contacts');
  const deals = new BatchWriter(db, 'deals');
  const tasks = new BatchWriter(db, 'tasks');
  const contactList: { _id: ObjectId; source: string; createdAt: number }[] = [];
  for (let i = 0; i < count; i++) {
    const createdAt = now - prng.next() * 365 * DAY_MS;
    const source = weighted(prng, SOURCES);
    const region = prng.pick(REGIONS);
    const owner = prng.pick(operators);
    const contactId = idAt(createdAt - MINUTE_MS);
    const utm = UTM[source];
    await contacts.add({
      _id: contactId,
      status: 'active',
      name: `Клиент ${i + 1}`,
      phones: [],
      emails: [],
      identities: [],
      ownerId: owner._id,
      teamIds: [owner.teamId],
      tags: [],
      region,
      customFields: {},
      source,
      ...(utm ? { utm } : {}),
      firstTouchAt: new Date(createdAt - MINUTE_MS),
      consent: {},
      createdAt: new Date(createdAt - MINUTE_MS),
      updatedAt: new Date(createdAt),
    });
    contactList.push({ _id: contactId, source, createdAt });
    // Most deals are sales; every sixth starts as a lead to qualify.
    const pipeline = i % 6 === 5 ? pipelines.leads : pipelines.sales;
    const path = planDeal(prng, now, createdAt, pipeline, owner);
    const dealId = idAt(createdAt);
    // A call-back task per deal, due a day or two in; most are done, some late, some still open.
    const dueAt = createdAt + prng.int(1, 3) * DAY_MS;
    const doneAt = prng.chance(0.8) ? dueAt + (prng.next() - 0.8) * DAY_MS : undefined;
    await tasks.add({
      _id: idAt(createdAt),
      title: 'Перезвонить клиенту',
      kind: 'call',
      assigneeId: owner._id,
      dueAt: new Date(dueAt),
      done: doneAt !== undefined && doneAt < now,
      ...(doneAt !== undefined && doneAt < now ? { doneAt: new Date(doneAt) } : {}),
      contactId,
      dealId,
      createdBy: { kind: 'user', id: owner._id.toHexString(), name: owner.name },
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
    });
    await deals.add({
      _id: dealId,
      title: `Окна ПВХ, сделка ${i + 1}`,
      amount: prng.int(3, 60) * 10_000,
      currency: 'RUB',
      ownerId: owner._id,
      contactId,
      customFields: { region },
      copies: [],
      source,
      createdBy: { kind: 'user', id: owner._id.toHexString(), name: owner.name },
      revision: path.stageHistory.length,
      createdAt: new Date(createdAt),
      ...path,
    });
  }
  await contacts.flush();
  await deals.flush();
  await tasks.flush();
  return { contacts: contactList, deals: deals.count, tasks: tasks.count };
}

interface ConversationPlan {
  _id: ObjectId;
  contactId: ObjectId;
  channel: string;
  channelAccountId: ObjectId;
  assignee: Operator;
  openedAt: number;
  messages: number;
}

/**
 * One conversation's messages and the report events they imply (the `report_events` fields of the
 * contract: kind, at, seconds, conversationId, contactId, channel, channelAccountId, userId,
 * teamIds, withinSla, key). The person writes one to three messages; the bot may answer first and
 * hand over; then the assignee answers after a wait that is usually short.
 */
async function writeConversation(
  prng: Prng,
  now: number,
  plan: ConversationPlan,
  messages: BatchWriter,
  events: BatchWriter,
): Promise<{ lastAt: number; resolvedAt?: number; firstRespondedAt?: number; handler: 'bot' | 'human' }> {
  const base = {
    conversationId: plan._id,
    contactId: plan.contactId,
    channel: plan.channel,
    channelAccountId: plan.channelAccountId,
  };
  const teamIds = [plan.assignee.teamId];
  const userId = plan.assignee._id;
  const operator = { kind: 'user', id: userId, name: plan.assignee.name };
  const event = (kind: string, at: number, key: string, extra: Document = {}) =>
    events.add({ _id: idAt(at), kind, at: new Date(at), ...base, teamIds, key: `${kind}:${key}`, ...extra });
  const message = async (at: number, direction: 'in' | 'out', author: Document, text: string): Promise<ObjectId> => {
    const _id = idAt(at);
    const call = plan.channel === 'voice';
    await messages.add({
      _id,
      ...base,
      direction,
      author,
      content: call
        ? {
            kind: 'call',
            direction,
            from: direction === 'in' ? '+79990000000' : '101',
            to: direction === 'in' ? '101' : '+79990000000',
            operator: { extension: '101', userId: userId.toHexString() },
            startedAt: new Date(at).toISOString(),
            durationSec: prng.int(20, 600),
            outcome: 'answered',
          }
        : { kind: 'text', text },
      status: direction === 'in' ? 'received' : 'read',
      attempts: direction === 'in' ? 0 : 1,
      ...(direction === 'out' ? { sentAt: new Date(at), deliveredAt: new Date(at), readAt: new Date(at) } : {}),
      createdAt: new Date(at),
      updatedAt: new Date(at),
    });
    return _id;
  };

  let at = plan.openedAt;
  let written = 0;
  let handler: 'bot' | 'human' = prng.chance(0.6) ? 'bot' : 'human';
  if (handler === 'bot') await event('bot_started', at, plan._id.toHexString());
  let waitingSince: number | undefined;
  let firstRespondedAt: number | undefined;
  while (written < plan.messages && at < now) {
    const burst = Math.min(prng.int(1, 3), plan.messages - written);
    for (let i = 0; i < burst; i++) {
      waitingSince ??= at;
      await message(at, 'in', { kind: 'contact', id: plan.contactId }, `Здравствуйте, вопрос ${written + 1}`);
      written += 1;
      at += prng.int(5, 90) * 1000;
    }
    if (written >= plan.messages) break;
    if (handler === 'bot') {
      at += prng.int(1, 3) * 1000;
      await message(at, 'out', { kind: 'bot', name: 'Бот' }, 'Уточните, пожалуйста, размеры окна');
      written += 1;
      // One in eight books a consultation with the bot before it hands over.
      if (prng.chance(0.125)) await event('bot_booked', at, plan._id.toHexString());
      // The bot hands over: the wait for a person starts now.
      at += prng.int(1, 60) * 1000;
      await event('handoff', at, plan._id.toHexString());
      handler = 'human';
      waitingSince = at;
      continue;
    }
    at += expMinutes(prng, prng.chance(0.8) ? 4 : 40) * MINUTE_MS;
    if (at > now) break;
    const answered = await message(at, 'out', operator, 'Добрый день! Подготовим расчёт сегодня.');
    written += 1;
    await event('message_sent', at, answered.toHexString(), { userId });
    if (waitingSince !== undefined) {
      const seconds = Math.round((at - waitingSince) / 1000);
      const kind = firstRespondedAt === undefined ? 'first_response' : 'reply';
      await event(kind, at, answered.toHexString(), { seconds, userId, withinSla: seconds <= SLA_SECONDS });
      firstRespondedAt ??= at;
      waitingSince = undefined;
    }
    at += expMinutes(prng, 30) * MINUTE_MS;
  }
  const lastAt = Math.min(at, now);
  // Conversations quiet for two days are resolved by the assignee.
  const resolvedAt = now - lastAt > 2 * DAY_MS ? lastAt + prng.int(10, 600) * MINUTE_MS : undefined;
  if (resolvedAt !== undefined)
    await event('resolution', resolvedAt, plan._id.toHexString(), {
      seconds: Math.round((resolvedAt - plan.openedAt) / 1000),
      userId,
    });
  return { lastAt, resolvedAt, firstRespondedAt, handler };
}

async function seedConversations(
  db: Db,
  prng: Prng,
  now: number,
  total: number,
  operators: Operator[],
  contacts: { _id: ObjectId; createdAt: number }[],
): Promise<{ conversations: number; messages: number; events: number }> {
  const accounts = new Map(CHANNELS.map(([channel]) => [channel, new ObjectId()]));
  const messages = new BatchWriter(db, 'messages');
  const events = new BatchWriter(db, 'report_events');
  const conversations: AnyBulkWriteOperation[] = [];
  let remaining = total;
  let conversationCount = 0;
  // Past 50 rounds over the contacts every later conversation would start after `now`.
  for (let i = 0; remaining > 0 && i < contacts.length * 50; i++) {
    // A conversation starts when its contact first wrote (contacts come in random order of time);
    // with more conversations than contacts, a contact writes again some days later.
    const contact = contacts[i % contacts.length]!;
    const round = Math.floor(i / contacts.length);
    const channel = weighted(prng, CHANNELS);
    const assignee = prng.pick(operators);
    const openedAt = contact.createdAt - MINUTE_MS + round * prng.int(1, 30) * DAY_MS;
    if (openedAt >= now) continue;
    const plan: ConversationPlan = {
      _id: idAt(openedAt),
      contactId: contact._id,
      channel,
      channelAccountId: accounts.get(channel)!,
      assignee,
      openedAt,
      messages: Math.min(remaining, prng.int(4, 36)),
    };
    const before = messages.total;
    const outcome = await writeConversation(prng, now, plan, messages, events);
    remaining -= messages.total - before;
    conversationCount += 1;
    conversations.push({
      insertOne: {
        document: {
          _id: plan._id,
          contactId: plan.contactId,
          channel,
          channelAccountId: plan.channelAccountId,
          chatId: `bench-${i}`,
          status: outcome.resolvedAt ? 'resolved' : 'open',
          handler: outcome.handler,
          assigneeId: assignee._id,
          teamIds: [assignee.teamId],
          lastMessageAt: new Date(outcome.lastAt),
          lastInboundAt: new Date(outcome.lastAt),
          unreadCount: 0,
          priority: 'none',
          labels: [],
          openedAt: new Date(openedAt),
          ...(outcome.firstRespondedAt ? { firstRespondedAt: new Date(outcome.firstRespondedAt) } : {}),
          ...(outcome.resolvedAt ? { resolvedAt: new Date(outcome.resolvedAt) } : {}),
          createdAt: new Date(openedAt),
          updatedAt: new Date(outcome.resolvedAt ?? outcome.lastAt),
        },
      },
    });
    if (conversations.length >= BATCH)
      await db.collection('conversations').bulkWrite(conversations.splice(0), { ordered: false });
  }
  if (conversations.length > 0) await db.collection('conversations').bulkWrite(conversations, { ordered: false });
  await messages.flush();
  await events.flush();
  return { conversations: conversationCount, messages: messages.count, events: events.count };
}

/** Two broadcasts a month over the year, with the counts a finished broadcast keeps on its record. */
async function seedBroadcasts(db: Db, prng: Prng, now: number, createdById: ObjectId): Promise<number> {
  const docs = Array.from({ length: 24 }, (_, i) => {
    const launchedAt = new Date(now - (i + 0.5) * 15 * DAY_MS);
    const sent = prng.int(2000, 20_000);
    const read = Math.round(sent * (0.3 + prng.next() * 0.4));
    const replied = Math.round(read * 0.05);
    const leads = Math.round(replied * 0.4);
    const won = Math.round(leads * 0.2);
    const counts = { audience: sent, planned: sent, skipped: 0, queued: 0, sent, delivered: sent, read, failed: 0 };
    return {
      name: `Рассылка ${i + 1}: скидки на окна`,
      segmentId: new ObjectId(),
      variants: { telegram: { text: 'Скидки до 30%!' } },
      channelOrder: ['telegram', 'whatsapp'],
      timeZone: 'Europe/Moscow',
      cost: { amount: prng.int(5, 50) * 1000, currency: 'RUB' },
      status: 'completed',
      counts: { ...counts, replied, optedOut: 0, clicked: 0, leads, deals: leads, won, revenue: won * 150_000 },
      countsByChannel: {},
      accountIds: [],
      frozenAt: launchedAt,
      launchedAt,
      completedAt: launchedAt,
      createdById,
      createdAt: launchedAt,
      updatedAt: launchedAt,
    };
  });
  await db.collection('broadcasts').insertMany(docs);
  return docs.length;
}

/**
 * Fills an empty workspace for the reports bench: teams and operators, the sales and leads
 * pipelines, `sizes.deals` deals (one contact and one call-back task each; a source, a region and
 * UTM tags) created over the last year with their stage history, two broadcasts a month, and
 * `sizes.messages` messages in conversations over the same year with the report events they imply.
 * Deterministic for a given `now`.
 */
export async function seedReportsData(db: Db, sizes: SeedSizes, now = Date.now()): Promise<SeedSummary> {
  const started = performance.now();
  const prng = createPrng(20261127);
  const { operators } = await seedPeople(db, now);
  const pipelines = await seedPipelines(db, now);
  const { contacts, deals, tasks } = await seedDeals(db, prng, now, sizes.deals, operators, pipelines);
  console.log(`  seeded ${deals.toLocaleString('en')} deals, contacts and tasks`);
  const broadcasts = await seedBroadcasts(db, prng, now, operators[0]!._id);
  const written = await seedConversations(db, prng, now, sizes.messages, operators, contacts);
  return {
    users: operators.length,
    contacts: contacts.length,
    deals,
    tasks,
    broadcasts,
    conversations: written.conversations,
    messages: written.messages,
    reportEvents: written.events,
    seconds: (performance.now() - started) / 1000,
  };
}
