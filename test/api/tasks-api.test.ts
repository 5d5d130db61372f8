import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { createTask } from '../../server/tasks/create-task.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('tasks', () => {
  let api: TestApi;
  let operator: ApiClient;
  let manager: ApiClient;
  let salesId: string;
  const hoursFromNow = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();

  beforeAll(async () => {
    api = await startTestApi();
    operator = await api.as('operator');
    manager = await api.as('manager');
    salesId = String((await ensureDefaultPipelines(api.db)).sales!._id);
  });
  afterAll(() => api?.close());

  it('should create a task for oneself, complete it once and keep the first completion time', async () => {
    const created = await operator.post('/tasks', {
      title: 'Перезвонить клиенту',
      kind: 'call',
      dueAt: hoursFromNow(2),
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      assigneeId: api.users.operator.id,
      done: false,
      createdBy: { kind: 'user', id: api.users.operator.id },
    });
    const done = await operator.post(`/tasks/${created.body.id}/done`, { result: 'Договорились о замере' });
    expect(done.body).toMatchObject({ done: true, result: 'Договорились о замере' });
    const again = await operator.post(`/tasks/${created.body.id}/done`, {});
    expect(again.body.doneAt).toBe(done.body.doneAt);
    const reopened = await operator.patch(`/tasks/${created.body.id}`, { done: false, dueAt: null });
    expect(reopened.body.done).toBe(false);
    expect(reopened.body.doneAt).toBeUndefined();
    expect(reopened.body.dueAt).toBeUndefined();
  });

  it('should filter by assignee, due range, overdue and done', async () => {
    const measurer = await api.createUser({ role: 'operator' });
    const overdue = await createTask(
      api.db,
      { title: 'Назначить замерщика', kind: 'measurement', assigneeId: measurer.id, dueAt: new Date(hoursFromNow(-3)) },
      { kind: 'automation', id: 'flow:sales' },
    );
    const upcoming = await manager.post('/tasks', {
      title: 'Замер',
      kind: 'measurement',
      assigneeId: measurer.id,
      dueAt: hoursFromNow(24),
    });
    const finished = await manager.post('/tasks', {
      title: 'Старый замер',
      assigneeId: measurer.id,
      dueAt: hoursFromNow(-48),
    });
    await manager.post(`/tasks/${finished.body.id}/done`, {});

    const ids = async (query: string) =>
      (await manager.get(`/tasks?assigneeId=${measurer.id}&${query}`)).body.items.map((t: { id: string }) => t.id);
    expect(await ids('overdue=true')).toEqual([String(overdue._id)]);
    expect(await ids('done=true')).toEqual([finished.body.id]);
    expect(await ids('done=false')).toEqual([upcoming.body.id, String(overdue._id)]);
    expect(
      await ids(`dueFrom=${encodeURIComponent(hoursFromNow(1))}&dueTo=${encodeURIComponent(hoursFromNow(48))}`),
    ).toEqual([upcoming.body.id]);
    expect((await manager.get(`/tasks/${String(overdue._id)}`)).body.createdBy).toEqual({
      kind: 'automation',
      id: 'flow:sales',
    });
    expect((await manager.get('/tasks?overdue=yes')).status).toBe(400);
  });

  it("should hide other people's tasks from an operator and refuse links to deals they cannot see", async () => {
    const other = await api.createUser({ role: 'operator' });
    const theirs = await manager.post('/tasks', { title: 'Чужая задача', assigneeId: other.id });
    expect((await operator.get(`/tasks/${theirs.body.id}`)).status).toBe(404);
    expect((await operator.post(`/tasks/${theirs.body.id}/done`, {})).status).toBe(404);
    const listed = await operator.get('/tasks?limit=200');
    expect(listed.body.items.some((t: { id: string }) => t.id === theirs.body.id)).toBe(false);
    const deal = await manager.post('/deals', { title: 'Сделка менеджера', pipelineId: salesId });
    expect((await operator.post('/tasks', { title: 'x', dealId: deal.body.id })).status).toBe(400);
    expect((await manager.post('/tasks', { title: 'x', dealId: deal.body.id })).status).toBe(201);
    expect((await operator.post('/tasks', { title: 'x', kind: 'visit' })).status).toBe(400);
    expect((await operator.post('/tasks', { title: 'x', priority: 1 })).status).toBe(400);
  });
});
