import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../server/messaging/ingest-events.js';
import { conversationModel, type ConversationRecord } from '../../server/messaging/conversation-model.js';
import { messageModel, type MessageRecord } from '../../server/messaging/message-model.js';
import { backfillReportEvents } from '../../server/reports/events/backfill-report-events.js';
import { reportEventModel, type ReportEventRecord } from '../../server/reports/events/report-event-model.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from '../../server/demo/demo-accounts.js';
import { DEMO_SEED_MARKER_ID, demoSeedMarkerModel } from '../../server/demo/demo-seed-marker.js';
import { responsesReport } from '../../server/reports/responses-report.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { newMember, newTeamWithChannel } from '../api/inbox-fixture.js';
import { runReport } from './report-event-fixture.js';
import { authUser } from './report-fixtures.js';

const MINUTE = 60_000;

/**
 * The conversation events the response reports read: written as things happen (the client
 * writing, a person answering, resolving) and derived again from the stored messages by the
 * backfill, which must give the same rows.
 */
describe('report events', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  /** The site visitor writes a message they sent at `sentAt`, through the one ingest path. */
  const visitorWrites = async (channelId: string, visitorId: string, text: string, sentAt: Date) => {
    const account = await api.app.services.channels.get(channelId);
    const [outcome] = await ingestEvents(api.app.services, account!, [
      {
        type: 'message',
        externalMessageId: randomBytes(8).toString('hex'),
        from: { externalId: visitorId, name: 'Посетитель сайта' },
        chatId: visitorId,
        sentAt,
        content: { kind: 'text', text },
      },
    ]);
    if (outcome?.type !== 'message') throw new Error('The message was not stored');
    return outcome.message.conversationId;
  };
  const eventsOf = async (conversationId: string) =>
    (
      await reportEventModel(api.db)
        .find({ conversationId: new Types.ObjectId(conversationId) }, { _id: 0 })
        .lean<Omit<ReportEventRecord, '_id'>[]>()
    ).sort((a, b) => a.key.localeCompare(b.key));
  const reply = async (operator: ApiClient, conversationId: string, text: string) => {
    const sent = await operator.post(`/conversations/${conversationId}/messages`, { text });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    return sent.body.id as string;
  };
  const messageOf = (id: string) => messageModel(api.db).findById(id).lean<MessageRecord>();

  it('should record the wait answered, the first response, messages sent and the resolution, as the backfill derives them', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const visitorId = `visitor-${randomBytes(6).toString('hex')}`;
    // The client wrote 7 minutes ago (10:00) and again 6 minutes ago; the operator answers now (10:07).
    const wroteAt = new Date(Date.now() - 7 * MINUTE);
    const conversationId = await visitorWrites(channelId, visitorId, 'Здравствуйте! Сколько стоит замер?', wroteAt);
    await visitorWrites(channelId, visitorId, 'И можно ли в субботу?', new Date(wroteAt.getTime() + MINUTE));
    const waiting = await conversationModel(api.db).findById(conversationId).lean<ConversationRecord>();
    expect(waiting).toMatchObject({ waitingSince: wroteAt, openedAt: wroteAt });

    const firstId = await reply(operator, conversationId, 'Здравствуйте! Замер бесплатный, суббота подходит.');
    const first = await messageOf(firstId);
    const waited = Math.round((first!.createdAt.getTime() - wroteAt.getTime()) / 1000);
    expect(waited).toBeGreaterThanOrEqual(420);
    expect(waited).toBeLessThan(430);
    // A second message while nobody waits is a message sent, not another reply.
    const secondId = await reply(operator, conversationId, 'Во сколько вам удобно?');
    // The client writes again after both answers (the backfill orders messages by when they were sent).
    const againAt = new Date();
    await visitorWrites(channelId, visitorId, 'После обеда.', againAt);
    const thirdId = await reply(operator, conversationId, 'Записал на 14:00.');
    const third = await messageOf(thirdId);
    const resolved = await operator.patch(`/conversations/${conversationId}`, { status: 'resolved' });
    expect(resolved.status).toBe(200);
    const conversation = await conversationModel(api.db).findById(conversationId).lean<ConversationRecord>();
    expect(conversation!.waitingSince).toBeUndefined();
    expect(conversation!.openedAt).toBeUndefined();
    expect(conversation!.firstRespondedAt).toEqual(first!.createdAt);

    const live = await eventsOf(conversationId);
    const operatorId = new Types.ObjectId(operator.user!.id);
    const common = {
      conversationId: new Types.ObjectId(conversationId),
      channel: 'webchat',
      teamIds: [new Types.ObjectId(teamId)],
    };
    const resolvedSeconds = Math.round((conversation!.resolvedAt!.getTime() - wroteAt.getTime()) / 1000);
    expect(live.map(({ kind, seconds, userId, withinSla }) => ({ kind, seconds, userId, withinSla }))).toEqual(
      expect.arrayContaining([
        { kind: 'first_response', seconds: waited, userId: operatorId, withinSla: true },
        { kind: 'reply', seconds: waited, userId: operatorId, withinSla: true },
        {
          kind: 'reply',
          seconds: Math.round((third!.createdAt.getTime() - againAt.getTime()) / 1000),
          userId: operatorId,
          withinSla: true,
        },
        { kind: 'resolution', seconds: resolvedSeconds, userId: operatorId, withinSla: undefined },
      ]),
    );
    expect(live.filter((event) => event.kind === 'message_sent').map((event) => event.key)).toEqual(
      [firstId, secondId, thirdId].map((id) => `message_sent|${id}`).sort(),
    );
    expect(live).toHaveLength(7);
    for (const event of live) expect(event).toMatchObject(common);

    // Recorded before the events existed: the backfill derives the same rows from the messages.
    await reportEventModel(api.db).deleteMany({ conversationId: new Types.ObjectId(conversationId) });
    const backfilled = await backfillReportEvents(api.db, { conversationIds: [new Types.ObjectId(conversationId)] });
    expect(backfilled).toEqual({ conversations: 1, events: 7 });
    expect(await eventsOf(conversationId)).toEqual(live);
    // A second run writes nothing: the conversation has its events.
    expect(await backfillReportEvents(api.db, { conversationIds: [new Types.ObjectId(conversationId)] })).toEqual({
      conversations: 0,
      events: 0,
    });
  });

  it('should measure a wait over the SLA as outside it, and a reopened conversation from its new first message', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const visitorId = `visitor-${randomBytes(6).toString('hex')}`;
    const wroteAt = new Date(Date.now() - 20 * MINUTE);
    const conversationId = await visitorWrites(channelId, visitorId, 'Добрый день, нужен расчёт', wroteAt);
    await reply(operator, conversationId, 'Добрый день! Сейчас посчитаю.');
    await operator.patch(`/conversations/${conversationId}`, { status: 'resolved' });
    const backAt = new Date(Date.now() - 3 * MINUTE);
    await visitorWrites(channelId, visitorId, 'Ещё вопрос по расчёту', backAt);
    expect((await conversationModel(api.db).findById(conversationId).lean<ConversationRecord>())!.openedAt).toEqual(
      backAt,
    );
    await reply(operator, conversationId, 'Слушаю');
    await operator.patch(`/conversations/${conversationId}`, { status: 'resolved' });

    const events = await eventsOf(conversationId);
    const first = events.find((event) => event.kind === 'first_response')!;
    expect(first.seconds).toBeGreaterThanOrEqual(1200);
    expect(first.withinSla).toBe(false);
    expect(events.filter((event) => event.kind === 'first_response')).toHaveLength(1);
    expect(events.filter((event) => event.kind === 'reply')).toHaveLength(2);
    const resolutions = events.filter((event) => event.kind === 'resolution').sort((a, b) => +a.at - +b.at);
    expect(resolutions).toHaveLength(2);
    expect(resolutions[1]!.seconds).toBe(Math.round((resolutions[1]!.at.getTime() - backAt.getTime()) / 1000));
  });
});

