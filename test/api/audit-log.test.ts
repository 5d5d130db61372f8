import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../server/audit/record-audit.js';
import { startTestApi, type TestApi } from './api-harness.js';

describe('the audit log', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should record changes with who, before, after and the changed fields, redacting secrets', async () => {
    const entityId = Math.random().toString(36).slice(2);
    await recordAudit(api, {
      actor: api.users.manager,
      action: 'deal.update',
      entity: 'deal',
      entityId,
      before: { title: 'Дом', amount: 100, apiToken: 'secret-1' },
      after: { title: 'Дом', amount: 250, apiToken: 'secret-2' },
      meta: { password: 'hunter2', reason: 'discount' },
    });
    const admin = await api.as('admin');
    const page = await admin.get(`/audit?entity=deal&entityId=${entityId}`);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(1);
    const [entry] = page.body.items;
    expect(entry).toMatchObject({
      actor: { id: api.users.manager.id, name: api.users.manager.name },
      action: 'deal.update',
      before: { amount: 100 },
      after: { amount: 250 },
      changes: ['amount'],
      meta: { reason: 'discount', password: '[redacted]' },
    });
    expect(JSON.stringify(entry)).not.toMatch(/secret-|hunter2/);
  });

  it('should filter by actor and time range and page with cursors', async () => {
    const entity = `thing-${Math.random().toString(36).slice(2)}`;
    for (let i = 0; i < 5; i++)
      await recordAudit(api, {
        actor: i < 3 ? api.users.operator : null,
        action: `${entity}.create`,
        entity,
        entityId: String(i),
      });
    const admin = await api.as('admin');
    const byActor = await admin.get(`/audit?entity=${entity}&actor=${api.users.operator.id}`);
    expect(byActor.body.items.map((e: { entityId: string }) => e.entityId)).toEqual(['2', '1', '0']);
    const first = await admin.get(`/audit?entity=${entity}&limit=2`);
    const second = await admin.get(`/audit?entity=${entity}&limit=2&cursor=${first.body.nextCursor}`);
    const third = await admin.get(`/audit?entity=${entity}&limit=2&cursor=${second.body.nextCursor}`);
    expect(
      [...first.body.items, ...second.body.items, ...third.body.items].map((e: { entityId: string }) => e.entityId),
    ).toEqual(['4', '3', '2', '1', '0']);
    expect(third.body.nextCursor).toBeUndefined();
    expect(first.body.items[0].actor).toBeNull();
    expect(third.body.items[0].actor).toMatchObject({ id: api.users.operator.id });
    const future = new Date(Date.now() + 60_000).toISOString();
    expect((await admin.get(`/audit?entity=${entity}&from=${encodeURIComponent(future)}`)).body.items).toEqual([]);
    expect((await admin.get(`/audit?entity=${entity}&to=${encodeURIComponent(future)}`)).body.items).toHaveLength(5);
    expect((await admin.get(`/audit?from=${encodeURIComponent(future)}&to=2000-01-01`)).status).toBe(400);
    expect((await admin.get('/audit?from=yesterday')).status).toBe(400);
    expect((await admin.get('/audit?cursor=garbage')).status).toBe(400);
  });

  it('should record sign-ins', async () => {
    const client = await api.as('marketer');
    const admin = await api.as('admin');
    const page = await admin.get(`/audit?action=auth.login&actor=${client.user!.id}`);
    expect(page.body.items[0]).toMatchObject({
      entity: 'user',
      entityId: client.user!.id,
      meta: { ip: expect.stringMatching(/^10\./) },
    });
  });

  it('should be readable by managers but not by operators or marketers', async () => {
    expect((await (await api.as('manager')).get('/audit')).status).toBe(200);
    expect((await (await api.as('operator')).get('/audit')).status).toBe(403);
    expect((await (await api.as('marketer')).get('/audit')).status).toBe(403);
  });
});
