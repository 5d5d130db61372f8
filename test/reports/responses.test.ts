import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { responsesReport } from '../../server/reports/responses-report.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { fixtureConversation, runReport, writeEvents } from './report-event-fixture.js';
import { authUser } from './report-fixtures.js';

const PERIOD = { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' };
const headline = (view: ReportView) => Object.fromEntries(view.headline.map((item) => [item.key, item.value]));
const previousHeadline = (view: ReportView) =>
  Object.fromEntries(view.headline.map((item) => [item.key, item.previous]));

/**
 * Response times from hand-made events (the SLA is 15 minutes = 900 s): Anna answered first in
 * 420 s and 1,200 s on Telegram, Boris in 60 s and 300 s on the site chat; quantiles interpolate
 * between ranks (the median of 60, 300, 420, 1,200 is 360; the p90 is 420 + 0.7 × 780 = 966).
 */
describe('responses report', () => {
  let api: TestApi;
  let anna: string;
  let boris: string;
  let teamId: string;

  beforeAll(async () => {
    api = await startTestApi();
    anna = (await api.createUser({ role: 'operator', name: 'Анна Петрова' })).id;
    boris = (await api.createUser({ role: 'operator', name: 'Борис Смирнов' })).id;
    const admin = await api.as('admin');
    teamId = (await admin.post('/teams', { name: 'Продажи' })).body.id;
    const team = [new Types.ObjectId(teamId)];
    const c1 = fixtureConversation('telegram', team);
    const c2 = fixtureConversation('telegram', team);
    const c3 = fixtureConversation('webchat');
    const c4 = fixtureConversation('webchat');
    const earlier = fixtureConversation('telegram', team);
    await writeEvents(api, [
      {
        conversation: c1,
        kind: 'first_response',
        at: '2026-03-02T10:07:00Z',
        seconds: 420,
        userId: anna,
        withinSla: true,
      },
      {
        conversation: c2,
        kind: 'first_response',
        at: '2026-03-03T10:20:00Z',
        seconds: 1200,
        userId: anna,
        withinSla: false,
      },
      {
        conversation: c3,
        kind: 'first_response',
        at: '2026-03-04T10:01:00Z',
        seconds: 60,
        userId: boris,
        withinSla: true,
      },
      {
        conversation: c4,
        kind: 'first_response',
        at: '2026-03-05T10:05:00Z',
        seconds: 300,
        userId: boris,
        withinSla: true,
      },
      { conversation: c1, kind: 'resolution', at: '2026-03-02T11:00:00Z', seconds: 3600, userId: anna },
      { conversation: c3, kind: 'resolution', at: '2026-03-04T12:00:00Z', seconds: 7200, userId: boris },
      { conversation: c1, kind: 'message_sent', at: '2026-03-02T10:07:00Z', userId: anna },
      { conversation: c1, kind: 'message_sent', at: '2026-03-02T10:30:00Z', userId: anna },
      { conversation: c2, kind: 'message_sent', at: '2026-03-03T10:20:00Z', userId: anna },
      { conversation: c3, kind: 'message_sent', at: '2026-03-04T10:01:00Z', userId: boris },
      { conversation: c4, kind: 'message_sent', at: '2026-03-05T10:05:00Z', userId: boris },
      // The previous week, and a day after the period: neither counts in it.
      {
        conversation: earlier,
        kind: 'first_response',
        at: '2026-02-25T09:10:00Z',
        seconds: 600,
        userId: anna,
        withinSla: true,
      },
      {
        conversation: c4,
        kind: 'first_response',
        at: '2026-03-08T00:00:00Z',
        seconds: 5,
        userId: boris,
        withinSla: true,
      },
    ]);
    // Right now Anna has two open conversations (and a resolved one), Boris one.
    const open = (assignee: string, status: 'open' | 'resolved') => ({
      _id: new Types.ObjectId(),
      contactId: new Types.ObjectId(),
      channel: 'telegram',
      channelAccountId: new Types.ObjectId(),
      chatId: String(new Types.ObjectId()),
      status,
      handler: 'human',
      assigneeId: new Types.ObjectId(assignee),
      teamIds: [],
      lastMessageAt: new Date(),
      unreadCount: 0,
      priority: 'none',
      labels: [],
    });
    await conversationModel(api.db).collection.insertMany([
      open(anna, 'open'),
      open(anna, 'open'),
      open(anna, 'resolved'),
      open(boris, 'open'),
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should give first response and resolution times, the SLA share and the work per operator', async () => {
    const view = await runReport(api, responsesReport, authUser(api.users.manager), PERIOD);
    expect(headline(view)).toEqual({
      firstResponseMedian: 360,
      withinSla: 75,
      resolutionMedian: 5400,
      handled: 4,
      messagesSent: 5,
    });
    expect(previousHeadline(view)).toMatchObject({ firstResponseMedian: 600, withinSla: 100, handled: 0 });
    expect(view.table.rows).toEqual([
      {
        operator: 'Анна Петрова',
        firstResponseMedian: 810,
        firstResponseP90: 1122,
        firstResponseAverage: 810,
        withinSla: 50,
        resolutionMedian: 3600,
        resolutionP90: 3600,
        resolutionAverage: 3600,
        handled: 2,
        messagesSent: 3,
        openNow: 2,
      },
      {
        operator: 'Борис Смирнов',
        firstResponseMedian: 180,
        firstResponseP90: 276,
        firstResponseAverage: 180,
        withinSla: 100,
        resolutionMedian: 7200,
        resolutionP90: 7200,
        resolutionAverage: 7200,
        handled: 2,
        messagesSent: 2,
        openNow: 1,
      },
    ]);
    expect(view.chart).toMatchObject({
      labels: ['Анна Петрова', 'Борис Смирнов'],
      series: [
        { key: 'firstResponseMedian', values: [810, 180] },
        { key: 'firstResponseP90', values: [1122, 276] },
      ],
    });
    const channels = view.extraTables!.find((table) => table.key === 'channels')!.table.rows;
    expect(channels.map((row) => [row.channel, row.firstResponseMedian, row.withinSla, row.messagesSent])).toEqual([
      ['telegram', 810, 50, 3],
      ['webchat', 180, 100, 2],
    ]);
    const teams = view.extraTables!.find((table) => table.key === 'teams')!.table.rows;
    expect(teams.map((row) => [row.team, row.firstResponseMedian, row.resolutionMedian, row.handled])).toEqual([
      ['Продажи', 810, 3600, 2],
    ]);
  });

  it('should narrow to one operator, one channel or one team', async () => {
    const manager = authUser(api.users.manager);
    const onlyBoris = await runReport(api, responsesReport, manager, { ...PERIOD, operatorId: boris });
    expect(headline(onlyBoris)).toMatchObject({ firstResponseMedian: 180, withinSla: 100, messagesSent: 2 });
    expect(onlyBoris.table.rows.map((row) => [row.operator, row.openNow])).toEqual([['Борис Смирнов', 1]]);
    const telegram = await runReport(api, responsesReport, manager, { ...PERIOD, channel: 'telegram' });
    expect(headline(telegram)).toMatchObject({ firstResponseMedian: 810, resolutionMedian: 3600, handled: 2 });
    const team = await runReport(api, responsesReport, manager, { ...PERIOD, teamId });
    expect(headline(team)).toMatchObject({ firstResponseMedian: 810, withinSla: 50, messagesSent: 3 });
  });

  it('should count a conversation answered on several days once, from kept days and from parts of days alike', async () => {
    const manager = authUser(api.users.manager);
    const conversation = fixtureConversation('telegram');
    await writeEvents(api, [
      { conversation, kind: 'message_sent', at: '2026-04-06T09:00:00Z', userId: anna },
      { conversation, kind: 'message_sent', at: '2026-04-07T09:00:00Z', userId: anna },
      { conversation, kind: 'message_sent', at: '2026-04-07T15:00:00Z', userId: anna },
    ]);
    const week = { from: '2026-04-06T00:00:00Z', to: '2026-04-13T00:00:00Z' };
    for (const run of ['counted', 'kept']) {
      const view = await runReport(api, responsesReport, manager, week);
      expect(headline(view), run).toMatchObject({ handled: 1, messagesSent: 3 });
    }
    // A period from noon (as the weekly digest may ask): the morning's message is not in it.
    const fromNoon = await runReport(api, responsesReport, manager, { ...week, from: '2026-04-06T12:00:00Z' });
    expect(headline(fromNoon)).toMatchObject({ handled: 1, messagesSent: 2 });
    const untilNoon = await runReport(api, responsesReport, manager, { from: week.from, to: '2026-04-07T12:00:00Z' });
    expect(headline(untilNoon)).toMatchObject({ handled: 1, messagesSent: 2 });
  });
});
