import type { Connection } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { companyModels } from '../companies/company-models.js';
import { contactListFilter } from '../contacts/contact-list-filter.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { ContactListQuery } from '../contacts/contact-schemas.js';
import { userModels } from '../users/user-models.js';
import { assertExportable, MAX_EXPORT_ROWS } from './assert-exportable.js';
import type { ExportLanguage } from './export-schema.js';
import type { ExportColumn, ExportTable } from './export-table.js';
import { namesById } from './names-by-id.js';

const COLUMNS: Record<ExportLanguage, ExportColumn[]> = {
  ru: [
    { header: 'Имя', width: 30, type: 'text' },
    { header: 'Телефоны', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Компания', width: 34, type: 'text' },
    { header: 'Ответственный', width: 22, type: 'text' },
    { header: 'Команды', width: 24, type: 'text' },
    { header: 'Теги', width: 26, type: 'text' },
    { header: 'Регион', width: 22, type: 'text' },
    { header: 'Источник', width: 24, type: 'text' },
    { header: 'UTM source', width: 14, type: 'text' },
    { header: 'UTM medium', width: 14, type: 'text' },
    { header: 'UTM campaign', width: 18, type: 'text' },
    { header: 'Первое касание', width: 17, type: 'date' },
    { header: 'Создан', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
  en: [
    { header: 'Name', width: 30, type: 'text' },
    { header: 'Phones', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Company', width: 34, type: 'text' },
    { header: 'Owner', width: 22, type: 'text' },
    { header: 'Teams', width: 24, type: 'text' },
    { header: 'Tags', width: 26, type: 'text' },
    { header: 'Region', width: 22, type: 'text' },
    { header: 'Source', width: 24, type: 'text' },
    { header: 'UTM source', width: 14, type: 'text' },
    { header: 'UTM medium', width: 14, type: 'text' },
    { header: 'UTM campaign', width: 18, type: 'text' },
    { header: 'First touch', width: 17, type: 'date' },
    { header: 'Created', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
};

/** The contacts the list endpoint would show for this filter and user, newest first, as a table. */
export async function contactsExportTable(
  db: Connection,
  filter: Omit<ContactListQuery, 'limit' | 'cursor'>,
  user: AuthUser,
  lang: ExportLanguage,
): Promise<ExportTable> {
  const query = await contactListFilter(db, { ...filter, limit: MAX_EXPORT_ROWS }, user);
  const rows = await contactModels(db)
    .Contact.find(query)
    .sort({ _id: -1 })
    .limit(MAX_EXPORT_ROWS + 1)
    .lean<ContactRecord[]>();
  assertExportable(rows.length);
  const { User, Team } = userModels(db);
  const { Company } = companyModels(db);
  const [companies, owners, teams] = await Promise.all([
    namesById(
      (ids) => Company.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.map((row) => row.companyId),
    ),
    namesById(
      (ids) => User.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.map((row) => row.ownerId),
    ),
    namesById(
      (ids) => Team.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.flatMap((row) => row.teamIds),
    ),
  ]);
  const nameOf = (names: Map<string, string>, id: unknown) => (id ? names.get(String(id)) : undefined);
  return {
    sheetName: lang === 'ru' ? 'Контакты' : 'Contacts',
    columns: COLUMNS[lang],
    rows: rows.map((contact) => [
      contact.name,
      contact.phones.map((phone) => phone.e164).join(', '),
      contact.emails.join(', '),
      nameOf(companies, contact.companyId),
      nameOf(owners, contact.ownerId),
      contact.teamIds
        .map((id) => nameOf(teams, id) ?? '')
        .filter(Boolean)
        .join(', '),
      contact.tags.join(', '),
      contact.region,
      contact.source,
      contact.utm?.source,
      contact.utm?.medium,
      contact.utm?.campaign,
      contact.firstTouchAt,
      contact.createdAt,
      String(contact._id),
    ]),
  };
}
