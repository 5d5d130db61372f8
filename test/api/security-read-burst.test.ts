import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from './api-harness.js';
import { randomMobile } from './contacts-test-data.js';

/** A fresh operator (so no earlier reads count) signed in, with `cards` contacts of their own. */
async function operatorWithCards(api: TestApi, admin: ApiClient, cards: number) {
  const user = await api.createUser({ role: 'operator', name: 'Оператор Читатель' });
  const ids: string[] = [];
  for (let i = 0; i < cards; i++) {
    const created = await admin.post('/contacts', { name: `Клиент ${i}`, phones: [randomMobile()], ownerId: user.id });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  return { user, ids, client: await api.login(user.email, TEST_PASSWORD) };
}

describe('read-burst alert', () => {
  describe('with READ_BURST_LIMIT=20 and no lock', () => {
    let api: TestApi;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await startTestApi({ env: { READ_BURST_LIMIT: '20' } });
      admin = await api.as('admin');
    });
    afterAll(() => api?.close());

    it('should raise exactly one alert, visible to admins, when an operator opens 21 cards', async () => {
      const { user, ids, client } = await operatorWithCards(api, admin, 24);
      for (const id of ids.slice(0, 20)) expect((await client.get(`/contacts/${id}`)).status).toBe(200);
      expect((await admin.get(`/security/alerts?userId=${user.id}`)).body.items).toEqual([]);

      expect((await client.get(`/contacts/${ids[20]}`)).status).toBe(200);
      const alerts = await admin.get(`/security/alerts?userId=${user.id}`);
      expect(alerts.status).toBe(200);
      expect(alerts.body.items).toHaveLength(1);
      expect(alerts.body.items[0]).toMatchObject({
        kind: 'read-burst',
        user: { id: user.id, name: 'Оператор Читатель' },
        count: 21,
        limit: 20,
        windowSeconds: 3600,
        locked: false,
        acknowledged: false,
      });

      // The burst goes on: still one alert, its count follows; without the lock the operator works on.
      for (const id of ids.slice(21)) expect((await client.get(`/contacts/${id}`)).status).toBe(200);
      const later = await admin.get(`/security/alerts?userId=${user.id}`);
      expect(later.body.items).toHaveLength(1);
      expect(later.body.items[0].count).toBe(24);

      const audit = await auditModels(api.db)
        .AuditLog.find({ action: 'security-alert.create', 'meta.userId': user.id })
        .lean();
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ entity: 'security-alert', entityId: alerts.body.items[0].id });
    });

    it('should count list pages by the rows they return', async () => {
      const { user, client } = await operatorWithCards(api, admin, 15);
      expect((await client.get('/contacts?limit=15')).body.items).toHaveLength(15);
      expect((await admin.get(`/security/alerts?userId=${user.id}`)).body.items).toEqual([]);
      expect((await client.get('/contacts?limit=10')).body.items).toHaveLength(10);
      const alerts = await admin.get(`/security/alerts?userId=${user.id}`);
      expect(alerts.body.items).toHaveLength(1);
      expect(alerts.body.items[0].count).toBe(25);
    });

    it('should let only admins see and acknowledge alerts, once', async () => {
      const { user, ids, client } = await operatorWithCards(api, admin, 1);
      for (let i = 0; i < 21; i++) await client.get(`/contacts/${ids[0]}`);
      const [alert] = (await admin.get(`/security/alerts?userId=${user.id}`)).body.items;
      const manager = await api.as('manager');
      expect((await manager.get('/security/alerts')).status).toBe(403);
      expect((await manager.post(`/security/alerts/${alert.id}/ack`, {})).status).toBe(403);

      const acked = await admin.post(`/security/alerts/${alert.id}/ack`, {});
      expect(acked.status).toBe(200);
      expect(acked.body).toMatchObject({ acknowledged: true, acknowledgedBy: { id: api.users.admin.id } });
      const again = await admin.post(`/security/alerts/${alert.id}/ack`, {});
      expect(again.body.acknowledgedAt).toBe(acked.body.acknowledgedAt);
      const open = await admin.get(`/security/alerts?acknowledged=false&userId=${user.id}`);
      expect(open.body.items).toEqual([]);
      expect(
        await auditModels(api.db).AuditLog.countDocuments({ action: 'security-alert.ack', entityId: alert.id }),
      ).toBe(1);
    });
  });

  describe('with READ_BURST_LOCK=true', () => {
    let api: TestApi;
    let admin: ApiClient;
    beforeAll(async () => {
      api = await startTestApi({ env: { READ_BURST_LIMIT: '20', READ_BURST_LOCK: 'true' } });
      admin = await api.as('admin');
    });
    afterAll(() => api?.close());

    it('should deactivate the operator: their next request is 401 and signing in is refused', async () => {
      const { user, ids, client } = await operatorWithCards(api, admin, 21);
      for (const id of ids) expect((await client.get(`/contacts/${id}`)).status).toBe(200);
      expect((await client.get(`/contacts/${ids[0]}`)).status).toBe(401);
      expect((await client.get('/contacts')).status).toBe(401);

      const stored = await userModels(api.db).User.findById(user.id).lean();
      expect(stored?.active).toBe(false);
      const [alert] = (await admin.get(`/security/alerts?userId=${user.id}`)).body.items;
      expect(alert).toMatchObject({ locked: true, count: 21 });
      const login = await api.anonymous().post('/auth/login', { email: user.email, password: TEST_PASSWORD });
      expect(login.status).toBe(401);
      const lockEntry = await auditModels(api.db)
        .AuditLog.findOne({ action: 'user.update', entityId: user.id, 'meta.reason': 'read-burst' })
        .lean();
      expect(lockEntry?.changes).toEqual(['active']);
    });

    it('should alert but never lock out the last active admin', async () => {
      const { ids } = await operatorWithCards(api, admin, 1);
      for (let i = 0; i < 21; i++) expect((await admin.get(`/contacts/${ids[0]}`)).status).toBe(200);
      const [alert] = (await admin.get(`/security/alerts?userId=${api.users.admin.id}`)).body.items;
      expect(alert).toMatchObject({ locked: false, count: 21 });
      expect((await admin.get(`/contacts/${ids[0]}`)).status).toBe(200);
      expect((await userModels(api.db).User.findById(api.users.admin.id).lean())?.active).toBe(true);
    });
  });
});
