import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, TEST_PASSWORD, type ApiClient, type TestApi } from './api-harness.js';
import { randomMobile } from './contacts-test-data.js';

describe('contacts: operator scope', () => {
  let api: TestApi;
  let manager: ApiClient;
  let northOperator: ApiClient;
  const north = new Types.ObjectId().toHexString();
  const south = new Types.ObjectId().toHexString();

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
    const user = await api.createUser({ role: 'operator', teamIds: [north] });
    northOperator = await api.login(user.email, TEST_PASSWORD);
  });
  afterAll(async () => {
    await api?.close();
  });

  it("should hide another team's contact: 404 on read, change and delete, absent from lists", async () => {
    const national = randomMobile();
    const southern = await manager.post('/contacts', { name: 'Южный клиент', phones: [national], teamIds: [south] });
    expect(southern.status).toBe(201);
    const path = `/contacts/${southern.body.id}`;
    expect((await northOperator.get(path)).status).toBe(404);
    expect((await northOperator.patch(path, { name: 'Мой' })).status).toBe(404);
    expect((await northOperator.delete(path)).status).toBe(404);
    expect((await northOperator.get(`/notes?entity=contact&entityId=${southern.body.id}`)).status).toBe(404);
    expect((await northOperator.get(`/contacts?q=${national}`)).body.items).toEqual([]);
    expect((await manager.get(path)).body.name).toBe('Южный клиент');
  });

  it('should show the contacts of their team and the ones they own', async () => {
    const team = await manager.post('/contacts', { name: 'Северный клиент', teamIds: [north] });
    const own = await northOperator.post('/contacts', { name: 'Свой клиент', teamIds: [] });
    expect(own.body.ownerId).toBe(northOperator.user!.id);
    for (const id of [team.body.id, own.body.id]) expect((await northOperator.get(`/contacts/${id}`)).status).toBe(200);
    const listed = (await northOperator.get('/contacts?limit=200')).body.items.map((c: { id: string }) => c.id);
    expect(listed).toEqual(expect.arrayContaining([team.body.id, own.body.id]));
    const defaulted = await northOperator.post('/contacts', { name: 'Без команды' });
    expect(defaulted.body.teamIds).toEqual([north]);
  });

  it('should keep the 409 but not hand over an out-of-scope duplicate', async () => {
    const national = randomMobile();
    const southern = await manager.post('/contacts', { name: 'Чужой', phones: [national], teamIds: [south] });
    const attempt = await northOperator.post('/contacts', {
      name: 'Я',
      phones: [national],
      onDuplicate: 'return-existing',
    });
    expect(attempt.status).toBe(409);
    expect(attempt.body.error.details.existingContactId).toBe(southern.body.id);
    expect((await manager.get(`/contacts/${southern.body.id}`)).body.name).toBe('Чужой');
  });
});
