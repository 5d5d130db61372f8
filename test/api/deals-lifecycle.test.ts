import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealModel } from '../../server/deals/deal-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('deals', () => {
  let api: TestApi;
  let manager: ApiClient;
  let operator: ApiClient;
  let pipelines: Record<string, PipelineRecord>;
  const id = (key: string) => String(pipelines[key]!._id);

  beforeAll(async () => {
    api = await startTestApi();
    pipelines = await ensureDefaultPipelines(api.db);
    manager = await api.as('manager');
    operator = await api.as('operator');
  });
  afterAll(() => api?.close());

  const newDeal = async (client: ApiClient, extra: Record<string, unknown> = {}) => {
    const response = await client.post('/deals', { title: `Окна ${Math.random()}`, pipelineId: id('sales'), ...extra });
    expect(response.status).toBe(201);
    return response.body;
  };

  it('should start a deal in the first open stage with one open history entry', async () => {
    const deal = await newDeal(operator, { amount: 185000.5 });
    expect(deal).toMatchObject({ stageId: 'data-collection', status: 'open', currency: 'RUB', amount: 185000.5 });
    expect(deal.ownerId).toBe(api.users.operator.id);
    expect(deal.stageHistory).toHaveLength(1);
    expect(deal.stageHistory[0].leftAt).toBeUndefined();
  });

  it('should record two moves as three history entries with enteredAt/leftAt and who moved it', async () => {
    const deal = await newDeal(operator);
    const first = await operator.post(`/deals/${deal.id}/move`, { stageId: 'proposal-sent' });
    expect(first.status).toBe(200);
    const second = await operator.post(`/deals/${deal.id}/move`, { stageId: 'measurement-scheduled' });
    expect(second.status).toBe(200);
    const history = second.body.stageHistory;
    expect(history.map((visit: { stageId: string }) => visit.stageId)).toEqual([
      'data-collection',
      'proposal-sent',
      'measurement-scheduled',
    ]);
    expect(history[0].leftAt).toBe(history[1].enteredAt);
    expect(history[1].leftAt).toBe(history[2].enteredAt);
    expect(history[2].leftAt).toBeUndefined();
    expect(history[2].movedBy).toEqual({ kind: 'user', id: api.users.operator.id });
    expect(second.body.stageId).toBe('measurement-scheduled');

    const repeated = await operator.post(`/deals/${deal.id}/move`, { stageId: 'measurement-scheduled' });
    expect(repeated.body.stageHistory).toHaveLength(3);
  });

  it('should close as won and as lost with a reason, and reopen by moving to an open stage', async () => {
    const won = await operator.post(`/deals/${(await newDeal(operator)).id}/won`);
    expect(won.body).toMatchObject({ status: 'won', stageId: 'won' });
    expect(won.body.closedAt).toBeDefined();

    const deal = await newDeal(operator);
    const lost = await operator.post(`/deals/${deal.id}/lost`, { reason: 'Дорого' });
    expect(lost.body).toMatchObject({ status: 'lost', stageId: 'lost', lostReason: 'Дорого' });
    expect((await operator.post(`/deals/${deal.id}/lost`, {})).status).toBe(400);

    const reopened = await operator.post(`/deals/${deal.id}/move`, { stageId: 'proposal-sent' });
    expect(reopened.body.status).toBe('open');
    expect(reopened.body.lostReason).toBeUndefined();
    expect(reopened.body.closedAt).toBeUndefined();
  });

  it('should move a deal across pipelines (deferred demand back to sales) but not out of leads', async () => {
    const deal = await newDeal(manager, { pipelineId: id('deferred') });
    const back = await manager.post(`/deals/${deal.id}/move`, { pipelineId: id('sales'), stageId: 'proposal-sent' });
    expect(back.body).toMatchObject({ pipelineId: id('sales'), stageId: 'proposal-sent' });
    expect(back.body.stageHistory[0]).toMatchObject({ pipelineId: id('deferred'), stageId: 'next-contact-planned' });

    const lead = await newDeal(manager, { pipelineId: id('leads') });
    expect((await manager.post(`/deals/${lead.id}/move`, { pipelineId: id('sales'), stageId: 'won' })).status).toBe(
      409,
    );
    expect((await manager.post(`/deals/${lead.id}/won`)).status).toBe(409);
  });

  it('should copy a deal into installment control with links both ways, once per target pipeline', async () => {
    const deal = await newDeal(operator, { amount: 240000 });
    await operator.post(`/deals/${deal.id}/won`);
    const first = await operator.post(`/deals/${deal.id}/copy`, { pipelineId: id('installments') });
    expect(first.status).toBe(201);
    const { copy, source } = first.body;
    expect(copy).toMatchObject({
      pipelineId: id('installments'),
      stageId: 'awaiting-payment',
      status: 'open',
      amount: 240000,
      ownerId: api.users.operator.id,
      copiedFrom: { dealId: deal.id, pipelineId: id('installments') },
    });
    expect(source.copies).toEqual([{ dealId: copy.id, pipelineId: id('installments') }]);

    const retry = await operator.post(`/deals/${deal.id}/copy`, { pipelineId: id('installments') });
    expect(retry.body.copy.id).toBe(copy.id);
    expect(retry.body.source.copies).toHaveLength(1);
    const Deal = await dealModel(api.db);
    expect(await Deal.countDocuments({ 'copiedFrom.dealId': deal.id })).toBe(1);
    expect((await operator.post(`/deals/${deal.id}/copy`, { pipelineId: id('sales') })).status).toBe(400);
  });

  it("should hide another operator's deal from an operator: 404 to read, move, change or copy, absent from lists", async () => {
    const other = await api.createUser({ role: 'operator' });
    const theirs = await newDeal(manager, { ownerId: other.id });
    expect((await operator.get(`/deals/${theirs.id}`)).status).toBe(404);
    expect((await operator.post(`/deals/${theirs.id}/move`, { stageId: 'proposal-sent' })).status).toBe(404);
    expect((await operator.patch(`/deals/${theirs.id}`, { title: 'моё' })).status).toBe(404);
    expect((await operator.post(`/deals/${theirs.id}/copy`, { pipelineId: id('installments') })).status).toBe(404);
    const listed = await operator.get(`/deals?ownerId=${other.id}`);
    expect(listed.body.items).toEqual([]);
    const mine = await operator.get('/deals?limit=200');
    expect(mine.body.items.every((deal: { ownerId: string }) => deal.ownerId === api.users.operator.id)).toBe(true);
    expect((await manager.get(`/deals/${theirs.id}`)).body.stageId).toBe('data-collection');
  });

  it('should let only deals.reassign give a deal to someone else', async () => {
    const deal = await newDeal(operator);
    const refused = await operator.patch(`/deals/${deal.id}`, { ownerId: api.users.manager.id });
    expect(refused.status).toBe(403);
    expect(
      (await operator.post('/deals', { title: 'x', pipelineId: id('sales'), ownerId: api.users.manager.id })).status,
    ).toBe(403);
    const reassigned = await manager.patch(`/deals/${deal.id}`, { ownerId: api.users.manager.id });
    expect(reassigned.body.ownerId).toBe(api.users.manager.id);
  });

  it('should filter by pipeline, stage and status and page with a cursor', async () => {
    const owner = await api.createUser({ role: 'manager' });
    for (let i = 0; i < 3; i++) await newDeal(manager, { ownerId: owner.id, pipelineId: id('deferred') });
    const page1 = await manager.get(
      `/deals?ownerId=${owner.id}&pipelineId=${id('deferred')}&stageId=next-contact-planned&status=open&limit=2`,
    );
    expect(page1.body.items).toHaveLength(2);
    const page2 = await manager.get(`/deals?ownerId=${owner.id}&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.nextCursor).toBeUndefined();
  });

  it('should refuse unknown fields, $-keys and stage changes through PATCH with 400, writing nothing', async () => {
    const Deal = await dealModel(api.db);
    const before = await Deal.countDocuments();
    const unknown = await manager.post('/deals', { title: 'x', pipelineId: id('sales'), color: 'red' });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body.error.details)).toContain('color');
    const operatorKey = await manager.post('/deals', { title: { $gt: '' }, pipelineId: id('sales') });
    expect(operatorKey.status).toBe(400);
    const badStage = await manager.post('/deals', { title: 'x', pipelineId: id('sales'), stageId: 'nope' });
    expect(badStage.status).toBe(400);
    expect(await Deal.countDocuments()).toBe(before);

    const deal = await newDeal(manager);
    expect((await manager.patch(`/deals/${deal.id}`, { stageId: 'won' })).status).toBe(400);
    expect((await manager.patch(`/deals/${deal.id}`, { customFields: { $set: 1 } })).status).toBe(400);
    expect((await manager.get(`/deals/${deal.id}`)).body.stageId).toBe('data-collection');
  });
});
