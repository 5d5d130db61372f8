import { Types, type Connection } from 'mongoose';
import { contactModels } from '../contacts/contact-models.js';
import { cohortDeals, type KeptDealsQuery } from './deal-cohort.js';
import type { ReportColumn, ReportContext, ReportDefinition, ReportTable } from './report-definition.js';
import { percent } from './report-math.js';
import { reportPipeline } from './report-pipeline.js';
import { cohortScope } from './report-scope.js';
import { figure, viewPeriods } from './report-view-parts.js';

/** The deals of one contact (hex id) and one deal source created in the period, summed up. */
interface ContactGroup {
  _id: { contactId: string | null; source: string | null };
  leads: number;
  qualified: number;
  won: number;
  revenue: number;
}

export interface SourceTotals {
  leads: number;
  qualified: number;
  won: number;
  revenue: number;
}

export interface SourceBreakdown {
  total: SourceTotals;
  bySource: Map<string, SourceTotals>;
  byCampaign: Map<string, SourceTotals>;
  byRegion: Map<string, SourceTotals>;
}

const NOT_SET = '—';
const empty = (): SourceTotals => ({ leads: 0, qualified: 0, won: 0, revenue: 0 });

function addTo(map: Map<string, SourceTotals>, key: string, group: SourceTotals): void {
  const totals = map.get(key) ?? empty();
  totals.leads += group.leads;
  totals.qualified += group.qualified;
  totals.won += group.won;
  totals.revenue += group.revenue;
  map.set(key, totals);
}

async function contactsById(db: Connection, ids: string[]) {
  const { Contact } = contactModels(db);
  const byId = new Map<string, { source?: string; utm?: { source?: string; campaign?: string }; region?: string }>();
  if (ids.length === 0) return byId;
  for (const contact of await Contact.find(
    { _id: { $in: ids.map((id) => new Types.ObjectId(id)) } },
    { source: 1, utm: 1, region: 1 },
  ).lean())
    byId.set(String(contact._id), contact);
  return byId;
}

/**
 * The deals created in the period that went through the funnel, by where they came from: the
 * deal's own source, else its contact's (the label, else the UTM source), by UTM campaign and by
 * the contact's region. A lead is qualified once it reached the funnel's second step. The deals
 * come from the kept daily cohorts, summed per contact; the contacts are then read by id, as they
 * are now (no $lookup: the store would read the whole collection for it).
 */
export async function sourceBreakdown(db: Connection, query: KeptDealsQuery): Promise<SourceBreakdown> {
  const byGroup = new Map<string, ContactGroup>();
  for (const deal of await cohortDeals(db, query)) {
    const key = `${String(deal.contactId)}|${deal.source ?? ''}`;
    const group = byGroup.get(key) ?? {
      _id: { contactId: deal.contactId, source: deal.source },
      leads: 0,
      qualified: 0,
      won: 0,
      revenue: 0,
    };
    group.leads += 1;
    if (deal.deepest >= 1) group.qualified += 1;
    if (deal.status === 'won') {
      group.won += 1;
      group.revenue += deal.amount;
    }
    byGroup.set(key, group);
  }
  const groups = [...byGroup.values()];
  const byId = await contactsById(
    db,
    groups.flatMap((group) => (group._id.contactId ? [group._id.contactId] : [])),
  );
  const breakdown: SourceBreakdown = {
    total: empty(),
    bySource: new Map(),
    byCampaign: new Map(),
    byRegion: new Map(),
  };
  for (const group of groups) {
    const contact = group._id.contactId ? byId.get(String(group._id.contactId)) : undefined;
    const source = group._id.source ?? contact?.source ?? contact?.utm?.source ?? NOT_SET;
    addTo(breakdown.bySource, source, group);
    addTo(breakdown.byRegion, contact?.region ?? NOT_SET, group);
    if (contact?.utm?.campaign)
      addTo(breakdown.byCampaign, `${contact.utm.source ?? NOT_SET} / ${contact.utm.campaign}`, group);
    breakdown.total.leads += group.leads;
    breakdown.total.qualified += group.qualified;
    breakdown.total.won += group.won;
    breakdown.total.revenue += group.revenue;
  }
  return breakdown;
}

const figureColumns: ReportColumn[] = [
  { key: 'leads', label: { ru: 'Лиды', en: 'Leads' }, unit: 'count' },
  { key: 'qualified', label: { ru: 'Квалифицированы', en: 'Qualified' }, unit: 'count' },
  { key: 'won', label: { ru: 'Продажи', en: 'Won' }, unit: 'count' },
  { key: 'conversion', label: { ru: 'Конверсия в продажу, %', en: 'Lead → won, %' }, unit: 'percent' },
  { key: 'revenue', label: { ru: 'Выручка, ₽', en: 'Revenue, ₽' }, unit: 'money' },
];

function tableOf(first: ReportColumn, map: Map<string, SourceTotals>): ReportTable {
  return {
    columns: [first, ...figureColumns],
    rows: [...map]
      .sort(([a, left], [b, right]) => right.leads - left.leads || right.revenue - left.revenue || a.localeCompare(b))
      .map(([key, totals]) => ({ [first.key]: key, ...totals, conversion: percent(totals.won, totals.leads) })),
  };
}

async function computeSources(context: ReportContext) {
  const { db } = context.services;
  const funnel = await reportPipeline(db, context.filters.pipelineId);
  const kept = { timeZone: context.timeZone, funnel, scope: await cohortScope(db, context.filters), now: new Date() };
  const [now, before] = await Promise.all([
    sourceBreakdown(db, { ...kept, period: context.filters }),
    sourceBreakdown(db, { ...kept, period: context.previous }),
  ]);
  const table = tableOf({ key: 'source', label: { ru: 'Источник', en: 'Source' }, unit: 'text' }, now.bySource);
  return {
    report: 'sources' as const,
    ...viewPeriods(context),
    headline: [
      figure('leads', { ru: 'Лиды', en: 'Leads' }, 'count', now.total.leads, before.total.leads),
      figure(
        'qualified',
        { ru: 'Квалифицированы', en: 'Qualified' },
        'count',
        now.total.qualified,
        before.total.qualified,
      ),
      figure('won', { ru: 'Продажи', en: 'Won' }, 'count', now.total.won, before.total.won),
      figure('revenue', { ru: 'Выручка, ₽', en: 'Revenue, ₽' }, 'money', now.total.revenue, before.total.revenue),
    ],
    chart: {
      kind: 'bar' as const,
      labels: table.rows.map((row) => String(row.source)),
      series: (['leads', 'qualified', 'won'] as const).map((key) => ({
        key,
        label: figureColumns.find((column) => column.key === key)!.label,
        unit: 'count' as const,
        values: table.rows.map((row) => Number(row[key])),
      })),
    },
    table,
    extraTables: [
      {
        key: 'campaigns',
        title: { ru: 'UTM-кампании', en: 'UTM campaigns' },
        table: tableOf(
          {
            key: 'campaign',
            label: { ru: 'utm_source / utm_campaign', en: 'utm_source / utm_campaign' },
            unit: 'text',
          },
          now.byCampaign,
        ),
      },
      {
        key: 'regions',
        title: { ru: 'Регионы', en: 'Regions' },
        table: tableOf({ key: 'region', label: { ru: 'Регион', en: 'Region' }, unit: 'text' }, now.byRegion),
      },
    ],
  };
}

export const sourcesReport: ReportDefinition = {
  id: 'sources',
  title: { ru: 'Источники и UTM', en: 'Sources and UTM' },
  roles: ['admin', 'manager', 'marketer'],
  compute: computeSources,
};
