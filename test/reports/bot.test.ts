import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeDeal } from '../../server/deals/change-deal.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { botReport } from '../../server/reports/bot-report.js';
import { reportEventModel } from '../../server/reports/events/report-event-model.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { waitUntil } from '../wait-until.js';
import {
  ALWAYS_OPEN,
  recordsOf,
  setBusinessHours,
  startFrontDoorApp,
  TelegramClient,
  type FrontDoorApp,
} from '../bot/front-door-fixture.js';
import { fixtureConversation, runReport, writeEvents } from './report-event-fixture.js';
import { authUser } from './report-fixtures.js';

const PERIOD = { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z' };
const headline = (view: ReportView) => Object.fromEntries(view.headline.map((item) => [item.key, item.value]));
const BOT = { kind: 'automation', id: 'bot', name: 'Бот' };

/**
 * Bot effectiveness: of the conversations the bot took in the period, how many it qualified
 * (a deal moved on by automation after the bot took the chat), handed to a person and booked.
 */
describe('bot report', () => {
  let app: FrontDoorApp;

  beforeAll(async () => {
    app = await startFrontDoorApp();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('should give the shares qualified, handed off and booked per channel', async () => {
    const { api } = app;
    const [t1, t2, t3] = [
      fixtureConversation('telegram'),
      fixtureConversation('telegram'),
      fixtureConversation('telegram'),
    ];
    const w1 = fixtureConversation('webchat');
    const outside = fixtureConversation('webchat');
    await writeEvents(api, [
      { conversation: t1, kind: 'bot_started', at: '2026-03-02T10:00:00Z' },
      { conversation: t2, kind: 'bot_started', at: '2026-03-03T10:00:00Z' },
      { conversation: t3, kind: 'bot_started', at: '2026-03-04T10:00:00Z' },
      { conversation: w1, kind: 'bot_started', at: '2026-03-05T10:00:00Z' },
      { conversation: t2, kind: 'handoff', at: '2026-03-03T10:02:00Z' },
      // Booked after the period ends: still an outcome of a conversation the bot took in it.
      { conversation: t3, kind: 'bot_booked', at: '2026-03-09T10:00:00Z' },
      // A conversation the bot took before the period: its hand-over counts for none of this period's.
      { conversation: outside, kind: 'bot_started', at: '2026-02-24T10:00:00Z' },
      { conversation: outside, kind: 'handoff', at: '2026-03-02T10:00:00Z' },
    ]);
    const pipelineId = new Types.ObjectId();
    const visit = (stageId: string, enteredAt: string, movedBy: object) => ({
      pipelineId,
      stageId,
      enteredAt: new Date(enteredAt),
      movedBy,
    });
    const Deal = await dealModel(api.db);
    await Deal.collection.insertMany([
      // t1's lead: created by the bot, moved to "qualified" by its flow an hour later.
      {
        contactId: t1.contactId,
        stageHistory: [
          visit('new', '2026-03-02T10:00:00Z', BOT),
          visit('qualified', '2026-03-02T11:00:00Z', { kind: 'automation', id: 'flow:lead-intake' }),
        ],
      },
      // w1's lead was qualified by a person: not the bot's doing.
      {
        contactId: w1.contactId,
        stageHistory: [
          visit('new', '2026-03-05T10:00:00Z', BOT),
          visit('qualified', '2026-03-05T12:00:00Z', { kind: 'user', id: String(new Types.ObjectId()) }),
        ],
      },
    ]);

    const view = await runReport(api, botReport, authUser(api.users.manager), PERIOD);
    expect(headline(view)).toEqual({ started: 4, qualifiedShare: 25, handedOffShare: 25, bookedShare: 25 });
    expect(view.headline.find((item) => item.key === 'started')!.previous).toBe(1);
    expect(view.table.rows).toEqual([
      {
        channel: 'telegram',
        started: 3,
        qualified: 1,
        qualifiedShare: 33.3,
        handedOff: 1,
        handedOffShare: 33.3,
        booked: 1,
        bookedShare: 33.3,
      },
      {
        channel: 'webchat',
        started: 1,
        qualified: 0,
        qualifiedShare: 0,
        handedOff: 0,
        handedOffShare: 0,
        booked: 0,
        bookedShare: 0,
      },
      {
        channel: 'Σ',
        started: 4,
        qualified: 1,
        qualifiedShare: 25,
        handedOff: 1,
        handedOffShare: 25,
        booked: 1,
        bookedShare: 25,
      },
    ]);
    const webchat = await runReport(api, botReport, authUser(api.users.manager), { ...PERIOD, channel: 'webchat' });
    expect(headline(webchat)).toEqual({ started: 1, qualifiedShare: 0, handedOffShare: 0, bookedShare: 0 });

    // t1's lead given to w1's client: moved before w1 wrote, so it qualifies nobody now (its day was kept).
    const lead = await Deal.findOne({ contactId: t1.contactId }).lean();
    await changeDeal(api.db, { _id: lead!._id }, () => ({ $set: { contactId: w1.contactId } }));
    const after = await runReport(api, botReport, authUser(api.users.manager), PERIOD);
    expect(headline(after)).toMatchObject({ started: 4, qualifiedShare: 0 });
  });

  it('should record the bot taking a Telegram chat and handing it to a person', async () => {
    const { api } = app;
    await setBusinessHours(api, ALWAYS_OPEN);
    const client = new TelegramClient(app, { firstName: 'Ольга', languageCode: 'ru' });
    await client.write('Нужно остеклить балкон');
    await client.waitForMessages(2);
    await client.write('оператор');
    await client.reply(2);
    const { conversation } = await recordsOf(api, String(client.chatId));
    const kinds = await waitUntil('the hand-over is recorded', async () => {
      const events = await reportEventModel(api.db).find({ conversationId: conversation._id }).lean();
      const found = events.map((event) => event.kind).sort();
      return found.includes('handoff') ? found : undefined;
    });
    expect(kinds).toEqual(['bot_started', 'handoff']);
    // The client now waits for a person: the first response will count from the hand-over at the latest.
    const waiting = (await recordsOf(api, String(client.chatId))).conversation;
    expect(waiting.handler).toBe('human');
    expect(waiting.waitingSince).toBeInstanceOf(Date);

    const today = new Date();
    const day = today.toISOString().slice(0, 10);
    const tomorrow = new Date(today.getTime() + 86_400_000).toISOString().slice(0, 10);
    const view = await runReport(api, botReport, authUser(api.users.manager), {
      from: `${day}T00:00:00Z`,
      to: `${tomorrow}T00:00:00Z`,
      channel: 'telegram',
    });
    expect(headline(view)).toMatchObject({ started: 1, handedOffShare: 100 });
  });
});
