import type { Connection } from 'mongoose';
import type { AuthUser } from '../api/define-route.js';
import { companyModels } from '../companies/company-models.js';
import { contactModels } from '../contacts/contact-models.js';
import { dealListFilter } from '../deals/deal-list-filter.js';
import { dealModel, type DealRecord, type DealStatus } from '../deals/deal-model.js';
import type { DealListQuery } from '../deals/deal-schema.js';
import { pipelineModel } from '../pipelines/pipeline-model.js';
import { userModels } from '../users/user-models.js';
import { assertExportable, MAX_EXPORT_ROWS } from './assert-exportable.js';
import type { ExportLanguage } from './export-schema.js';
import type { ExportColumn, ExportTable } from './export-table.js';
import { namesById } from './names-by-id.js';

const COLUMNS: Record<ExportLanguage, ExportColumn[]> = {
  ru: [
    { header: 'Название', width: 44, type: 'text' },
    { header: 'Воронка', width: 20, type: 'text' },
    { header: 'Этап', width: 30, type: 'text' },
    { header: 'Статус', width: 12, type: 'text' },
    { header: 'Сумма', width: 14, type: 'money' },
    { header: 'Валюта', width: 8, type: 'text' },
    { header: 'Ответственный', width: 22, type: 'text' },
    { header: 'Контакт', width: 28, type: 'text' },
    { header: 'Компания', width: 34, type: 'text' },
    { header: 'Причина отказа', width: 22, type: 'text' },
    { header: 'Закрыта', width: 17, type: 'date' },
    { header: 'Создана', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
  en: [
    { header: 'Title', width: 44, type: 'text' },
    { header: 'Pipeline', width: 20, type: 'text' },
    { header: 'Stage', width: 30, type: 'text' },
    { header: 'Status', width: 12, type: 'text' },
    { header: 'Amount', width: 14, type: 'money' },
    { header: 'Currency', width: 8, type: 'text' },
    { header: 'Owner', width: 22, type: 'text' },
    { header: 'Contact', width: 28, type: 'text' },
    { header: 'Company', width: 34, type: 'text' },
    { header: 'Lost reason', width: 22, type: 'text' },
    { header: 'Closed', width: 17, type: 'date' },
    { header: 'Created', width: 17, type: 'date' },
    { header: 'ID', width: 26, type: 'text' },
  ],
};

const STATUS: Record<DealStatus, Record<ExportLanguage, string>> = {
  open: { ru: 'Открыта', en: 'Open' },
  won: { ru: 'Успешна', en: 'Won' },
  lost: { ru: 'Проиграна', en: 'Lost' },
};

/**
 * The deals the list endpoint would show for this filter and user, newest first, as a table.
 * Pipeline and stage names are the company's own (as named in the pipeline), in any language.
 */
export async function dealsExportTable(
  db: Connection,
  filter: Omit<DealListQuery, 'limit' | 'cursor'>,
  user: AuthUser,
  lang: ExportLanguage,
): Promise<ExportTable> {
  const Deal = await dealModel(db);
  const rows = await Deal.find(dealListFilter(filter, user))
    .sort({ _id: -1 })
    .limit(MAX_EXPORT_ROWS + 1)
    .lean<DealRecord[]>();
  assertExportable(rows.length);
  const { User } = userModels(db);
  const { Contact } = contactModels(db);
  const { Company } = companyModels(db);
  const Pipeline = await pipelineModel(db);
  const [owners, contacts, companies, pipelines] = await Promise.all([
    namesById(
      (ids) => User.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.map((row) => row.ownerId),
    ),
    namesById(
      (ids) => Contact.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.map((row) => row.contactId),
    ),
    namesById(
      (ids) => Company.find({ _id: { $in: ids } }, { name: 1 }).lean(),
      rows.map((row) => row.companyId),
    ),
    Pipeline.find({}).lean(),
  ]);
  const pipelineOf = new Map(pipelines.map((pipeline) => [String(pipeline._id), pipeline]));
  const nameOf = (names: Map<string, string>, id: unknown) => (id ? names.get(String(id)) : undefined);
  return {
    sheetName: lang === 'ru' ? 'Сделки' : 'Deals',
    columns: COLUMNS[lang],
    rows: rows.map((deal) => {
      const pipeline = pipelineOf.get(String(deal.pipelineId));
      return [
        deal.title,
        pipeline?.name,
        pipeline?.stages.find((stage) => stage.id === deal.stageId)?.name ?? deal.stageId,
        STATUS[deal.status][lang],
        deal.amount,
        deal.currency,
        nameOf(owners, deal.ownerId),
        nameOf(contacts, deal.contactId),
        nameOf(companies, deal.companyId),
        deal.lostReason,
        deal.closedAt,
        deal.createdAt,
        String(deal._id),
      ];
    }),
  };
}
