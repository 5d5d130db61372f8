import type { Connection } from 'mongoose';
import { cohortDeals, type KeptDealsQuery } from './deal-cohort.js';
import type { ReportColumn, ReportContext, ReportDefinition, ReportTable } from './report-definition.js';
import { percent } from './report-math.js';
import { reportPipeline } from './report-pipeline.js';
import { cohortScope } from './report-scope.js';
import { figure, viewPeriods } from './report-view-parts.js';

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

function add(totals: SourceTotals, figures: SourceTotals): void {
  totals.leads += figures.leads;
  totals.qualified += figures.qualified;
  totals.won += figures.won;
  totals.revenue += figures.revenue;
}

function addTo(map: Map<string, SourceTotals>, key: string, figures: SourceTotals): void {
  const totals = map.get(key) ?? empty();
  add(totals, figures);
  map.set(key, totals);
}

/**
 * The deals created in the period that went through the funnel, by where they came from: the
 * deal's own source, else its client's (the label, else the UTM source), by UTM campaign and by
 * the client's region. A lead is qualified once it reached the funnel's second step. Deals and
 * what they came with are read from the kept days (see dealCohort).
 */
export async function sourceBreakdown(db: Connection, query: KeptDealsQuery): Promise<SourceBreakdown> {
  const breakdown: SourceBreakdown = {
    total: empty(),
    bySource: new Map(),
    byCampaign: new Map(),
    byRegion: new Map(),
  };
  for (const deal of await cohortDeals(db, query)) {
    const won = deal.status === 'won';
    const figures = {
      leads: 1,
      qualified: deal.deepest >= 1 ? 1 : 0,
      won: won ? 1 : 0,
      revenue: won ? deal.amount : 0,
    };
    const { client } = deal;
    addTo(breakdown.bySource, deal.source ?? client.source ?? client.utmSource ?? NOT_SET, figures);
    addTo(breakdown.byRegion, client.region ?? NOT_SET, figures);
    if (client.utmCampaign)
      addTo(breakdown.byCampaign, `${client.utmSource ?? NOT_SET} / ${client.utmCampaign}`, figures);
    add(breakdown.total, figures);
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
