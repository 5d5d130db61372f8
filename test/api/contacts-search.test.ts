import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomEmail, randomMobile, spelledOut } from './contacts-test-data.js';

const ids = (response: { body: { items: { id: string }[] } }) => response.body.items.map((item) => item.id);

describe('contacts: list and search', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should find a contact by its phone written in another format or by a fragment', async () => {
    const national = randomMobile();
    const contact = await manager.post('/contacts', { name: 'Сергей', phones: [`8${national}`] });
    for (const q of [
      spelledOut(national),
      national,
      `+7${national}`,
      `8 ${national.slice(0, 3)} ${national.slice(3)}`,
    ]) {
      expect(ids(await manager.get(`/contacts?q=${encodeURIComponent(q)}`))).toEqual([contact.body.id]);
    }
    const fragment = `${national.slice(3, 6)}-${national.slice(6, 8)}`;
    expect(ids(await manager.get(`/contacts?q=${encodeURIComponent(fragment)}`))).toContain(contact.body.id);
  });

  it('should find by name in any case, by e-mail and by company name', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const email = randomEmail();
    const company = await manager.post('/companies', { name: `Тёплый Дом ${suffix}` });
    const contact = await manager.post('/contacts', {
      name: `Екатерина Волкова ${suffix}`,
      emails: [email],
      companyId: company.body.id,
    });
    expect(ids(await manager.get(`/contacts?q=${encodeURIComponent(`екатерина волкова ${suffix}`)}`))).toEqual([
      contact.body.id,
    ]);
    expect(ids(await manager.get(`/contacts?q=${encodeURIComponent(email.toUpperCase())}`))).toEqual([contact.body.id]);
    expect(ids(await manager.get(`/contacts?q=${encodeURIComponent(`тёплый дом ${suffix}`)}`))).toEqual([
      contact.body.id,
    ]);
    expect(ids(await manager.get(`/contacts?companyId=${company.body.id}`))).toEqual([contact.body.id]);
    expect((await manager.get(`/contacts?q=${encodeURIComponent('.*')}`)).status).toBe(200);
  });

  it('should filter by tag and source and page with a cursor', async () => {
    const tag = `tag-${Math.random().toString(36).slice(2, 8)}`;
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const response = await manager.post('/contacts', {
        name: `Клиент ${i}`,
        tags: [tag],
        source: i % 2 ? 'avito' : 'site',
      });
      created.push(response.body.id);
    }
    const first = await manager.get(`/contacts?tag=${tag}&limit=2`);
    expect(ids(first)).toEqual([created[4], created[3]]);
    const second = await manager.get(`/contacts?tag=${tag}&limit=2&cursor=${first.body.nextCursor}`);
    expect(ids(second)).toEqual([created[2], created[1]]);
    const last = await manager.get(`/contacts?tag=${tag}&limit=2&cursor=${second.body.nextCursor}`);
    expect(ids(last)).toEqual([created[0]]);
    expect(last.body.nextCursor).toBeUndefined();
    expect(ids(await manager.get(`/contacts?tag=${tag}&source=avito`))).toEqual([created[3], created[1]]);
  });
});
