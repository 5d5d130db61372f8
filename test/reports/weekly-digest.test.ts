import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealModel } from '../../server/deals/deal-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { reportEventModel } from '../../server/reports/events/report-event-model.js';
import { sentDigestModel } from '../../server/reports/digest/sent-digest-model.js';
import { DigestSendError, sendWeeklyDigest } from '../../server/reports/digest/send-weekly-digest.js';
import { WEEKLY_DIGEST_QUEUE } from '../../server/reports/digest/weekly-digest-queue.js';
import type { PublicUser } from '../../server/users/user-schemas.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { startSmtpCapture, type CapturedMail, type SmtpCapture } from '../stand-ins/smtp-capture.js';
import { waitUntil } from '../wait-until.js';

const NBSP = '\u00a0';
/** Monday 23 November 2026, 09:00 in Moscow: the digest reports 16–22 November, against 9–15 November. */
const MONDAY = '2026-11-23T06:00:00.000Z';
const SMTP_LOGIN = { username: 'reports@funnel.test', password: 'smtp-password-1' };

/** A moment in Moscow (UTC+3 all year) as a Date. */
const msk = (day: string, time = '12:00') => new Date(`${day}T${time}:00+03:00`);

/**
 * The fixture, by hand. Deals of the sales pipeline, by the day they were created (Moscow):
 *   this week (16–22 Nov): D1 16th form:Замер won 20th 100 000; D2 17th form:Замер lost;
 *     D3 18th yandex-direct open; D4 19th yandex-direct won 21st 250 000; D5 20th <b>Выставка</b> open.
 *   the week before (9–15 Nov): D0 10th referral won 17th 50 000; D6 12th referral lost 13th.
 * Funnel this week: 5 new deals, 2 of them won (40 %), revenue of them 350 000; deals won in the
 * week (closed as won): D0, D1, D4 = 3. Week before: 2 new, 1 won of them (D0, won since: 50 %),
 * revenue 50 000, none closed as won in it.
 * Top sources this week by leads, then revenue: yandex-direct 2/1/250 000, form:Замер 2/1/100 000,
 * <b>Выставка</b> 1/0/0.
 * First responses (report events): this week 60 s, 300 s, 1 200 s → median 300 s (5 min), 2 of 3
 * within the 15-minute SLA (66.7 %); the week before one of 600 s → 10 min, 100 %.
 */
async function writeFixture(api: TestApi): Promise<void> {
  const { sales } = await ensureDefaultPipelines(api.db);
  const Deal = await dealModel(api.db);
  const owner = api.users.operator;
  const actor = { kind: 'user', id: owner.id, name: owner.name };
  const open = sales!.stages.filter((stage) => stage.kind === 'open').map((stage) => stage.id);
  const deal = (
    title: string,
    source: string,
    created: Date,
    end?: { status: 'won' | 'lost'; at: Date; amount?: number },
  ) => {
    const visits = [{ pipelineId: sales!._id, stageId: open[0]!, enteredAt: created, movedBy: actor }];
    if (end) {
      Object.assign(visits[0]!, { leftAt: end.at });
      visits.push({ pipelineId: sales!._id, stageId: end.status, enteredAt: end.at, movedBy: actor });
    }
    return {
      _id: new Types.ObjectId(),
      title,
      pipelineId: sales!._id,
      stageId: end?.status ?? open[0]!,
      amount: end?.amount ?? 0,
      currency: 'RUB',
      ownerId: new Types.ObjectId(owner.id),
      customFields: {},
      status: end?.status ?? 'open',
      ...(end ? { closedAt: end.at } : {}),
      ...(end?.status === 'lost' ? { lostReason: 'Дорого' } : {}),
      stageHistory: visits,
      copies: [],
      source,
      createdBy: actor,
      revision: 1,
      createdAt: created,
      updatedAt: end?.at ?? created,
    };
  };
  await Deal.collection.insertMany([
    deal('D1', 'form:Замер', msk('2026-11-16', '10:00'), { status: 'won', at: msk('2026-11-20'), amount: 100_000 }),
    deal('D2', 'form:Замер', msk('2026-11-17'), { status: 'lost', at: msk('2026-11-18') }),
    deal('D3', 'yandex-direct', msk('2026-11-18')),
    deal('D4', 'yandex-direct', msk('2026-11-19'), { status: 'won', at: msk('2026-11-21'), amount: 250_000 }),
    deal('D5', '<b>Выставка</b>', msk('2026-11-20')),
    deal('D0', 'referral', msk('2026-11-10'), { status: 'won', at: msk('2026-11-17'), amount: 50_000 }),
    deal('D6', 'referral', msk('2026-11-12'), { status: 'lost', at: msk('2026-11-13') }),
  ]);
  const Event = reportEventModel(api.db);
  const answer = (at: Date, seconds: number) => ({
    kind: 'first_response',
    at,
    seconds,
    conversationId: new Types.ObjectId(),
    contactId: new Types.ObjectId(),
    channel: 'telegram',
    channelAccountId: new Types.ObjectId(),
    userId: new Types.ObjectId(owner.id),
    teamIds: [],
    withinSla: seconds <= 15 * 60,
    key: `first_response:${new Types.ObjectId().toHexString()}`,
  });
  await Event.collection.insertMany([
    answer(msk('2026-11-16'), 60),
    answer(msk('2026-11-18'), 300),
    answer(msk('2026-11-22', '23:00'), 1200),
    answer(msk('2026-11-11'), 600),
  ]);
}

