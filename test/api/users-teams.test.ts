import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { userModels } from '../../server/users/user-models.js';
import { startTestApi, TEST_PASSWORD, type TestApi } from './api-harness.js';

const unique = () => Math.random().toString(36).slice(2, 10);

describe('users and teams', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should create a user with a normalised e-mail, never showing the password hash, and audit it', async () => {
    const admin = await api.as('admin');
    const email = `Olga.${unique()}@Example.RU`;
    const created = await admin.post('/users', {
      name: 'Ольга Петрова',
      email,
      password: 'a long password',
      role: 'operator',
      workingHours: [{ weekday: 1, from: '09:00', to: '18:00' }],
      timeZone: 'Asia/Yekaterinburg',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: email.toLowerCase(), role: 'operator', active: true, language: 'ru' });
    expect(JSON.stringify(created.body)).not.toMatch(/password|argon/i);
    const stored = await userModels(api.db).User.findById(created.body.id).select('+passwordHash').lean();
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    const entry = await auditModels(api.db)
      .AuditLog.findOne({ action: 'user.create', entityId: created.body.id })
      .lean();
    expect(entry).toMatchObject({ actorId: expect.anything(), entity: 'user' });
    expect((await api.login(email.toUpperCase(), 'a long password')).user?.name).toBe('Ольга Петрова');

    const duplicate = await admin.post('/users', {
      name: 'Copy',
      email: email.toUpperCase(),
      password: 'a long password',
      role: 'operator',
    });
    expect(duplicate.status).toBe(409);
  });

  it('should reject bad input with a message and write nothing', async () => {
    const admin = await api.as('admin');
    const before = await userModels(api.db).User.countDocuments();
    const bad = [
      { name: 'X', email: 'not-an-email', password: 'a long password', role: 'operator' },
      { name: 'X', email: `${unique()}@x.ru`, password: 'short', role: 'operator' },
      { name: 'X', email: `${unique()}@x.ru`, password: 'a long password', role: 'owner' },
      { name: 'X', email: `${unique()}@x.ru`, password: 'a long password', role: 'operator', timeZone: 'Mars/Base' },
      {
        name: 'X',
        email: `${unique()}@x.ru`,
        password: 'a long password',
        role: 'operator',
        workingHours: [{ weekday: 1, from: '18:00', to: '09:00' }],
      },
      { name: 'X', email: `${unique()}@x.ru`, password: 'a long password', role: 'operator', isAdmin: true },
      {
        name: 'X',
        email: `${unique()}@x.ru`,
        password: 'a long password',
        role: 'operator',
        teamIds: ['0123456789abcdef01234567'],
      },
    ];
    for (const body of bad) {
      const response = await admin.post('/users', body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(response.body.error.message).toBeTruthy();
    }
    expect(await userModels(api.db).User.countDocuments()).toBe(before);
  });

  it('should list users with filters, search and cursor pages', async () => {
    const tag = unique();
    for (let i = 0; i < 3; i++) await api.createUser({ role: 'marketer', name: `Маркетолог ${tag} ${i}` });
    const manager = await api.as('manager');
    const first = await manager.get(`/users?q=${encodeURIComponent(tag)}&limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(2);
    const second = await manager.get(`/users?q=${encodeURIComponent(tag)}&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.nextCursor).toBeUndefined();
    const marketers = await manager.get('/users?role=marketer&active=true&limit=200');
    expect(marketers.body.items.every((u: { role: string }) => u.role === 'marketer')).toBe(true);
    expect((await manager.get('/users?q=.*')).body.items).toEqual([]);
  });

  it('should put users in teams and deactivate them, ending their sessions', async () => {
    const manager = await api.as('manager');
    const team = await manager.post('/teams', { name: `Продажи ${unique()}` });
    expect(team.status).toBe(201);
    expect((await manager.post('/teams', { name: team.body.name.toUpperCase() })).status).toBe(409);
    const admin = await api.as('admin');
    const person = await api.createUser({ role: 'operator' });
    const session = await api.login(person.email, TEST_PASSWORD);
    const moved = await admin.patch(`/users/${person.id}`, { teamIds: [team.body.id] });
    expect(moved.body.teamIds).toEqual([team.body.id]);
    expect(
      (await manager.get('/teams')).body.items.find((t: { id: string }) => t.id === team.body.id).memberCount,
    ).toBe(1);
    expect((await manager.get(`/users?teamId=${team.body.id}`)).body.items.map((u: { id: string }) => u.id)).toEqual([
      person.id,
    ]);
    const renamed = await manager.patch(`/teams/${team.body.id}`, { description: 'Отдел продаж' });
    expect(renamed.body).toMatchObject({ description: 'Отдел продаж', memberCount: 1 });

    const deactivated = await admin.patch(`/users/${person.id}`, { active: false });
    expect(deactivated.body.active).toBe(false);
    expect((await session.get('/auth/me')).status).toBe(401);
    const entry = await admin.get(`/audit?entity=user&entityId=${person.id}&action=user.update`);
    expect(entry.body.items[0].changes).toContain('active');
  });

  it('should keep at least one active admin', async () => {
    const admin = await api.as('admin');
    const admins = (await admin.get('/users?role=admin&active=true&limit=200')).body.items as { id: string }[];
    for (const other of admins.filter((a) => a.id !== admin.user!.id))
      await admin.patch(`/users/${other.id}`, { active: false });
    const demote = await admin.patch(`/users/${admin.user!.id}`, { role: 'manager' });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/admin/);
  });

  it('should sign a user out elsewhere when an admin sets a new password', async () => {
    const admin = await api.as('admin');
    const person = await api.createUser({ role: 'manager' });
    const session = await api.login(person.email, TEST_PASSWORD);
    expect((await admin.patch(`/users/${person.id}`, { password: 'a brand new password' })).status).toBe(200);
    expect((await session.get('/auth/me')).status).toBe(401);
    expect((await api.login(person.email, 'a brand new password')).user?.id).toBe(person.id);
    const entry = (await admin.get(`/audit?entityId=${person.id}&action=user.update`)).body.items[0];
    expect(JSON.stringify(entry)).not.toContain('a brand new password');
    expect(entry.meta).toEqual({ passwordChanged: true });
  });
});
