import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditModels } from '../../server/audit/audit-models.js';
import { companyModels } from '../../server/companies/company-models.js';
import { isValidInn } from '../../server/companies/is-valid-inn.js';
import { contactModels } from '../../server/contacts/contact-models.js';
import { importJobModels } from '../../server/imports/import-job-models.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { randomEmail, randomMobile, spelledOut } from './contacts-test-data.js';

function randomInn(): string {
  for (;;) {
    const body = Array.from({ length: 9 }, () => Math.floor(Math.random() * 10)).join('');
    for (let check = 0; check < 10; check++) if (isValidInn(`${body}${check}`)) return `${body}${check}`;
  }
}

/** Text as Windows-1251 bytes (ASCII and А–я), the way Excel in Russian Windows saves CSV. */
function windows1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => (ch >= 'А' && ch <= 'я' ? ch.charCodeAt(0) - 0x410 + 0xc0 : ch.charCodeAt(0))),
  );
}

async function finished(client: ApiClient, id: string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const job = await client.get(`/imports/${id}`);
    if (job.body.status !== 'running') return job.body;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the import did not finish');
}

describe('imports', () => {
  let api: TestApi;
  let manager: ApiClient;
  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(() => api?.close());

  /** One phone written three ways, the e-mail in two cases, a bad e-mail, and a column nobody maps. */
  function exhibitionList() {
    const national = randomMobile();
    const email = randomEmail();
    const csv = [
      'Имя;Телефон;E-mail;Размер обуви',
      `Иван Петров;${spelledOut(national)};${email};42`,
      `Иван П.;8${national};;`,
      `И. Петров;${national};${email.toUpperCase()};`,
      'Мария;;not-an-email;',
    ].join('\r\n');
    return { csv, e164: `+7${national}`, email };
  }
  const mapping = { Имя: 'name', Телефон: 'phone', 'E-mail': 'email' };
  const expectedReport = (created: number, matched: number) => ({
    total: 4,
    created,
    matched,
    rejectedCount: 1,
    rejected: [{ row: 5, reason: expect.stringMatching(/E-mail «not-an-email».*\/ E-mail "not-an-email"/) }],
  });
  const contactsWith = (e164: string) => contactModels(api.db).Contact.find({ 'phones.e164': e164 }).lean();

  it('should refuse an unknown field or a column the file lacks, writing nothing', async () => {
    const { csv } = exhibitionList();
    const jobsBefore = await importJobModels(api.db).ImportJob.countDocuments();
    const unknownField = await manager.post('/imports', {
      entity: 'contacts',
      format: 'csv',
      dryRun: false,
      csv,
      mapping: { ...mapping, 'Размер обуви': 'shoeSize' },
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.code).toBe('validation_failed');
    const missingColumn = await manager.post('/imports', {
      entity: 'contacts',
      format: 'csv',
      dryRun: false,
      csv,
      mapping: { ...mapping, Отчество: 'name' },
    });
    expect(missingColumn.status).toBe(400);
    expect(missingColumn.body.error.details.missingColumns).toEqual(['Отчество']);
    expect(await importJobModels(api.db).ImportJob.countDocuments()).toBe(jobsBefore);
  });

  it('should report a dry run without writing, then import once, then match on a re-run', async () => {
    const { csv, e164, email } = exhibitionList();
    const request = { entity: 'contacts', format: 'csv', mapping, csv };
    const auditBefore = await auditModels(api.db).AuditLog.countDocuments();

    const dry = await manager.post('/imports', { ...request, dryRun: true });
    expect(dry.status, JSON.stringify(dry.body)).toBe(201);
    expect(dry.body).toMatchObject({ status: 'done', dryRun: true, processed: 4, total: 4 });
    expect(dry.body.report).toEqual(expectedReport(1, 2));
    expect(await contactsWith(e164)).toEqual([]);
    expect(await auditModels(api.db).AuditLog.countDocuments()).toBe(auditBefore);

    const real = await manager.post('/imports', { ...request, dryRun: false });
    expect(real.status).toBe(201);
    expect(real.body.report).toEqual(expectedReport(1, 2));
    const [contact, ...others] = await contactsWith(e164);
    expect(others).toEqual([]);
    expect(contact).toMatchObject({ name: 'Иван Петров', emails: [email], source: 'import' });
    expect(String(contact!.ownerId)).toBe(api.users.manager.id);
    expect(await auditModels(api.db).AuditLog.countDocuments({ action: 'import.create', entityId: real.body.id })).toBe(
      1,
    );

    const again = await manager.post('/imports', { ...request, dryRun: false });
    expect(again.body.report).toEqual(expectedReport(0, 3));
    expect(await contactsWith(e164)).toHaveLength(1);
  });

  it('should give the rejected rows back as CSV with their cells, row numbers and reasons', async () => {
    const { csv } = exhibitionList();
    const run = await manager.post('/imports', { entity: 'contacts', format: 'csv', dryRun: true, mapping, csv });
    // Read as bytes: fetch's text() would drop the BOM that tells Excel the file is UTF-8.
    const file = await fetch(`${api.baseUrl}/api/v1/imports/${run.body.id}/rejected.csv`, {
      headers: { cookie: manager.cookie! },
    });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?import-[0-9a-f]{24}-rejected\.csv"?$/,
    );
    const bytes = Buffer.from(await file.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rejected] = parse(bytes.subarray(3).toString('utf8'), { delimiter: ';' }) as string[][];
    expect(header).toEqual(['Имя', 'Телефон', 'E-mail', 'Размер обуви', 'Строка / Row', 'Причина / Reason']);
    expect(rejected).toEqual([['Мария', '', 'not-an-email', '', '5', run.body.report.rejected[0].reason]]);
  });

  it('should import companies by INN, or by name without one, rejecting a bad INN', async () => {
    const inn = randomInn();
    const name = `ООО "Ромашка ${Math.random().toString(36).slice(2, 8)}"`;
    const csv = [
      'Название,ИНН,Адрес',
      `${name},${inn},"г. Екатеринбург, ул. Ленина, 5"`,
      `${name.toUpperCase()},,`,
      `ИП Сидоров,1234567890,`,
    ].join('\n');
    const request = {
      entity: 'companies',
      format: 'csv',
      dryRun: false,
      mapping: { Название: 'name', ИНН: 'inn', 3: 'address' },
      csv,
    };
    const first = await manager.post('/imports', request);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.report).toMatchObject({ total: 3, created: 1, matched: 1, rejectedCount: 1 });
    expect(first.body.report.rejected[0]).toMatchObject({ row: 4, reason: expect.stringMatching(/^ИНН «1234567890»/) });
    const stored = await companyModels(api.db).Company.find({ inn }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ name, address: 'г. Екатеринбург, ул. Ленина, 5' });
    const again = await manager.post('/imports', request);
    expect(again.body.report).toMatchObject({ created: 0, matched: 2, rejectedCount: 1 });
  });

  it('should read a Windows-1251 file sent as base64 and link contacts to their company', async () => {
    const national = randomMobile();
    const company = `Окна Урала ${Math.random().toString(36).slice(2, 8)}`;
    const csv = windows1251(`Фамилия;Имя;Телефон;Компания\nСмирнова;Ольга;8${national};${company}\n`);
    const response = await manager.post('/imports', {
      entity: 'contacts',
      format: 'csv',
      dryRun: false,
      encoding: 'base64',
      csv: csv.toString('base64'),
      mapping: { Фамилия: 'name', Имя: 'name', Телефон: 'phone', Компания: 'company' },
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    expect(response.body.report).toMatchObject({ created: 1, rejectedCount: 0 });
    const [contact] = await contactsWith(`+7${national}`);
    expect(contact?.name).toBe('Смирнова Ольга');
    const linked = await companyModels(api.db).Company.findById(contact?.companyId).lean();
    expect(linked?.name).toBe(company);
  });

  it('should run a long file in the background with progress, and refuse a file over 5 MB', async () => {
    const rows = Array.from({ length: 600 }, (_, i) => `Клиент ${i},${randomMobile()}`);
    const csv = ['Имя,Телефон', ...rows, 'Без телефона,'].join('\n');
    const started = await manager.post('/imports', {
      entity: 'contacts',
      format: 'csv',
      dryRun: false,
      mapping: { Имя: 'name', Телефон: 'phone' },
      csv,
    });
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ status: 'running', total: 601 });
    const job = await finished(manager, started.body.id);
    expect(job).toMatchObject({ status: 'done', processed: 601, total: 601 });
    expect(job.report).toMatchObject({ created: 600, matched: 0, rejectedCount: 1 });
    expect(job.report.rejected[0]).toMatchObject({ row: 602, reason: expect.stringMatching(/^No phone or e-mail/) });

    const huge = await manager.post('/imports', {
      entity: 'contacts',
      format: 'csv',
      dryRun: true,
      mapping: { Имя: 'name' },
      csv: `Имя\n${'x'.repeat(5 * 1024 * 1024)}`,
    });
    expect(huge.status).toBe(413);
  });
});