function mailTo(mails: CapturedMail[], address: string): CapturedMail[] {
  return mails.filter((mail) => mail.to.includes(address));
}

async function runJob(api: TestApi, now: string): Promise<unknown> {
  const queue = api.app.services.queues.queue(WEEKLY_DIGEST_QUEUE);
  const job = await queue.add('weekly-digest', { now });
  return waitUntil(`the digest job ${job.id}`, async () => {
    const state = await job.getState();
    if (state === 'failed') throw new Error(`the digest job failed: ${(await queue.getJob(job.id!))?.failedReason}`);
    return state === 'completed' ? (await queue.getJob(job.id!))?.returnvalue : undefined;
  });
}

describe('weekly digest', () => {
  let api: TestApi;
  let smtp: SmtpCapture;
  let english: PublicUser;
  let away: PublicUser;
  const saved = { url: process.env.SYSTEM_SMTP_URL, from: process.env.SYSTEM_MAIL_FROM };

  beforeAll(async () => {
    smtp = await startSmtpCapture(SMTP_LOGIN);
    process.env.SYSTEM_SMTP_URL = `smtp://${encodeURIComponent(SMTP_LOGIN.username)}:${SMTP_LOGIN.password}@${smtp.host}:${smtp.port}`;
    process.env.SYSTEM_MAIL_FROM = 'Funnel <reports@funnel.test>';
    api = await startTestApi();
    english = await api.createUser({ role: 'manager', name: 'Jane "JJ" <Smith>', language: 'en' });
    away = await api.createUser({ role: 'manager', name: 'Ушедший руководитель', active: false });
    await writeFixture(api);
  });

  afterAll(async () => {
    await api?.close();
    await smtp?.close();
    process.env.SYSTEM_SMTP_URL = saved.url;
    process.env.SYSTEM_MAIL_FROM = saved.from;
    if (saved.url === undefined) delete process.env.SYSTEM_SMTP_URL;
    if (saved.from === undefined) delete process.env.SYSTEM_MAIL_FROM;
  });

  it('should mail each active manager and admin the week in their language, and nobody else', async () => {
    const run = await runJob(api, MONDAY);
    expect(run).toMatchObject({ week: '2026-11-16', recipients: 3, sent: 3, skipped: 0 });
    const mails = smtp.mails();
    expect(mails).toHaveLength(3);
    for (const role of ['operator', 'marketer'] as const) expect(mailTo(mails, api.users[role].email)).toEqual([]);
    expect(mailTo(mails, away.email)).toEqual([]);

    const [ru] = mailTo(mails, api.users.manager.email);
    expect(ru!.parsed.subject).toBe('Итоги недели: 16.11.2026 – 22.11.2026');
    expect(ru!.parsed.from?.value).toEqual([{ name: 'Funnel', address: 'reports@funnel.test' }]);
    const text = ru!.parsed.text!;
    expect(text).toContain('Здравствуйте, Test manager!');
    expect(text).toContain('Итоги недели 16.11.2026 – 22.11.2026 в сравнении с предыдущей (09.11.2026 – 15.11.2026).');
    expect(text).toContain('Новых сделок: 5 (было 2, +150 %)');
    expect(text).toContain('Выиграно из них: 2 (было 1, +100 %)');
    expect(text).toContain('Выиграно сделок: 3 (было 0, —)');
    expect(text).toContain(`Выручка, ₽: 350${NBSP}000 ₽ (было 50${NBSP}000 ₽, +600 %)`);
    expect(text).toContain('Конверсия лид → продажа, %: 40 % (было 50 %, −10 п. п.)');
    expect(text).toContain('Первый ответ, медиана: 5 мин (было 10 мин, −50 %)');
    expect(text).toContain('Ответ в срок (SLA): 66,7 % (было 100 %, −33,3 п. п.)');
    expect(text).toContain(`1. yandex-direct — Лиды: 2, Продажи: 1, Выручка, ₽: 250${NBSP}000 ₽`);
    expect(text).toContain(`2. form:Замер — Лиды: 2, Продажи: 1, Выручка, ₽: 100${NBSP}000 ₽`);
    expect(text).toContain('3. <b>Выставка</b> — Лиды: 1, Продажи: 0, Выручка, ₽: 0 ₽');
    expect(text).toContain(
      `${api.baseUrl.replace('127.0.0.1', 'localhost')}/#/reports/funnel?from=2026-11-16&to=2026-11-22`,
    );
    const html = String(ru!.parsed.html);
    expect(html).toContain('&lt;b&gt;Выставка&lt;/b&gt;');
    expect(html).not.toContain('<b>Выставка</b>');

    const [admin] = mailTo(mails, api.users.admin.email);
    expect(admin!.parsed.subject).toBe('Итоги недели: 16.11.2026 – 22.11.2026');
    expect(admin!.parsed.text).toContain('Здравствуйте, Test admin!');

    const [en] = mailTo(mails, english.email);
    expect(en!.parsed.subject).toBe('Weekly digest: 16 Nov 2026 – 22 Nov 2026');
    const enText = en!.parsed.text!;
    expect(enText).toContain('Hello, Jane "JJ" <Smith>,');
    expect(enText).toContain(
      'The week of 16 Nov 2026 – 22 Nov 2026 compared with the week before (9 Nov 2026 – 15 Nov 2026).',
    );
    expect(enText).toContain('New deals: 5 (was 2, +150%)');
    expect(enText).toContain('Won of them: 2 (was 1, +100%)');
    expect(enText).toContain('Deals won: 3 (was 0, —)');
    expect(enText).toContain('Revenue, ₽: 350,000 ₽ (was 50,000 ₽, +600%)');
    expect(enText).toContain('Lead → won, %: 40% (was 50%, −10 pp)');
    expect(enText).toContain('First response, median: 5 min (was 10 min, −50%)');
    expect(enText).toContain('Answered within SLA: 66.7% (was 100%, −33.3 pp)');
    expect(enText).toContain('1. yandex-direct — Leads: 2, Won: 1, Revenue, ₽: 250,000 ₽');
    expect(String(en!.parsed.html)).toContain('Hello, Jane &quot;JJ&quot; &lt;Smith&gt;,');
  });

  it('should send once when the job runs again for the same week', async () => {
    const before = smtp.mails().length;
    const again = await runJob(api, MONDAY);
    expect(again).toMatchObject({ week: '2026-11-16', sent: 0, skipped: 3 });
    expect(smtp.mails()).toHaveLength(before);
    const SentDigest = await sentDigestModel(api.db);
    expect(await SentDigest.countDocuments({ week: '2026-11-16', status: 'sent' })).toBe(3);
  });

  it('should send once when two runs of the same week race', async () => {
    const before = smtp.mails().length;
    const nextMonday = new Date('2026-11-30T06:00:00.000Z');
    const runs = await Promise.all([
      sendWeeklyDigest(api.app.services, { now: nextMonday }),
      sendWeeklyDigest(api.app.services, { now: nextMonday }),
    ]);
    expect(runs.map((run) => run.sent).reduce((a, b) => a + b, 0)).toBe(3);
    const mails = smtp.mails().slice(before);
    expect(mails).toHaveLength(3);
    expect(new Set(mails.flatMap((mail) => mail.to)).size).toBe(3);
    expect(
      mails.every(
        (mail) => mail.parsed.subject?.includes('23.11.2026') || mail.parsed.subject?.includes('23 Nov 2026'),
      ),
    ).toBe(true);
  });

  it('should resend only the mail that failed when the run is retried', async () => {
    const before = smtp.mails().length;
    const monday = new Date('2026-12-07T06:00:00.000Z');
    smtp.failNextRecipient(550, '5.1.1 User unknown');
    await expect(sendWeeklyDigest(api.app.services, { now: monday })).rejects.toThrow(DigestSendError);
    expect(smtp.mails().slice(before)).toHaveLength(2);
    const retry = await sendWeeklyDigest(api.app.services, { now: monday });
    expect(retry).toMatchObject({ week: '2026-11-30', sent: 1, skipped: 2 });
    const mails = smtp.mails().slice(before);
    expect(mails.flatMap((mail) => mail.to).sort()).toEqual(
      [api.users.admin.email, api.users.manager.email, english.email].sort(),
    );
  });
});
