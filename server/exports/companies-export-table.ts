import type { Connection } from 'mongoose';
import { companyListFilter } from '../companies/company-list-filter.js';
import { companyModels, type CompanyRecord } from '../companies/company-models.js';
import type { COUNTERPARTY_TYPES, CompanyListQuery } from '../companies/company-schemas.js';
import { userModels } from '../users/user-models.js';
import { assertExportable, MAX_EXPORT_ROWS } from './assert-exportable.js';
import type { ExportLanguage } from './export-schema.js';
import type { ExportColumn, ExportTable } from './export-table.js';
import { namesById } from './names-by-id.js';

const COLUMNS: Record<ExportLanguage, ExportColumn[]> = {
  ru: [
    { header: 'Название', width: 40, type: 'text' },
    { header: 'ИНН', width: 14, type: 'text' },
    { header: 'Тип контрагента', width: 18, type: 'text' },
    { header: 'Адрес', width: 50, type: 'text' },
    { header: 'Сайт', width: 30, type: 'text' },
    { header: 'Телефоны', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Ответственный', width: 22, type: 'text' },
    { header: 'Теги', width: 26, type: 'text' },
    { header: 'Создана', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
  en: [
    { header: 'Name', width: 40, type: 'text' },
    { header: 'INN', width: 14, type: 'text' },
    { header: 'Counterparty type', width: 18, type: 'text' },
    { header: 'Address', width: 50, type: 'text' },
    { header: 'Website', width: 30, type: 'text' },
    { header: 'Phones', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Owner', width: 22, type: 'text' },
    { header: 'Tags', width: 26, type: 'text' },
    { header: 'Created', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
};

const COUNTERPARTY: Record<(typeof COUNTERPARTY_TYPES)[number], Record<ExportLanguage, string>> = {
  client: { ru: 'Клиент', en: 'Client' },
  partner: { ru: 'Партнёр', en: 'Partner' },
  agent: { ru: 'Агент', en: 'Agent' },
  competitor: { ru: 'Конкурент', en: 'Competitor' },
};

/** The companies the list endpoint would show for this filter, newest first, as a table. */
export async function companiesExportTable(
  db: Connection,
  filter: Omit<CompanyListQuery, 'limit' | 'cursor'>,
  lang: ExportLanguage,
): Promise<ExportTable> {
  const rows = await companyModels(db)
    .Company.find(companyListFilter(filter))
    .sort({ _id: -1 })
    .limit(MAX_EXPORT_ROWS + 1)
    .lean<CompanyRecord[]>();
  assertExportable(rows.length);
  const { User } = userModels(db);
  const owners = await namesById(
    (ids) => User.find({ _id: { $in: ids } }, { name: 1 }).lean(),
    rows.map((row) => row.ownerId),
  );
  return {
    sheetName: lang === 'ru' ? 'Компании' : 'Companies',
    columns: COLUMNS[lang],
    rows: rows.map((company) => [
      company.name,
      company.inn,
      COUNTERPARTY[company.counterpartyType][lang],
      company.address,
      company.website,
      company.phones.map((phone) => phone.e164).join(', '),
      company.emails.join(', '),
      company.ownerId ? owners.get(String(company.ownerId)) : undefined,
      company.tags.join(', '),
      company.createdAt,
      String(company._id),
    ]),
  };
}
