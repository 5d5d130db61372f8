import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

describe('custom fields', () => {
  let api: TestApi;
  let admin: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.as('admin');
  });
  afterAll(async () => {
    await api?.close();
  });

  const budget = { entity: 'deal', key: 'budget_range', label: { ru: 'Бюджет', en: 'Budget' }, type: 'select' };
  const options = [
    { value: 'low', label: { ru: 'до 5 млн' } },
    { value: 'high', label: { ru: 'от 5 млн' } },
  ];

  it('should define, list, change and remove a field, recording each change', async () => {
    const created = await admin.post('/custom-fields', { ...budget, options });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ key: 'budget_range', type: 'select', options, position: 0 });
    const listed = await admin.get('/custom-fields?entity=deal');
    expect(listed.body.items.map((f: { key: string }) => f.key)).toEqual(['budget_range']);
    expect((await admin.get('/custom-fields?entity=contact')).body.items).toEqual([]);

    const patched = await admin.patch(`/custom-fields/${created.body.id}`, { label: { ru: 'Бюджет клиента' } });
    expect(patched.body.label).toEqual({ ru: 'Бюджет клиента' });
    expect((await admin.patch(`/custom-fields/${created.body.id}`, { type: 'text' })).status).toBe(400);

    expect((await admin.delete(`/custom-fields/${created.body.id}`)).status).toBe(204);
    expect((await admin.delete(`/custom-fields/${created.body.id}`)).status).toBe(404);
    const actions = await auditModels(api.db)
      .AuditLog.find({ entity: 'custom-field', entityId: created.body.id })
      .sort({ _id: 1 })
      .lean();
    expect(actions.map((entry) => entry.action)).toEqual([
      'custom-field.create',
      'custom-field.update',
      'custom-field.delete',
    ]);
  });

  it('should refuse a second field with the same key, choices without options and options on text', async () => {
    const key = `k_${Math.random().toString(36).slice(2, 8)}`;
    const field = { entity: 'contact', key, label: { ru: 'Поле' }, type: 'text' };
    expect((await admin.post('/custom-fields', field)).status).toBe(201);
    expect((await admin.post('/custom-fields', field)).status).toBe(409);
    expect((await admin.post('/custom-fields', { ...field, entity: 'company' })).status).toBe(201);
    expect((await admin.post('/custom-fields', { ...budget, key: 'no_options' })).status).toBe(400);
    expect((await admin.post('/custom-fields', { ...field, key: 'text_opts', options })).status).toBe(400);
    expect((await admin.post('/custom-fields', { ...field, key: 'Bad Key' })).status).toBe(400);
  });

  it('should let every role read definitions and only managers and admins write them', async () => {
    for (const role of ['operator', 'marketer'] as const) {
      const client = await api.as(role);
      expect((await client.get('/custom-fields')).status).toBe(200);
      expect((await client.post('/custom-fields', { ...budget, key: 'nope', options })).status).toBe(403);
    }
    const manager = await api.as('manager');
    expect((await manager.post('/custom-fields', { ...budget, key: 'by_manager', options })).status).toBe(201);
    expect((await api.anonymous().get('/custom-fields')).status).toBe(401);
  });
});
