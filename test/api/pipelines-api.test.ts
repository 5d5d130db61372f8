import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { pipelineModel } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('pipelines', () => {
  let api: TestApi;
  let admin: ApiClient;
  let operator: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.as('admin');
    operator = await api.as('operator');
  });
  afterAll(() => api?.close());

  it('should create the four default pipelines of seed 001 once, however often and concurrently it runs', async () => {
    await Promise.all([ensureDefaultPipelines(api.db), ensureDefaultPipelines(api.db)]);
    const renamed = await ensureDefaultPipelines(api.db);
    const Pipeline = await pipelineModel(api.db);
    await Pipeline.updateOne({ _id: renamed.sales!._id }, { $set: { name: 'Продажи окон' } });
    await ensureDefaultPipelines(api.db);
    expect(await Pipeline.countDocuments({ systemKey: { $exists: true } })).toBe(4);

    const listed = await operator.get('/pipelines');
    const sales = listed.body.items.find((p: { systemKey?: string }) => p.systemKey === 'sales');
    expect(sales.name).toBe('Продажи окон');
    expect(sales.stages.map((s: { id: string }) => s.id)).toEqual([
      'data-collection',
      'proposal-sent',
      'measurement-scheduled',
      'measurer-assigned',
      'measurement-done',
      'contract-signed',
      'won',
      'lost',
    ]);
    expect(listed.body.items.map((p: { systemKey?: string }) => p.systemKey)).toEqual(
      expect.arrayContaining(['leads', 'sales', 'deferred', 'installments']),
    );
  });

  it('should create a pipeline for managers only, with one won and one lost stage', async () => {
    const body = {
      name: 'Монтаж',
      kind: 'other',
      stages: [
        { name: 'Ждёт бригаду', kind: 'open' },
        { name: 'Смонтировано', kind: 'won' },
        { name: 'Отказ', kind: 'lost' },
      ],
    };
    expect((await operator.post('/pipelines', body)).status).toBe(403);
    const created = await admin.post('/pipelines', body);
    expect(created.status).toBe(201);
    expect(created.body.stages.map((s: { order: number }) => s.order)).toEqual([0, 1, 2]);
    const twoWon = { ...body, stages: [...body.stages, { name: 'Ещё успех', kind: 'won' }] };
    expect((await admin.post('/pipelines', twoWon)).status).toBe(400);
    expect((await admin.post('/pipelines', { ...body, kind: 'support' })).status).toBe(400);
  });

  it('should refuse to drop a stage that holds deals, allow it once empty, and archive', async () => {
    const created = await admin.post('/pipelines', {
      name: 'Сервис',
      kind: 'other',
      stages: [
        { id: 'request', name: 'Заявка', kind: 'open' },
        { id: 'visit', name: 'Выезд', kind: 'open' },
        { id: 'done', name: 'Готово', kind: 'won' },
        { id: 'lost', name: 'Отказ', kind: 'lost' },
      ],
    });
    const pipelineId = created.body.id;
    const deal = await admin.post('/deals', { title: 'Ремонт окна', pipelineId, stageId: 'visit' });
    const withoutVisit = created.body.stages.filter((s: { id: string }) => s.id !== 'visit');
    const refused = await admin.patch(`/pipelines/${pipelineId}`, { stages: withoutVisit });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.stageIds).toEqual(['visit']);

    await admin.post(`/deals/${deal.body.id}/move`, { stageId: 'request' });
    const reordered = await admin.patch(`/pipelines/${pipelineId}`, { stages: withoutVisit, name: 'Сервис и ремонт' });
    expect(reordered.status).toBe(200);
    expect(reordered.body.stages.map((s: { id: string }) => s.id)).toEqual(['request', 'done', 'lost']);

    const archived = await admin.patch(`/pipelines/${pipelineId}`, { archived: true });
    expect(archived.body.archived).toBe(true);
    expect((await admin.post('/deals', { title: 'x', pipelineId })).status).toBe(409);
    const active = await admin.get('/pipelines');
    expect(active.body.items.some((p: { id: string }) => p.id === pipelineId)).toBe(false);
    expect(
      (await admin.get('/pipelines?includeArchived=true')).body.items.some((p: { id: string }) => p.id === pipelineId),
    ).toBe(true);
    expect((await admin.patch(`/pipelines/${pipelineId}`, { kind: 'sales' })).status).toBe(400);
  });
});
