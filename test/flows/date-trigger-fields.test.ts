import { randomBytes, randomInt } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFlowIssue } from '../../flows/validate/flow-file-error.js';
import { validateFlowFile } from '../../flows/validate/parse-flow-file.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { scanFlowTimers } from '../../server/flows/scan-flow-timers.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';

const MINUTE = 60_000;
const DAY = 1_440 * MINUTE;

/** A file whose flow has one date trigger on `field`; the trigger is on line 18. */
const fileWatching = (field: string, extra = '') => `format: 1
workspace:
  name: { ru: Тест }
  pipelines:
    - key: sales
      name: { ru: Продажа }
      kind: sales
      stages:
        - { id: new, name: { ru: Новый }, kind: open }
        - { id: won, name: { ru: Успех }, kind: won }
        - { id: lost, name: { ru: Провал }, kind: lost }
  fields: [{ entity: deal, key: budget, label: { ru: Бюджет }, type: number }, { entity: deal, key: call_at, label: { ru: Звонок }, type: date }]
flows:
  - id: f
    name: { ru: Поток }
    version: 1
    triggers:
      - { type: date, field: ${field}, after: 1d }
    steps:
      - { id: mark, type: addTag, tags: [seen] }${extra}
`;

function problems(text: string): string[] {
  const result = validateFlowFile(text, 'dates.yaml');
  return result.ok ? [] : result.issues.map(formatFlowIssue);
}

describe('date trigger fields', () => {
  it('should accept every date the scan can find records by', () => {
    for (const field of [
      'installment.dueAt',
      'appointment.startsAt',
      'appointment.endsAt',
      'deal.createdAt',
      'deal.stageEnteredAt',
      'deal.fields.call_at',
      'contact.createdAt',
    ])
      expect(problems(fileWatching(field)), field).toEqual([]);
  });

  it('should refuse other paths with the line, the column and what to use instead', () => {
    expect(problems(fileWatching('conversation.lastInboundAt'))).toEqual([
      expect.stringMatching(
        /^dates\.yaml:18:\d+: A date trigger cannot watch "conversation\.lastInboundAt": use a noReply trigger;/,
      ),
    ]);
    expect(problems(fileWatching('payment.paidAt'))[0]).toMatch(/^dates\.yaml:18:\d+: .*payment\.received trigger/);
    expect(problems(fileWatching('task.dueAt'))[0]).toMatch(/^dates\.yaml:18:\d+: .*task\.overdue/);
    expect(problems(fileWatching('deal.title'))[0]).toMatch(
      /^dates\.yaml:18:\d+: A date trigger cannot watch "deal\.title"; it watches installment\.dueAt, .*deal\.stageEnteredAt/,
    );
    expect(problems(fileWatching('deal.fields.budget'))).toEqual([
      expect.stringMatching(
        /^dates\.yaml:18:\d+: A date trigger needs a date field; "deal\.fields\.budget" is a number field/,
      ),
    ]);
  });

  it("should check a waitFor step's date event the same way", () => {
    const waiting = `
      - id: await
        type: waitFor
        event: { type: date, field: conversation.lastOutboundAt }
        timeout: 1d
        onTimeout: mark`;
    expect(problems(fileWatching('deal.createdAt', waiting))).toEqual([
      expect.stringMatching(/^dates\.yaml:23:\d+: A date trigger cannot watch "conversation\.lastOutboundAt"/),
    ]);
  });
});

/** The scan with a clock an hour ahead of the real one, as in flow-timers.test.ts. */
describe('date trigger on the time a deal entered its stage', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let clock = Date.now() + 60 * MINUTE;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
    await scanFlowTimers(api.app.services, new Date(clock));
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const scan = async (at: number) => {
    clock = Math.max(clock, at);
    return scanFlowTimers(api.app.services, new Date(clock));
  };

  it('should fire 2 days after a deal entered its stage, and again after it enters a stage anew', async () => {
    const flowId = `stale-${randomBytes(3).toString('hex')}`;
    const uploaded = await admin.put(`/flows/${flowId}`, {
      yaml: `id: ${flowId}
name: { ru: Застряла на этапе }
version: 1
runsPer: deal
triggers:
  - { type: date, field: deal.stageEnteredAt, after: 2d }
reEnrollment: { policy: always }
steps:
  - { id: mark, type: addTag, tags: [${flowId}] }
`,
    });
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(200);
    const contact = await manager.post('/contacts', { name: 'Клиент' });
    const pipelines = (await manager.get('/pipelines')).body.items as { id: string; systemKey?: string }[];
    const sales = pipelines.find((item) => item.systemKey === 'sales')!;
    const deal = await manager.post('/deals', { title: 'Окна', pipelineId: sales.id, contactId: contact.body.id });
    expect(deal.status, JSON.stringify(deal.body)).toBe(201);
    const moved = await manager.post(`/deals/${deal.body.id}/move`, { stageId: 'measurement-done' });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    // The visit began 2 days before the next scan's moment, minus a minute.
    const Deal = await dealModel(api.db);
    const enteredAt = new Date(clock + MINUTE - 2 * DAY);
    await Deal.updateOne({ _id: deal.body.id }, { $set: { 'stageHistory.1.enteredAt': enteredAt } });

    const Run = await flowRunModel(api.db);
    const runs = () => Run.find({ flowId, dealId: deal.body.id }).lean<FlowRunRecord[]>();
    await scan(clock + 30_000);
    expect(await runs()).toHaveLength(0);
    expect((await scan(clock + 60_000)).events).toBeGreaterThan(0);
    const run = await waitUntil('the run for the stale deal', async () => {
      const [found] = await runs();
      return found?.status === 'completed' ? found : undefined;
    });
    expect(run.state.history[0]?.result).toBe('started by date.reached');

    // A new visit is a new moment (the event id holds it): the flow fires again for it.
    const again = await manager.post(`/deals/${deal.body.id}/move`, { stageId: 'contract-signed' });
    expect(again.status).toBe(200);
    await Deal.updateOne(
      { _id: deal.body.id },
      { $set: { 'stageHistory.2.enteredAt': new Date(clock + MINUTE - 2 * DAY) } },
    );
    await scan(clock + 2 * MINUTE);
    await waitUntil('a second run for the new visit', async () => ((await runs()).length === 2 ? true : undefined));
  });
});