/**
 * The demo workspace's site chats get their events from their messages when seeded, so the demo
 * manager's response report shows them; the figures agree with the messages themselves.
 */
describe('report events of the demo', () => {
  let api: TestApi;

  beforeAll(async () => {
    api = await startTestApi({ demoData: true });
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('should give the demo chats response times that agree with their messages', async () => {
    const marker = await demoSeedMarkerModel(api.db).findById(DEMO_SEED_MARKER_ID).lean();
    // Client 5 wrote, and the operator answered 12 minutes and a few seconds (5–50) later.
    const conversation = await conversationModel(api.db)
      .findOne({ contactId: new Types.ObjectId(marker!.contactIds![5]!) })
      .lean<ConversationRecord>();
    const first = await reportEventModel(api.db)
      .findOne({ conversationId: conversation!._id, kind: 'first_response' })
      .lean<ReportEventRecord>();
    expect(first!.seconds).toBeGreaterThanOrEqual(12 * 60 + 5);
    expect(first!.seconds).toBeLessThanOrEqual(12 * 60 + 50);
    expect(first!.withinSla).toBe(true);

    const manager = await api.login('manager@demo.local', DEMO_PASSWORD);
    const now = Date.now();
    const view = await runReport(api, responsesReport, authUser({ ...manager.user!, role: 'manager' }), {
      from: new Date(now - 30 * 86_400_000).toISOString(),
      to: new Date(now + 60_000).toISOString(),
    });
    const sent = await messageModel(api.db).countDocuments({
      direction: 'out',
      'author.kind': 'user',
      createdAt: { $gte: new Date(now - 30 * 86_400_000) },
    });
    const figures = Object.fromEntries(view.headline.map((item) => [item.key, item.value]));
    expect(sent).toBeGreaterThan(10);
    expect(figures.messagesSent).toBe(sent);
    expect(figures.firstResponseMedian).toBeGreaterThan(60);
    expect(figures.firstResponseMedian).toBeLessThan(20 * 60);
    const operator = DEMO_ACCOUNTS.find((account) => account.role === 'operator')!;
    expect(view.table.rows.find((row) => row.operator === operator.name)).toMatchObject({
      firstResponseMedian: expect.any(Number),
      openNow: expect.any(Number),
    });
  });
});
