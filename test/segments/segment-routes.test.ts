import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';

const VIP = { match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'vip' }] };

describe('the segments API', () => {
  let api: TestApi;
  let admin: ApiClient;
  let marketer: ApiClient;
  let operator: ApiClient;
  const people: Record<string, string> = {};

  async function download(client: ApiClient, path: string) {
    const response = await fetch(`${api.baseUrl}/api/v1${path}`, { headers: { cookie: client.cookie! } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    api = await startTestApi();
    [admin, marketer, operator] = await Promise.all([api.as('admin'), api.as('marketer'), api.as('operator')]);
    const contacts = [
      {
        name: 'Анна Ковалёва',
        phones: ['+7 916 111-22-33'],
        tags: ['vip'],
        identities: [{ channel: 'telegram', externalId: '1001' }],
      },
      { name: 'Борис Орлов', emails: ['Boris.Orlov@Example.ru'], tags: ['vip'] },
      { name: 'Вера Лебедева', phones: ['+7 903 555-44-33'], emails: ['vera@example.ru'] },
      { name: 'Глеб Новиков', phones: ['+7 925 777-88-99'] },
    ];
    for (const contact of contacts) {
      const created = await admin.post('/contacts', contact);
      expect(created.status).toBe(201);
      people[contact.name] = created.body.id;
    }
  });
  afterAll(async () => {
    await api?.close();
  });

  describe('filter segments', () => {
    it('should let a marketer save, read, list, change and delete a segment, each change audited', async () => {
      const created = await marketer.post('/segments', { name: 'VIP клиенты', definition: VIP });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'VIP клиенты',
        kind: 'filter',
        definition: VIP,
        createdById: marketer.user!.id,
      });
      const id = created.body.id;

      const read = await marketer.get(`/segments/${id}`);
      expect(read.status).toBe(200);
      expect(read.body.count).toBe(2);
      expect((await marketer.get('/segments?q=vip')).body.items.map((s: { id: string }) => s.id)).toContain(id);

      const changed = await marketer.patch(`/segments/${id}`, {
        definition: { match: 'any', conditions: [...VIP.conditions, { field: 'channel', op: 'has', value: 'email' }] },
      });
      expect(changed.status).toBe(200);
      expect((await marketer.get(`/segments/${id}`)).body.count).toBe(3);

      expect((await marketer.delete(`/segments/${id}`)).status).toBe(204);
      expect((await marketer.get(`/segments/${id}`)).status).toBe(404);
      expect((await marketer.get('/segments')).body.items.map((s: { id: string }) => s.id)).not.toContain(id);

      const audit = await admin.get(`/audit?entity=segment&entityId=${id}`);
      expect(audit.body.items.map((entry: { action: string }) => entry.action).sort()).toEqual([
        'segment.create',
        'segment.delete',
        'segment.update',
      ]);
    });

    it('should preview a definition: the live count and the first rows with their channels', async () => {
      const preview = await marketer.post('/segments/preview', { definition: VIP, limit: 1 });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        count: 2,
        rows: [
          {
            id: people['Анна Ковалёва'],
            name: 'Анна Ковалёва',
            channels: ['telegram', 'whatsapp', 'sms', 'voice', 'phone'],
            tags: ['vip'],
          },
        ],
      });
    });

    it('should keep segments from operators', async () => {
      expect((await operator.get('/segments')).status).toBe(403);
      expect((await operator.post('/segments/preview', { definition: VIP })).status).toBe(403);
    });
  });

  describe('bad input', () => {
    const definitionWith = (...conditions: unknown[]) => ({ name: 'x', definition: { match: 'all', conditions } });
    const cases: [string, unknown, string, RegExp][] = [
      [
        'an unknown field',
        definitionWith({ field: 'age', op: 'is', value: '3' }),
        'definition.conditions.0.field',
        /Expected 'tag'/,
      ],
      [
        'an unknown key in a condition',
        definitionWith({ field: 'tag', op: 'has', value: 'a', extra: 1 }),
        'definition.conditions.0',
        /"extra"/,
      ],
      [
        'an operator the field does not have',
        definitionWith({ field: 'tag', op: 'contains', value: 'a' }),
        'definition.conditions.0.op',
        /"has"\|"not-has"/,
      ],
      [
        'a comparison without its value',
        definitionWith({ field: 'region', op: 'is' }),
        'definition.conditions.0.value',
        /needs a value/,
      ],
      [
        'a malformed owner id',
        definitionWith({ field: 'owner', op: 'is', value: 'nobody' }),
        'definition.conditions.0.value',
        /Not a valid id/,
      ],
      [
        'a date that is not one',
        definitionWith({ field: 'createdAt', op: 'after', value: 'вчера' }),
        'definition.conditions.0.value',
        /Expected a date/,
      ],
      [
        'more than 30 conditions',
        definitionWith(...Array(31).fill({ field: 'tag', op: 'has', value: 'a' })),
        'definition.conditions',
        /<=30/,
      ],
      [
        'an unknown match',
        { name: 'x', definition: { match: 'some', conditions: [] } },
        'definition.match',
        /"all"\|"any"/,
      ],
      ['no name', { definition: VIP }, 'name', /expected string/],
    ];

    it.each(cases)('should answer %s with 400 and say where and what is wrong', async (_, body, path, message) => {
      const response = await marketer.post('/segments', body);
      expect(response.status).toBe(400);
      expect(response.body.error.code).toBe('validation_failed');
      expect(response.body.error.details).toContainEqual({ in: 'body', path, message: expect.stringMatching(message) });
    });

    it('should refuse $-keys before they reach a query', async () => {
      const response = await marketer.post('/segments/preview', {
        definition: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: { $ne: null } }] },
      });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/may not start with '\$'/);
    });

    it('should answer a bad id with 400 and an unknown one with 404', async () => {
      const bad = await marketer.get('/segments/not-an-id');
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.error.details)).toMatch(/Not a valid id/);
      expect((await marketer.get('/segments/0123456789abcdef01234567')).status).toBe(404);
    });
  });

  describe('static segments from CSV', () => {
    const csv = [
      'Имя;Телефон;E-mail',
      'Анна;8 (916) 111-22-33;', // another spelling of her number
      'Борис;;BORIS.ORLOV@example.RU', // e-mail in another case
      'Анна снова;+79161112233;', // the same contact twice: one member
      'Кто-то;+7 999 000-00-01;', // nobody in the base
      'Ошибка;12345;', // not a phone
      'Пусто;;', // nothing to match by
      '',
      'Вера;;vera@@example', // a broken address
    ].join('\n');

    it('should match rows by phone and e-mail, each contact once, and report the invalid rows by line', async () => {
      const response = await marketer.post('/segments/static', { name: 'Выставка 2026', csv });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ matched: 3, unmatched: 1, segment: { kind: 'static', memberCount: 2 } });
      expect(response.body.invalidRows).toEqual([
        { line: 6, reason: expect.stringMatching(/«12345».*"12345" is not a valid number/) },
        { line: 7, reason: 'Нет телефона или e-mail / No phone or e-mail' },
        { line: 9, reason: expect.stringMatching(/"vera@@example" is not a valid address/) },
      ]);
      const read = await marketer.get(`/segments/${response.body.segment.id}`);
      expect(read.body.count).toBe(2);
    });

    it('should read a file of bare numbers without a header', async () => {
      const response = await marketer.post('/segments/static', { name: 'Номера', csv: '+79257778899\n89035554433\n' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({ matched: 2, unmatched: 0, invalidRows: [] });
    });

    it('should refuse a file with no column to match by', async () => {
      const response = await marketer.post('/segments/static', { name: 'Без ключей', csv: 'Имя;Город\nАнна;Москва\n' });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/"Phone" or "E-mail" column/);
    });

    it('should not take a definition for a static segment', async () => {
      const created = await marketer.post('/segments/static', { name: 'Список', csv: 'Телефон\n+79257778899\n' });
      const response = await marketer.patch(`/segments/${created.body.segment.id}`, { definition: VIP });
      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/static segment/);
    });
  });

  describe('export', () => {
    let segmentId: string;
    beforeAll(async () => {
      segmentId = (await marketer.post('/segments', { name: 'VIP', definition: VIP })).body.id;
    });

    it('should refuse a marketer without exports.create', async () => {
      const response = await download(marketer, `/segments/${segmentId}/export?format=csv`);
      expect(response.status).toBe(403);
    });

    it('should give an admin the CSV of the members and write an audit entry', async () => {
      const file = await download(admin, `/segments/${segmentId}/export?format=csv`);
      expect(file.status).toBe(200);
      expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      expect(file.headers.get('content-disposition')).toMatch(
        /^attachment; filename="segment-[0-9a-f]{24}-\d{8}-\d{4}\.csv"$/,
      );
      expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const [header, ...rows] = parse(file.bytes, { bom: true, delimiter: ';' }) as string[][];
      expect(header!.slice(0, 4)).toEqual(['Имя', 'Телефоны', 'E-mail', 'Каналы']);
      expect(rows.map((row) => row[0]).sort()).toEqual(['Анна Ковалёва', 'Борис Орлов']);
      const audit = await admin.get(`/audit?action=export.create&entityId=${segmentId}`);
      expect(audit.body.items).toHaveLength(1);
      expect(audit.body.items[0]).toMatchObject({ entity: 'segment', meta: { format: 'csv', rowCount: 2 } });
    });

    it('should give XLSX with English headers on request', async () => {
      const file = await download(admin, `/segments/${segmentId}/export?format=xlsx&lang=en`);
      expect(file.status).toBe(200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(new Uint8Array(file.bytes).buffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe('VIP');
      expect(sheet.getRow(1).getCell(1).value).toBe('Name');
      expect(sheet.rowCount).toBe(3);
    });

    it('should refuse an unknown format', async () => {
      const response = await download(admin, `/segments/${segmentId}/export?format=pdf`);
      expect(response.status).toBe(400);
    });
  });
});
