import { randomBytes, randomInt } from 'node:crypto';
import { Types } from 'mongoose';
import { pino } from 'pino';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { FLOW_TIMERS_QUEUE } from '../../server/flows/flow-jobs.js';
import { flowRunModel, type FlowRunRecord } from '../../server/flows/flow-run-model.js';
import { FLOW_TIMER_ID, flowTimerModel } from '../../server/flows/flow-timer-model.js';
import { installFlowTemplate } from '../../server/flows/install-flow-template.js';
import { scanFlowTimers } from '../../server/flows/scan-flow-timers.js';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { waitUntil } from '../wait-until.js';

const MINUTE = 60_000;

/**
 * The time-based triggers in the running app with real Redis: the scan is called with a clock the
 * test sets (an hour ahead of the real one, so the app's own 30-second scan, which runs on the real
 * clock, finds nothing new), its events go through the real flow-events queue to the executor.
 */
describe('flow timers', () => {
  let api: TestApi;
  let admin: ApiClient;
  let manager: ApiClient;
  let clock = Date.now() + 60 * MINUTE;

  beforeAll(async () => {
    api = await startTestApi({ env: { REDIS_URL: `redis://127.0.0.1:6379/${randomInt(1, 16)}` } });
    await installFlowTemplate(api.db, pino({ level: 'silent' }));
    admin = await api.as('admin');
    manager = await api.as('manager');
    await scan(clock);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
  });

  const suffix = () => randomBytes(3).toString('hex');
  const services = () => api.app.services;

  /** One pass of the scan at the test's clock, moved on to `at` (ms). */
  async function scan(at: number) {
    clock = Math.max(clock, at);
    return scanFlowTimers(services(), new Date(clock));
  }

  async function newContact(): Promise<string> {
    const created = await manager.post('/contacts', { name: `Клиент ${suffix()}` });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  async function pipelineId(key: string): Promise<string> {
    const pipelines = await manager.get('/pipelines');
    return pipelines.body.items.find((item: { systemKey?: string }) => item.systemKey === key).id;
  }

  async function upload(yaml: string) {
    const id = /^id: (\S+)/.exec(yaml)?.[1] ?? '';
    const response = await admin.put(`/flows/${id}`, { yaml });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
  }

  async function runsOf(flowId: string, filter: Record<string, unknown> = {}): Promise<FlowRunRecord[]> {
    const Run = await flowRunModel(api.db);
    return Run.find({ flowId, ...filter }).lean<FlowRunRecord[]>();
  }

  async function settledRun(flowId: string, filter: Record<string, unknown>, status = 'completed') {
    return waitUntil(
      `${flowId} ${status}`,
      async () => {
        const [run] = await runsOf(flowId, filter);
        return run?.status === status && run.pending.length === 0 ? run : undefined;
      },
      40_000,
    );
  }

  const tagFlow = (id: string, trigger: string) => `id: ${id}
name: { ru: Таймер }
version: 1
triggers:
  - ${trigger}
reEnrollment: { policy: always }
steps:
  - { id: mark, type: addTag, tags: [${id}] }
`;

  it('should keep one repeating scan job in Redis', async () => {
    const scheduler = await waitUntil('the scan scheduler', () =>
      api.app.queues.queue(FLOW_TIMERS_QUEUE).getJobScheduler('scan'),
    );
    expect(scheduler).toMatchObject({ every: 30_000 });
  });

  it('should fire task.overdue once when a task passes its due time, even when a window is scanned twice', async () => {
    const flowId = `overdue-${suffix()}`;
    await upload(tagFlow(flowId, '{ type: task.overdue, kinds: [call] }'));
    const contactId = await newContact();
    const dueAt = clock + MINUTE;
    const task = await manager.post('/tasks', {
      title: 'Перезвонить',
      kind: 'call',
      contactId,
      dueAt: new Date(dueAt).toISOString(),
    });
    expect(task.status).toBe(201);
    const before = clock;
    await scan(dueAt - 10_000);
    expect(await runsOf(flowId)).toHaveLength(0);
    expect((await scan(dueAt + 10_000)).events).toBeGreaterThan(0);
    const run = await settledRun(flowId, { contactId });
    expect(run.state.history[0]?.result).toBe('started by task.overdue');
    expect(run.state.context.task).toMatchObject({ id: task.body.id, kind: 'call', done: false });
    // A pass repeated over the same window (a worker that died before moving the mark on).
    await (
      await flowTimerModel(api.db)
    ).updateOne({ _id: FLOW_TIMER_ID }, { $set: { scannedUntil: new Date(before) } });
    expect((await scan(clock)).events).toBeGreaterThan(0);
    const other = await newContact();
    await manager.post('/tasks', {
      title: 'Ещё',
      kind: 'call',
      contactId: other,
      dueAt: new Date(clock + 5_000).toISOString(),
    });
    await scan(clock + 10_000);
    // The later event was handled, so the repeated one before it was too: still one run.
    await settledRun(flowId, { contactId: other });
    expect(await runsOf(flowId, { contactId })).toHaveLength(1);
    const contact = await contactModels(api.db).Contact.findById(contactId).lean();
    expect(contact?.tags).toEqual([flowId]);
  });

  it('should not fire for a task done in time', async () => {
    const flowId = `done-${suffix()}`;
    await upload(tagFlow(flowId, '{ type: task.overdue }'));
    const contactId = await newContact();
    const task = await manager.post('/tasks', {
      title: 'Успеть',
      contactId,
      dueAt: new Date(clock + MINUTE).toISOString(),
    });
    expect((await manager.post(`/tasks/${task.body.id}/done`, {})).status).toBe(200);
    await scan(clock + 2 * MINUTE);
    const witness = await newContact();
    await manager.post('/tasks', { title: 'Метка', contactId: witness, dueAt: new Date(clock + 5_000).toISOString() });
    await scan(clock + 10_000);
    await settledRun(flowId, { contactId: witness });
    expect(await runsOf(flowId, { contactId })).toHaveLength(0);
  });

  it('should fire a date trigger 1 day before a deal date at 10:00 Moscow time, at the new time once the date moves', async () => {
    const flowId = `date-${suffix()}`;
    await upload(
      tagFlow(flowId, '{ type: date, field: deal.fields.next_contact_at, before: 1d, at: "10:00" }').replace(
        'version: 1',
        'version: 1\nrunsPer: deal',
      ),
    );
    const contactId = await newContact();
    const deal = await manager.post('/deals', {
      title: `Дата ${suffix()}`,
      pipelineId: await pipelineId('sales'),
      contactId,
    });
    expect(deal.status).toBe(201);
    const Deal = await dealModel(api.db);
    // Two Moscow days ahead: the trigger fires the day before at 10:00 (07:00 UTC).
    const base = clock;
    const day = (offset: number) => new Date(base + offset * 86_400_000 + 3 * 3_600_000).toISOString().slice(0, 10);
    const setDate = (value: string) =>
      Deal.updateOne({ _id: deal.body.id }, { $set: { 'customFields.next_contact_at': value } });
    await setDate(day(2));
    const firstMoment = Date.parse(`${day(1)}T07:00:00Z`);
    await scan(firstMoment - MINUTE);
    // Moved before its moment: the old moment passes without an event.
    await setDate(day(3));
    await scan(firstMoment + MINUTE);
    const secondMoment = Date.parse(`${day(2)}T07:00:00Z`);
    await scan(secondMoment - MINUTE);
    expect(await runsOf(flowId, { dealId: deal.body.id })).toHaveLength(0);
    await scan(secondMoment + MINUTE);
    const run = await settledRun(flowId, { dealId: deal.body.id });
    expect(run.state.event).toMatchObject({ type: 'date.reached', field: 'deal.fields.next_contact_at', before: '1d' });
    expect(await runsOf(flowId, { dealId: deal.body.id })).toHaveLength(1);
  });

  it('should fire noReply when the client stays silent after our message, and appointment.upcoming before a meeting', async () => {
    const silent = `silent-${suffix()}`;
    const meeting = `meeting-${suffix()}`;
    await upload(tagFlow(silent, '{ type: noReply, waiting: client, after: 30m }'));
    await upload(tagFlow(meeting, '{ type: appointment.upcoming, before: 2h }'));
    const contactId = await newContact();
    await conversationModel(api.db).create({
      contactId,
      channel: 'telegram',
      channelAccountId: new Types.ObjectId(),
      chatId: String(randomInt(1_000_000, 9_999_999)),
      lastMessageAt: new Date(clock),
      lastMessage: { direction: 'out', preview: 'Удалось посмотреть предложение?' },
    });
    const startsAt = clock + 3 * 60 * MINUTE;
    const booked = await manager.post('/appointments', {
      title: 'Замер',
      contactId,
      place: 'ул. Лесная, 5',
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(startsAt + 60 * MINUTE).toISOString(),
    });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const wrote = clock;
    await scan(wrote + 20 * MINUTE);
    expect(await runsOf(silent, { contactId })).toHaveLength(0);
    await scan(wrote + 35 * MINUTE);
    const quiet = await settledRun(silent, { contactId });
    expect(quiet.state.event).toMatchObject({ type: 'noReply', waiting: 'client', after: '30m' });
    await scan(startsAt - 2 * 60 * MINUTE + MINUTE);
    const upcoming = await settledRun(meeting, { contactId });
    expect(upcoming.state.context.appointment).toMatchObject({ id: booked.body.id, title: 'Замер' });
  });

  it('should run the windows installment flows: overdue payment → stage and task, paid → won', async () => {
    // Messages to the client at any hour, so the run does not wait for the morning when the test runs at night.
    for (const flowId of ['installment-overdue', 'installment-payment']) {
      const flow = parse((await admin.get(`/flows/${flowId}`)).body.source) as { steps: Record<string, unknown>[] };
      for (const step of flow.steps) if (step.type === 'send') step.quietHours = 'ignore';
      expect((await admin.put(`/flows/${flowId}`, { yaml: stringify(flow) })).status).toBe(200);
    }
    const contactId = await newContact();
    const sale = await manager.post('/deals', {
      title: `Рассрочка ${suffix()}`,
      pipelineId: await pipelineId('sales'),
      contactId,
    });
    const copy = await manager.post(`/deals/${sale.body.id}/copy`, {
      pipelineId: await pipelineId('installments'),
      stageId: 'awaiting-payment',
    });
    expect(copy.status).toBe(201);
    const copyId = copy.body.copy.id;
    const dueAt = clock + MINUTE;
    const schedule = await manager.post('/payment-schedules', {
      dealId: sale.body.id,
      installments: [{ dueAt: new Date(dueAt).toISOString(), amount: 60_000 }],
    });
    expect(schedule.status, JSON.stringify(schedule.body)).toBe(201);
    await scan(dueAt + MINUTE);
    const overdue = await waitUntil(
      'the overdue run waiting for the payment',
      async () => {
        const [run] = await runsOf('installment-overdue', { dealId: copyId });
        return run?.state.cursor === 'await-payment' && run.pending.length === 0 ? run : undefined;
      },
      40_000,
    );
    expect(overdue.state.context.installment).toMatchObject({ n: 1, amount: 60_000, remaining: 60_000 });
    // The sale itself is not in installment control: its run was never started.
    expect(await runsOf('installment-overdue', { dealId: sale.body.id })).toHaveLength(0);
    expect((await manager.get(`/deals/${copyId}`)).body.stageId).toBe('overdue');
    const tasks = await (await taskModel(api.db)).find({ dealId: copyId }).lean();
    expect(tasks.map((task) => task.title.replaceAll('\u00a0', ' '))).toEqual([
      'Просрочка платежа №1 (60 000 ₽): связаться с клиентом',
    ]);
    const paid = await manager.post(`/payment-schedules/${schedule.body.id}/payments`, {
      amount: 60_000,
      method: 'card',
    });
    expect(paid.status).toBe(201);
    await settledRun('installment-payment', { dealId: copyId });
    await settledRun('installment-overdue', { dealId: copyId }, 'completed');
    const won = await manager.get(`/deals/${copyId}`);
    expect(won.body.status).toBe('won');
  }, 120_000);
});
