import type { Connection } from 'mongoose';
import type { ContactRecord } from '../contacts/contact-models.js';
import { assertExportable, MAX_EXPORT_ROWS } from '../exports/assert-exportable.js';
import type { ExportLanguage } from '../exports/export-schema.js';
import type { ExportColumn, ExportTable } from '../exports/export-table.js';
import { reachableChannels } from './channel-reach.js';
import { segmentContacts } from './segment-contacts.js';
import type { SegmentRecord } from './segment-model.js';

const COLUMNS: Record<ExportLanguage, ExportColumn[]> = {
  ru: [
    { header: 'Имя', width: 30, type: 'text' },
    { header: 'Телефоны', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Каналы', width: 26, type: 'text' },
    { header: 'Отписан от', width: 20, type: 'text' },
    { header: 'Теги', width: 26, type: 'text' },
    { header: 'Регион', width: 22, type: 'text' },
    { header: 'Источник', width: 24, type: 'text' },
    { header: 'UTM campaign', width: 18, type: 'text' },
    { header: 'Язык', width: 6, type: 'text' },
    { header: 'Создан', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
  en: [
    { header: 'Name', width: 30, type: 'text' },
    { header: 'Phones', width: 30, type: 'text' },
    { header: 'E-mail', width: 30, type: 'text' },
    { header: 'Channels', width: 26, type: 'text' },
    { header: 'Opted out of', width: 20, type: 'text' },
    { header: 'Tags', width: 26, type: 'text' },
    { header: 'Region', width: 22, type: 'text' },
    { header: 'Source', width: 24, type: 'text' },
    { header: 'UTM campaign', width: 18, type: 'text' },
    { header: 'Language', width: 6, type: 'text' },
    { header: 'Created', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
};

const PROJECTION = {
  _id: 1,
  name: 1,
  phones: 1,
  emails: 1,
  identities: 1,
  consent: 1,
  tags: 1,
  region: 1,
  source: 1,
  utm: 1,
  language: 1,
  createdAt: 1,
} as const;

type Row = Pick<ContactRecord, keyof typeof PROJECTION>;

function optedOutChannels(contact: Row): string {
  return Object.entries(contact.consent ?? {})
    .filter(([, consent]) => consent?.status === 'opted-out')
    .map(([channel]) => channel)
    .join(', ');
}

/** A segment's contacts as they stand now, in `_id` order, as an export table (refused over MAX_EXPORT_ROWS). */
export async function segmentExportTable(
  db: Connection,
  segment: SegmentRecord,
  lang: ExportLanguage,
): Promise<ExportTable> {
  const rows: Row[] = [];
  for await (const batch of segmentContacts(db, segment, { projection: PROJECTION, batchSize: 1000 })) {
    rows.push(...batch);
    if (rows.length > MAX_EXPORT_ROWS) break;
  }
  assertExportable(rows.length);
  return {
    // Excel refuses sheet names over 31 characters or with any of * ? : \ / [ ].
    sheetName: segment.name.replace(/[*?:\\/[\]]/g, ' ').slice(0, 31),
    columns: COLUMNS[lang],
    rows: rows.map((contact) => [
      contact.name,
      contact.phones.map((phone) => phone.e164).join(', '),
      contact.emails.join(', '),
      reachableChannels(contact).join(', '),
      optedOutChannels(contact),
      contact.tags.join(', '),
      contact.region,
      contact.source,
      contact.utm?.campaign,
      contact.language,
      contact.createdAt,
      String(contact._id),
    ]),
  };
}
