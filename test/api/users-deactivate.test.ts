import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { taskModel } from '../../server/tasks/task-model.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from './api-harness.js';
import { randomMobile } from './contacts-test-data.js';

describe('deactivating a user with redistribution', () => {
  let api: TestApi;
  let admin: ApiClient;
  let salesId: string;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.as('admin');
    salesId = String((await ensureDefaultPipelines(api.db)).sales!._id);
  });
  afterAll(() => api?.close());

  const contactOf = async (ownerId: string) => {
    const created = await admin.post('/contacts', { name: 'Клиент', phones: [randomMobile()], ownerId });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const dealOf = async (ownerId: string, contactId?: string) => {
    const created = await admin.post('/deals', {
      title: 'Окна в коттедж',
      pipelineId: salesId,
      ownerId,
      ...(contactId ? { contactId } : {}),
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const taskOf = async (assigneeId: string, links: { dealId?: string } = {}) => {
    const created = await admin.post('/tasks', { title: 'Перезвонить', kind: 'call', assigneeId, ...links });
    expect(created.status).toBe(201);
    return created.body.id as string;
  };
  const ownerOfContact = async (id: string) =>
    String((await contactModels(api.db).Contact.findById(id).lean())?.ownerId);
  const ownerOfDeal = async (id: string) => String((await (await dealModel(api.db)).findById(id).lean())?.ownerId);
  const assigneeOfTask = async (id: string) =>
    String((await (await taskModel(api.db)).findById(id).lean())?.assigneeId);

  it('should hand 3 deals, 2 tasks and 4 contacts to two colleagues, keep each client with one, and move nothing on retry', async () => {
    const leaving = await api.createUser({ role: 'operator', name: 'Уходящий Менеджер' });
    const a = await api.createUser({ role: 'operator', name: 'Анна' });
    const b = await api.createUser({ role: 'manager', name: 'Борис' });
    const leavingClient = await api.login(leaving.email, TEST_PASSWORD);
    const contacts = [];
    for (let i = 0; i < 4; i++) contacts.push(await contactOf(leaving.id));
    const deals = [
      await dealOf(leaving.id, contacts[0]),
      await dealOf(leaving.id, contacts[1]),
      await dealOf(leaving.id),
    ];
    const wonDeal = await dealOf(leaving.id);
    expect((await admin.post(`/deals/${wonDeal}/won`)).status).toBe(200);
    const tasks = [await taskOf(leaving.id, { dealId: deals[0] }), await taskOf(leaving.id)];
    const doneTask = await taskOf(leaving.id);
    expect((await admin.post(`/tasks/${doneTask}/done`, {})).status).toBe(200);

    const response = await admin.post(`/users/${leaving.id}/deactivate`, { to: { userIds: [a.id, b.id] } });
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    expect(response.body.user).toMatchObject({ id: leaving.id, active: false });
    expect(response.body.moved).toEqual({ deals: 3, tasks: 2, contacts: 4 });
    expect(response.body.byUser).toEqual([
      { userId: a.id, contacts: 2, deals: 2, tasks: 1 },
      { userId: b.id, contacts: 2, deals: 1, tasks: 1 },
    ]);

    // Contacts alternate; a deal follows its client, a task its deal; the rest continue the round.
    expect(await Promise.all(contacts.map(ownerOfContact))).toEqual([a.id, b.id, a.id, b.id]);
    expect(await Promise.all(deals.map(ownerOfDeal))).toEqual([a.id, b.id, a.id]);
    expect(await Promise.all(tasks.map(assigneeOfTask))).toEqual([a.id, b.id]);
    // Closed work stays where it was done: history keeps who won the deal and did the task.
    expect(await ownerOfDeal(wonDeal)).toBe(leaving.id);
    expect(await assigneeOfTask(doneTask)).toBe(leaving.id);
    expect((await leavingClient.get('/contacts')).status).toBe(401);

    const { AuditLog } = auditModels(api.db);
    const moves = await AuditLog.find({ 'meta.deactivatedUserId': leaving.id }).lean();
    expect(moves.map((entry) => entry.action).sort()).toEqual([
      ...Array(4).fill('contact.update'),
      ...Array(3).fill('deal.update'),
      ...Array(2).fill('task.update'),
    ]);
    expect(moves.every((entry) => entry.changes?.includes('ownerId') || entry.changes?.includes('assigneeId'))).toBe(
      true,
    );
    const summary = await AuditLog.find({ action: 'user.deactivate', entityId: leaving.id }).lean();
    expect(summary).toHaveLength(1);
    expect(summary[0]?.meta).toMatchObject({ moved: { deals: 3, tasks: 2, contacts: 4 } });

    const retry = await admin.post(`/users/${leaving.id}/deactivate`, { to: { userIds: [a.id, b.id] } });
    expect(retry.status).toBe(200);
    expect(retry.body.moved).toEqual({ deals: 0, tasks: 0, contacts: 0 });
    expect(await Promise.all(contacts.map(ownerOfContact))).toEqual([a.id, b.id, a.id, b.id]);
    expect(await AuditLog.countDocuments({ 'meta.deactivatedUserId': leaving.id })).toBe(9);
    expect(await AuditLog.countDocuments({ action: 'user.deactivate', entityId: leaving.id })).toBe(1);
  });

  it("should share the work among a team's active members who can work it", async () => {
    const team = await admin.post('/teams', { name: `Продажи ${Math.random()}` });
    const teamIds = [team.body.id];
    const leaving = await api.createUser({ role: 'operator', teamIds });
    const colleague = await api.createUser({ role: 'operator', teamIds });
    await api.createUser({ role: 'marketer', teamIds });
    await api.createUser({ role: 'operator', teamIds, active: false });
    const contacts = [await contactOf(leaving.id), await contactOf(leaving.id)];
    const response = await admin.post(`/users/${leaving.id}/deactivate`, { to: { teamId: team.body.id } });
    expect(response.status).toBe(200);
    expect(response.body.byUser).toEqual([{ userId: colleague.id, contacts: 2, deals: 0, tasks: 0 }]);
    expect(await Promise.all(contacts.map(ownerOfContact))).toEqual([colleague.id, colleague.id]);
  });

  it('should refuse the user themself, inactive, unknown or marketer targets and an empty team, changing nothing', async () => {
    const leaving = await api.createUser({ role: 'operator' });
    const inactive = await api.createUser({ role: 'operator', active: false });
    const marketer = await api.createUser({ role: 'marketer' });
    const contact = await contactOf(leaving.id);
    const emptyTeam = await admin.post('/teams', { name: `Пустая ${Math.random()}` });
    const refusals = [
      { userIds: [leaving.id] },
      { userIds: [inactive.id] },
      { userIds: [marketer.id] },
      { userIds: ['0123456789abcdef01234567'] },
      { teamId: emptyTeam.body.id },
      { teamId: '0123456789abcdef01234567' },
    ];
    const russianAdmin = await api.as('admin', { headers: { 'accept-language': 'ru' } });
    for (const to of refusals) {
      const response = await russianAdmin.post(`/users/${leaving.id}/deactivate`, { to });
      expect(response.status, JSON.stringify(to)).toBe(400);
      expect(response.body.error.message).toMatch(/^[А-ЯЁ]/);
    }
    expect((await admin.post(`/users/${leaving.id}/deactivate`, { to: {} })).status).toBe(400);
    expect((await userModels(api.db).User.findById(leaving.id).lean())?.active).toBe(true);
    expect(await ownerOfContact(contact)).toBe(leaving.id);
  });

  it('should keep the last active admin and let only users.manage deactivate', async () => {
    const colleague = await api.createUser({ role: 'operator' });
    const lastAdmin = await admin.post(`/users/${api.users.admin.id}/deactivate`, {
      to: { userIds: [colleague.id] },
    });
    expect(lastAdmin.status).toBe(409);
    const manager = await api.as('manager');
    const refused = await manager.post(`/users/${colleague.id}/deactivate`, {
      to: { userIds: [api.users.manager.id] },
    });
    expect(refused.status).toBe(403);
  });
});
