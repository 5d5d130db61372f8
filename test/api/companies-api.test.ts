import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidInn } from '../../server/companies/is-valid-inn.js';
import { findOrCreateCompany } from '../../server/companies/find-or-create-company.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

/** A random organisation INN with a correct check digit. */
function randomInn(): string {
  for (;;) {
    const body = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)).join('');
    for (let check = 0; check < 10; check++) if (isValidInn(`${body}${check}`)) return `${body}${check}`;
  }
}

describe('companies', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('isValidInn', () => {
    it('should accept real 10- and 12-digit INNs and reject broken check digits', () => {
      expect(['7707083893', '500100732259'].map(isValidInn)).toEqual([true, true]);
      expect(['7707083894', '500100732258', '123', '77070838931', 'abcdefghij'].map(isValidInn)).toEqual([
        false,
        false,
        false,
        false,
        false,
      ]);
    });
  });

  it('should create, find by INN and name, change and delete a company', async () => {
    const inn = randomInn();
    const suffix = Math.random().toString(36).slice(2, 8);
    const created = await manager.post('/companies', {
      name: `ООО «Окна Плюс ${suffix}»`,
      inn,
      address: 'Казань, ул. Баумана, 1',
      counterpartyType: 'partner',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ inn, counterpartyType: 'partner', ownerId: api.users.manager.id });
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((c) => c.id);
    expect(ids(await manager.get(`/companies?q=${inn.slice(0, 6)}`))).toContain(created.body.id);
    expect(ids(await manager.get(`/companies?q=${encodeURIComponent(`окна плюс ${suffix}`)}`))).toEqual([
      created.body.id,
    ]);
    expect(ids(await manager.get(`/companies?counterpartyType=partner&q=${suffix}`))).toEqual([created.body.id]);

    const contact = await manager.post('/contacts', { name: 'Директор', companyId: created.body.id });
    const detail = await manager.get(`/companies/${created.body.id}`);
    expect(detail.body.contacts).toEqual([{ id: contact.body.id, name: 'Директор' }]);

    const patched = await manager.patch(`/companies/${created.body.id}`, { address: null, counterpartyType: 'client' });
    expect(patched.body.address).toBeUndefined();
    expect(patched.body.counterpartyType).toBe('client');
    expect((await manager.delete(`/companies/${created.body.id}`)).status).toBe(204);
    expect((await manager.get(`/companies/${created.body.id}`)).status).toBe(404);
  });

  it('should refuse a wrong INN and answer 409 naming the company that has the INN', async () => {
    expect((await manager.post('/companies', { name: 'Ромашка', inn: '7707083894' })).status).toBe(400);
    const inn = randomInn();
    const first = await manager.post('/companies', { name: 'Ромашка', inn });
    const [again, racing] = await Promise.all([
      manager.post('/companies', { name: 'Ромашка-2', inn }),
      manager.post('/companies', { name: 'Ромашка-3', inn }),
    ]);
    for (const response of [again, racing]) {
      expect(response.status).toBe(409);
      expect(response.body.error.details.existingCompanyId).toBe(first.body.id);
    }
    const other = await manager.post('/companies', { name: 'Другая' });
    expect((await manager.patch(`/companies/${other.body.id}`, { inn })).status).toBe(409);
  });

  it('should find or create a company by INN for lead conversion', async () => {
    const inn = randomInn();
    const actor = { id: api.users.manager.id, name: 'Test manager' };
    const first = await findOrCreateCompany({ db: api.db }, { name: 'ИП Смирнов', inn }, actor);
    const again = await findOrCreateCompany({ db: api.db }, { name: 'Смирнов', inn }, actor);
    expect([first.created, again.created]).toEqual([true, false]);
    expect(again.company.id).toBe(first.company.id);
  });

  it('should not let marketers write companies', async () => {
    const marketer = await api.as('marketer');
    expect((await marketer.post('/companies', { name: 'Нельзя' })).status).toBe(403);
    expect((await marketer.get('/companies')).status).toBe(200);
  });
});
