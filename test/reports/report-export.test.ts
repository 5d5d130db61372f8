import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, pipelines } from './report-fixtures.js';

describe('report export', () => {
  let api: TestApi;
  let manager: ApiClient;
  let operator: ApiClient;

  /** Read as bytes: `fetch().text()` would drop the BOM. */
  async function download(client: ApiClient, path: string) {
    const response = await fetch(`${api.baseUrl}/api/v1${path}`, { headers: { cookie: client.cookie! } });
    return { status: response.status, headers: response.headers, bytes: Buffer.from(await response.arrayBuffer()) };
  }

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const d = (day: number) => msk(`2025-03-0${day}`);
    await insertDeals(api.db, all, [
      {
        ownerId: api.users.operator.id,
        visits: [
          ['data-collection', d(1), d(2)],
          ['proposal-sent', d(2)],
        ],
      },
      {
        ownerId: api.users.manager.id,
        status: 'lost',
        lostReason: 'Дорого',
        visits: [
          ['data-collection', d(3), d(4)],
          ['lost', d(4)],
        ],
      },
    ]);
    [manager, operator] = await Promise.all([api.as('manager'), api.as('operator')]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should write the table and the extra tables as CSV in the chosen language, audited with the row count', async () => {
    const file = await download(manager, '/reports/funnel/export?format=csv&lang=en&from=2025-03-01&to=2025-03-10');
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/text\/csv/);
    expect(file.headers.get('content-disposition')).toContain('report-funnel-2025-03-01-2025-03-10.csv');
    expect(file.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const rows: string[][] = parse(file.bytes.toString('utf8').slice(1), { relax_column_count: true });
    expect(rows[0]).toEqual(['Stage', 'Reached', 'From previous stage, %', 'Of leads, %', 'Dropped off']);
    // Whole figures as they are, fractions with two decimals (a decimal comma in Russian files).
    expect(rows[1]).toEqual(['Сбор данных', '2', '100', '100', '1']);
    expect(rows[2]).toEqual(['Коммерческое предложение отправлено', '1', '50', '50', '1']);
    const lost = rows.findIndex((row) => row[0] === 'Lost reasons');
    expect(rows[lost + 1]).toEqual(['Lost reason', 'Deals', 'Share of lost, %', '', '']);
    expect(rows[lost + 2]).toEqual(['Дорого', '1', '100', '', '']);
    // 7 stages and 1 lost reason.
    expect(file.headers.get('x-row-count')).toBe('8');
    const { AuditLog } = auditModels(api.db);
    const entry = await AuditLog.findOne({ action: 'report.export', actorId: api.users.manager.id }).lean();
    expect(entry).toMatchObject({
      entity: 'report',
      entityId: 'funnel',
      meta: { format: 'csv', lang: 'en', rowCount: 8, filters: { from: '2025-03-01', to: '2025-03-10' } },
    });
  });

  it("should write XLSX with Russian headers by default, and audit an operator's export as their own figures", async () => {
    const file = await download(operator, '/reports/funnel/export?from=2025-03-01&to=2025-03-10');
    expect(file.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(new Uint8Array(file.bytes).buffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe('Воронка продаж');
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual([
      'Этап',
      'Дошли',
      'Конверсия из предыдущего, %',
      'Доля от лидов, %',
      'Отвалились',
    ]);
    expect((sheet.getRow(2).values as unknown[]).slice(1)).toEqual(['Сбор данных', 1, 100, 100, 0]);
    const { AuditLog } = auditModels(api.db);
    const entry = await AuditLog.findOne({ action: 'report.export', actorId: api.users.operator.id }).lean();
    expect(entry?.meta).toMatchObject({ format: 'xlsx', lang: 'ru', filters: { operatorId: api.users.operator.id } });
  });

  it('should refuse an export of a report outside the role, writing nothing', async () => {
    const marketer = await api.as('marketer');
    expect((await download(marketer, '/reports/activity/export?format=csv')).status).toBe(403);
    const { AuditLog } = auditModels(api.db);
    expect(await AuditLog.countDocuments({ action: 'report.export', actorId: api.users.marketer.id })).toBe(0);
  });
});
