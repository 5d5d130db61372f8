import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeScheduleState } from '../../server/payments/compute-schedule-state.js';
import type { Payment } from '../../server/payments/payment-schedule-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

const at = (iso: string) => new Date(iso);
const paid = (amount: number, paidAt = '2025-01-01T10:00:00Z'): Payment => ({
  amount,
  paidAt: at(paidAt),
  method: 'bank-transfer',
  recordedBy: { kind: 'user', id: 'u' },
});
const installments = [
  { dueAt: at('2025-03-01T00:00:00Z'), amount: 30000 },
  { dueAt: at('2025-01-01T00:00:00Z'), amount: 30000 },
  { dueAt: at('2025-02-01T00:00:00Z'), amount: 30000 },
];

describe('computeScheduleState', () => {
  it('should allocate payments to installments in due order and mark overdue, partly paid and due', () => {
    const state = computeScheduleState(installments, [paid(20000), paid(25000)], at('2025-02-10T00:00:00Z'));
    expect(state.installments.map((i) => [i.dueAt.toISOString().slice(0, 10), i.paid, i.remaining, i.state])).toEqual([
      ['2025-01-01', 30000, 0, 'paid'],
      ['2025-02-01', 15000, 15000, 'overdue'],
      ['2025-03-01', 0, 30000, 'due'],
    ]);
    expect(state).toMatchObject({ total: 90000, paid: 45000, remaining: 45000, overdue: 15000, status: 'overdue' });
    expect(state.nextDue).toEqual({ dueAt: at('2025-03-01T00:00:00Z'), remaining: 30000 });
  });

  it('should show a partly paid installment before its due time as partly paid, and nothing overdue', () => {
    const state = computeScheduleState(installments, [paid(40000)], at('2025-01-15T00:00:00Z'));
    expect(state.installments.map((i) => i.state)).toEqual(['paid', 'partly-paid', 'due']);
    expect(state).toMatchObject({ overdue: 0, status: 'on-track', nextDue: { remaining: 20000 } });
  });

  it('should count kopecks exactly and report an overpayment once everything is paid', () => {
    const cents = computeScheduleState(
      [{ dueAt: at('2025-01-01T00:00:00Z'), amount: 0.3 }],
      [paid(0.1), paid(0.2)],
      at('2026-01-01T00:00:00Z'),
    );
    expect(cents).toMatchObject({ remaining: 0, overdue: 0, status: 'paid' });
    const over = computeScheduleState(installments, [paid(100000)], at('2030-01-01T00:00:00Z'));
    expect(over).toMatchObject({ status: 'paid', overpaid: 10000, remaining: 0 });
    expect(over.nextDue).toBeUndefined();
  });

  it('should treat an installment as overdue only once its due moment has passed', () => {
    const one = [{ dueAt: at('2025-01-01T12:00:00Z'), amount: 100 }];
    expect(computeScheduleState(one, [], at('2025-01-01T12:00:00Z')).installments[0]!.state).toBe('due');
    expect(computeScheduleState(one, [], at('2025-01-01T12:00:01Z')).installments[0]!.state).toBe('overdue');
  });
});

describe('payment schedules API', () => {
  let api: TestApi;
  let manager: ApiClient;
  let pipelines: Record<string, PipelineRecord>;

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    manager = await api.as('manager');
  });
  afterAll(() => api?.close());

  it('should create one schedule per deal, record payments once per reference and report the state', async () => {
    const deal = await manager.post('/deals', {
      title: 'Окна в рассрочку',
      pipelineId: String(pipelines.installments!._id),
    });
    const past = new Date(Date.now() - 86_400_000).toISOString();
    const future = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const body = {
      dealId: deal.body.id,
      installments: [
        { dueAt: past, amount: 50000 },
        { dueAt: future, amount: 50000 },
      ],
    };
    const created = await manager.post('/payment-schedules', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ currency: 'RUB', overdue: 50000, status: 'overdue' });
    expect((await manager.post('/payment-schedules', body)).status).toBe(409);

    const payment = { amount: 60000, method: 'bank-transfer', reference: 'ПП-1042' };
    const recorded = await manager.post(`/payment-schedules/${created.body.id}/payments`, payment);
    expect(recorded.status).toBe(201);
    const again = await manager.post(`/payment-schedules/${created.body.id}/payments`, payment);
    expect(again.body.payments).toHaveLength(1);
    expect(again.body.installments.map((i: { state: string }) => i.state)).toEqual(['paid', 'partly-paid']);
    expect(again.body).toMatchObject({ paid: 60000, remaining: 40000, overdue: 0, status: 'on-track' });

    const listed = await manager.get(`/payment-schedules?dealId=${deal.body.id}`);
    expect(listed.body.items.map((s: { id: string }) => s.id)).toEqual([created.body.id]);
  });

  it('should refuse payments from operators and invalid installments', async () => {
    const operator = await api.as('operator');
    const deal = await manager.post('/deals', { title: 'x', pipelineId: String(pipelines.sales!._id) });
    const bad = await manager.post('/payment-schedules', {
      dealId: deal.body.id,
      installments: [{ dueAt: 'завтра', amount: -5 }],
    });
    expect(bad.status).toBe(400);
    expect((await manager.post('/payment-schedules', { dealId: deal.body.id, installments: [] })).status).toBe(400);
    const created = await manager.post('/payment-schedules', {
      dealId: deal.body.id,
      installments: [{ dueAt: new Date().toISOString(), amount: 100 }],
    });
    const refused = await operator.post(`/payment-schedules/${created.body.id}/payments`, {
      amount: 100,
      method: 'cash',
    });
    expect(refused.status).toBe(403);
    expect((await operator.get(`/payment-schedules/${created.body.id}`)).status).toBe(404);
  });
});
