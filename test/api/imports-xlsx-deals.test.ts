import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contactModels } from '../../server/contacts/contact-models.js';
import { dealModel } from '../../server/deals/deal-model.js';
import { cellText } from '../../server/imports/cell-text.js';
import { importJobModels } from '../../server/imports/import-job-models.js';
import { ensureDefaultPipelines } from '../../server/pipelines/ensure-default-pipelines.js';
import type { PipelineRecord } from '../../server/pipelines/pipeline-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomEmail, randomId, randomMobile, spelledOut } from './contacts-test-data.js';

async function xlsxBase64(rows: ExcelJS.CellValue[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Выставка');
  for (const row of rows) sheet.addRow(row);
  // A second sheet that must not be read: only the first is the import.
  workbook.addWorksheet('Черновик').addRow(['Имя', 'Телефон']);
  return Buffer.from(await workbook.xlsx.writeBuffer()).toString('base64');
}

describe('imports: XLSX files and deals', () => {
  let api: TestApi;
  let manager: ApiClient;
  let pipelines: Record<string, PipelineRecord>;
  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
    pipelines = await ensureDefaultPipelines(api.db);
  });
  afterAll(() => api?.close());

  const contactsWith = (e164: string) => contactModels(api.db).Contact.find({ 'phones.e164': e164 }).lean();

  it('should read XLSX cells as a CSV would hold them', () => {
    expect(cellText(new Date(Date.UTC(2024, 2, 15)))).toBe('2024-03-15');
    expect(cellText(new Date(Date.UTC(2024, 2, 15, 9, 30)))).toBe('2024-03-15T09:30:00');
    expect(cellText(79121234567)).toBe('79121234567');
    expect(cellText(1500.5)).toBe('1500.5');
    expect(cellText({ richText: [{ text: 'Иван ' }, { text: 'Петров', font: { bold: true } }] })).toBe('Иван Петров');
    expect(cellText({ formula: 'A1*2', result: 42 })).toBe('42');
    expect(cellText({ text: 'a@b.ru', hyperlink: 'mailto:a@b.ru' })).toBe('a@b.ru');
    expect(cellText(null)).toBe('');
  });

  it('should import an XLSX with Cyrillic names and one phone written two ways as one contact', async () => {
    const national = randomMobile();
    const email = randomEmail();
    const csv = await xlsxBase64([
      ['Имя', 'Телефон', 'E-mail', 'Дата визита'],
      [
        { richText: [{ text: 'Иван ' }, { text: 'Петров', font: { bold: true } }] },
        Number(`7${national}`),
        { formula: `LOWER("${email.toUpperCase()}")`, result: email },
        new Date(Date.UTC(2024, 2, 15)),
      ],
      [],
      ['Иван П.', spelledOut(national), null, null],
      ['Мария', null, 'not-an-email', null],
    ]);
    const request = {
      entity: 'contacts',
      format: 'xlsx',
      dryRun: false,
      csv,
      mapping: { Имя: 'name', Телефон: 'phone', 'E-mail': 'email' },
    };
    const response = await manager.post('/imports', request);
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.report).toEqual({
      total: 3,
      created: 1,
      matched: 1,
      rejectedCount: 1,
      rejected: [{ row: 5, reason: expect.stringMatching(/^E-mail «not-an-email»/) }],
    });
    const contacts = await contactsWith(`+7${national}`);
    expect(contacts).toHaveLength(1);
    expect(contacts[0]).toMatchObject({ name: 'Иван Петров', emails: [email], source: 'import' });

    // The rejected rows of an XLSX come back as CSV (';' for Russian Excel), cells as read.
    const file = await fetch(`${api.baseUrl}/api/v1/imports/${response.body.id}/rejected.csv`, {
      headers: { cookie: manager.cookie! },
    });
    const bytes = Buffer.from(await file.arrayBuffer());
    const [header, ...rejected] = parse(bytes.subarray(3).toString('utf8'), { delimiter: ';' }) as string[][];
    expect(header).toEqual(['Имя', 'Телефон', 'E-mail', 'Дата визита', 'Строка / Row', 'Причина / Reason']);
    expect(rejected).toEqual([['Мария', '', 'not-an-email', '', '5', response.body.report.rejected[0].reason]]);
  });

  it('should refuse an XLSX sent as text and a file that is not XLSX', async () => {
    const mapping = { Имя: 'name' };
    const asText = await manager.post('/imports', {
      entity: 'contacts',
      format: 'xlsx',
      encoding: 'text',
      csv: 'x',
      mapping,
    });
    expect(asText.status).toBe(400);
    const notXlsx = await manager.post('/imports', {
      entity: 'contacts',
      format: 'xlsx',
      csv: Buffer.from('Имя\nИван').toString('base64'),
      mapping,
    });
    expect(notXlsx.status).toBe(400);
    expect(notXlsx.body.error.message).toMatch(/XLSX/);
  });

  /** Two deals with the same person (phone written two ways), one with a company by INN-less name, one bad amount. */
  function dealsCsv() {
    const national = randomMobile();
    const tag = randomId().slice(0, 6);
    const csv = [
      'Сделка;Сумма;Валюта;Клиент;Телефон;Компания',
      `Окна на дачу ${tag};150 000,50;руб.;Ольга Смирнова;8${national};Окна Урала ${tag}`,
      `Балкон ${tag};;;Ольга С.;${spelledOut(national)};`,
      `Двери ${tag};много;;Пётр;${randomMobile()};`,
    ].join('\n');
    return { csv, e164: `+7${national}`, tag };
  }
  const dealMapping = {
    Сделка: 'title',
    Сумма: 'amount',
    Валюта: 'currency',
    Клиент: 'name',
    Телефон: 'phone',
    Компания: 'company',
  };

  it('should import deals into the Sales pipeline linked to their contact, and match them on a re-run', async () => {
    const { csv, e164, tag } = dealsCsv();
    const sales = pipelines.sales!;
    const request = {
      entity: 'deals',
      format: 'csv',
      pipelineId: String(sales._id),
      stageId: 'proposal-sent',
      mapping: dealMapping,
      csv,
    };
    const dry = await manager.post('/imports', { ...request, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(201);
    expect(dry.body.report).toMatchObject({ total: 3, created: 2, matched: 0, rejectedCount: 1 });
    const Deal = await dealModel(api.db);
    const dealsOf = () =>
      Deal.find({ title: { $regex: tag } })
        .sort({ title: 1 })
        .lean();
    expect(await dealsOf()).toEqual([]);

    const real = await manager.post('/imports', { ...request, dryRun: false });
    expect(real.status, JSON.stringify(real.body)).toBe(201);
    expect(real.body).toMatchObject({ entity: 'deals', status: 'done' });
    expect(real.body.report).toMatchObject({ total: 3, created: 2, matched: 0, rejectedCount: 1 });
    expect(real.body.report.rejected[0]).toMatchObject({ row: 4, reason: expect.stringMatching(/^Сумма «много»/) });
    const [contact, ...others] = await contactsWith(e164);
    expect(others).toEqual([]);
    expect(contact?.name).toBe('Ольга Смирнова');
    const deals = await dealsOf();
    expect(deals).toHaveLength(2);
    const [balcony, windows] = deals;
    expect(windows).toMatchObject({ amount: 150000.5, currency: 'RUB', stageId: 'proposal-sent', status: 'open' });
    expect(balcony).toMatchObject({ amount: 0, currency: 'RUB' });
    for (const deal of deals) {
      expect(String(deal.pipelineId)).toBe(String(sales._id));
      expect(String(deal.contactId)).toBe(String(contact!._id));
      expect(String(deal.ownerId)).toBe(api.users.manager.id);
      expect(deal.stageHistory).toHaveLength(1);
    }
    expect(windows!.companyId).toBeDefined();
    expect(String(contact!.companyId)).toBe(String(windows!.companyId));
    expect(balcony!.companyId).toBeUndefined();

    const again = await manager.post('/imports', { ...request, dryRun: false });
    expect(again.body.report).toMatchObject({ total: 3, created: 0, matched: 2, rejectedCount: 1 });
    expect(await dealsOf()).toHaveLength(2);
    expect(await contactsWith(e164)).toHaveLength(1);
  });

  it('should refuse a pipeline that is not there or a closed stage with 400, writing nothing', async () => {
    const { csv, e164, tag } = dealsCsv();
    const jobsBefore = await importJobModels(api.db).ImportJob.countDocuments();
    const request = { entity: 'deals', format: 'csv', dryRun: false, mapping: dealMapping, csv };
    const missing = await manager.post('/imports', { ...request, pipelineId: randomId() });
    expect(missing.status, JSON.stringify(missing.body)).toBe(400);
    expect(missing.body.error.details).toMatchObject({ pipelineId: expect.any(String) });
    const closed = await manager.post('/imports', {
      ...request,
      pipelineId: String(pipelines.sales!._id),
      stageId: 'won',
    });
    expect(closed.status).toBe(400);
    const noPipeline = await manager.post('/imports', request);
    expect(noPipeline.status).toBe(400);
    expect(await importJobModels(api.db).ImportJob.countDocuments()).toBe(jobsBefore);
    expect(await (await dealModel(api.db)).countDocuments({ title: { $regex: tag } })).toBe(0);
    expect(await contactsWith(e164)).toEqual([]);
  });
});
