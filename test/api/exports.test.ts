import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';

const INJECTION = '=HYPERLINK("http://evil.example","нажми")';

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

async function readXlsx(bytes: Buffer): Promise<ExcelJS.Worksheet> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(new Uint8Array(bytes).buffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('The workbook has no sheet');
  return sheet;
}

/** Every row of a sheet as plain values, the header row first. */
function rowsOf(sheet: ExcelJS.Worksheet): unknown[][] {
  const rows: unknown[][] = [];
  sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

describe('exports', () => {
  let api: TestApi;
  let admin: ApiClient;
  let anna: { id: string };

  /** POST /exports read as bytes: `fetch().text()` would drop the BOM this suite checks. */
  async function download(client: ApiClient, body: unknown): Promise<Download> {
    const response = await fetch(`${api.baseUrl}/api/v1/exports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie!, 'x-csrf-token': client.csrfToken! },
      body: JSON.stringify(body),
    });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  const exportEntries = async () => (await admin.get('/audit?action=export.create&limit=200')).body.items;

  beforeAll(async () => {
    api = await startTestApi();
    admin = await api.as('admin');
    const pipelines = await ensureDefaultPipelines(api.db);
    const company = await admin.post('/companies', { name: 'ООО «Тёплый дом»', inn: '7707083893' });
    const created = await admin.post('/contacts', {
      name: 'Анна Ковалёва',
      phones: ['+7 916 111-22-33'],
      emails: ['anna.kovaleva@mail.ru'],
      companyId: company.body.id,
      tags: ['выставка'],
      source: 'Выставка «Загородный дом»',
      utm: { source: 'expo', medium: 'offline', campaign: 'zagorodny_dom' },
    });
    anna = created.body;
    await admin.post('/contacts', { name: 'Пётр Щукин', phones: ['8 925 444-55-66'], tags: ['VIP'] });
    await admin.post('/contacts', { name: INJECTION, emails: ['stranger@example.ru'] });
    const deal = await admin.post('/deals', {
      title: 'Энергосберегающие окна для эко-дома',
      pipelineId: String(pipelines.sales!._id),
      amount: 123456.5,
      contactId: anna.id,
      companyId: company.body.id,
    });
    expect(deal.status).toBe(201);
  });
  afterAll(() => api?.close());

  it('should export contacts as CSV that Excel opens in Russian: UTF-8 with BOM, semicolons, an attachment', async () => {
    const file = await download(admin, { entity: 'contacts', format: 'csv' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{8}-\d{4}\.csv"$/);
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parse(file.bytes, { bom: true, delimiter: ';' }) as string[][];
    expect(header!.slice(0, 5)).toEqual(['Имя', 'Телефоны', 'E-mail', 'Компания', 'Ответственный']);
    expect(rows).toHaveLength(3);
    const row = rows.find((cells) => cells[0] === 'Анна Ковалёва')!;
    expect(row.slice(0, 4)).toEqual(['Анна Ковалёва', '+79161112233', 'anna.kovaleva@mail.ru', 'ООО «Тёплый дом»']);
    expect(row).toContain('Выставка «Загородный дом»');
    expect(row).toContain(anna.id);
    // A formula typed by a stranger stays text in the admin's spreadsheet.
    expect(rows.map((cells) => cells[0])).toContain(`'${INJECTION}`);
  });

  it('should apply the filters of the list endpoint, phone search included', async () => {
    const byTag = await download(admin, { entity: 'contacts', format: 'csv', filter: { tag: 'выставка' } });
    const tagged = parse(byTag.bytes, { bom: true, delimiter: ';' }) as string[][];
    expect(tagged.slice(1).map((cells) => cells[0])).toEqual(['Анна Ковалёва']);
    const byPhone = await download(admin, { entity: 'contacts', format: 'csv', filter: { q: '89254445566' } });
    const found = parse(byPhone.bytes, { bom: true, delimiter: ';' }) as string[][];
    expect(found.slice(1).map((cells) => cells[0])).toEqual(['Пётр Щукин']);
    expect(byPhone.headers.get('x-row-count')).toBe('1');
  });

  it('should export contacts as XLSX with a header row, column widths and Cyrillic intact', async () => {
    const file = await download(admin, { entity: 'contacts', format: 'xlsx' });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{8}-\d{4}\.xlsx"$/);
    const sheet = await readXlsx(file.bytes);
    expect(sheet.name).toBe('Контакты');
    expect(sheet.getRow(1).getCell(1).value).toBe('Имя');
    expect(sheet.getRow(1).font?.bold).toBe(true);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(20);
    const [header, ...rows] = rowsOf(sheet);
    expect(rows).toHaveLength(3);
    const row = rows.find((cells) => cells[0] === 'Анна Ковалёва')!;
    expect(row[3]).toBe('ООО «Тёплый дом»');
    expect(row[header!.indexOf('Создан')]).toBeInstanceOf(Date);
    expect(rows.map((cells) => cells[0])).toContain(INJECTION);
  });

  it('should export deals and companies with English headers and labels on request', async () => {
    const deals = await readXlsx((await download(admin, { entity: 'deals', format: 'xlsx', lang: 'en' })).bytes);
    expect(deals.name).toBe('Deals');
    const [header, row] = rowsOf(deals);
    expect(header!.slice(0, 5)).toEqual(['Title', 'Pipeline', 'Stage', 'Status', 'Amount']);
    expect(row!.slice(0, 5)).toEqual([
      'Энергосберегающие окна для эко-дома',
      'Продажа',
      'Сбор данных',
      'Open',
      123456.5,
    ]);
    expect(row![header!.indexOf('Contact')]).toBe('Анна Ковалёва');

    const companies = await download(admin, { entity: 'companies', format: 'csv', lang: 'en' });
    const [companyHeader, companyRow] = parse(companies.bytes, { bom: true, delimiter: ',' }) as string[][];
    expect(companyHeader!.slice(0, 3)).toEqual(['Name', 'INN', 'Counterparty type']);
    expect(companyRow!.slice(0, 3)).toEqual(['ООО «Тёплый дом»', '7707083893', 'Client']);

    const russianDeals = await download(admin, { entity: 'deals', format: 'csv' });
    const [, russianRow] = parse(russianDeals.bytes, { bom: true, delimiter: ';' }) as string[][];
    expect(russianRow!.slice(3, 5)).toEqual(['Открыта', '123456,50']);
  });

  it('should write every export to the audit log with its filter and row count', async () => {
    const filter = { tag: 'VIP' };
    const file = await download(admin, { entity: 'contacts', format: 'xlsx', filter });
    expect(file.status).toBe(200);
    const [latest] = await exportEntries();
    expect(latest).toMatchObject({
      action: 'export.create',
      entity: 'contact',
      actor: { id: admin.user!.id },
      meta: { format: 'xlsx', lang: 'ru', filter, rowCount: 1 },
    });
    expect(latest.meta.fileName).toMatch(/^contacts-\d{8}-\d{4}\.xlsx$/);
  });

  it('should refuse exports to everyone but admins, and refuse bad requests, auditing nothing', async () => {
    const before = (await exportEntries()).length;
    for (const role of ['operator', 'manager', 'marketer'] as const) {
      const refused = await download(await api.as(role), { entity: 'contacts', format: 'csv' });
      expect(refused.status, role).toBe(403);
      expect(JSON.parse(refused.bytes.toString()).error.code).toBe('forbidden');
    }
    const bad = [
      { entity: 'users', format: 'csv' },
      { entity: 'contacts', format: 'pdf' },
      { entity: 'contacts', format: 'csv', filter: { limit: 10 } },
      { entity: 'deals', format: 'csv', filter: { status: { $ne: 'won' } } },
      { entity: 'contacts', format: 'csv', everything: true },
    ];
    for (const body of bad) expect((await download(admin, body)).status, JSON.stringify(body)).toBe(400);
    expect(await exportEntries()).toHaveLength(before);
  });
});
