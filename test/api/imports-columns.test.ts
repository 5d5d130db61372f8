import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './api-harness.js';

describe('import columns', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(() => api?.close());

  it("should read a CSV's header, row count and first rows without importing anything", async () => {
    const manager = await api.as('manager');
    const csv = ['Имя;Телефон;E-mail', 'Анна;+79161234567;anna@example.com', ';;', 'Борис;89161234568;'].join('\r\n');
    const response = await manager.post('/imports/columns', { format: 'csv', csv });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      columns: ['Имя', 'Телефон', 'E-mail'],
      rowCount: 2,
      sample: [
        ['Анна', '+79161234567', 'anna@example.com'],
        ['Борис', '89161234568', ''],
      ],
    });
    const contacts = await manager.get('/contacts?q=Анна');
    expect(contacts.body.items).toEqual([]);
  });

  it('should read a base64 file as an import does', async () => {
    const manager = await api.as('manager');
    const csv = Buffer.from('Name,Phone\nAnna,+79161234567\n').toString('base64');
    const response = await manager.post('/imports/columns', { format: 'csv', encoding: 'base64', csv });
    expect(response.status).toBe(200);
    expect(response.body.columns).toEqual(['Name', 'Phone']);
  });

  it('should refuse an XLSX sent as text and operators, who may not import', async () => {
    const manager = await api.as('manager');
    const refused = await manager.post('/imports/columns', { format: 'xlsx', encoding: 'text', csv: 'x' });
    expect(refused.status).toBe(400);
    const operator = await api.as('operator');
    const forbidden = await operator.post('/imports/columns', { format: 'csv', csv: 'Name\nAnna' });
    expect(forbidden.status).toBe(403);
  });
});
