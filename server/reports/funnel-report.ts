import type { Connection } from 'mongoose';
import { cohortDeals, type KeptDealsQuery } from './deal-cohort.js';
import type { ReportContext, ReportDefinition, ReportTable } from './report-definition.js';
import { percent } from './report-math.js';
import { reportPipeline, type ReportPipeline } from './report-pipeline.js';
import { cohortScope } from './report-scope.js';
import { figure, viewPeriods } from './report-view-parts.js';

export interface FunnelCounts {
  leads: number;
  /** Per funnel step: deals that reached it (visited it or a later step). */
  reached: number[];
  won: number;
  lost: number;
  lostReasons: Map<string, number>;
}

/**
 * How far the deals created in the period got in the pipeline. A deal reached a step when it
 * visited it or any later one (a deal moved straight to a later stage still passed the ones
 * before). Deals count in the pipeline they went through, also those moved on into another one
 * (deferred demand) since. Read from the kept daily cohorts (see dealCohort).
 */
export async function funnelCounts(db: Connection, query: KeptDealsQuery): Promise<FunnelCounts> {
  const { funnel } = query;
  const counts: FunnelCounts = {
    leads: 0,
    reached: funnel.steps.map(() => 0),
    won: 0,
    lost: 0,
    lostReasons: new Map(),
  };
  for (const deal of await cohortDeals(db, query)) {
    counts.leads += 1;
    for (let step = 0; step <= deal.deepest; step++) counts.reached[step]! += 1;
    if (deal.status === 'won') counts.won += 1;
    if (deal.status !== 'lost') continue;
    counts.lost += 1;
    const reason = deal.lostReason ?? '';
    counts.lostReasons.set(reason, (counts.lostReasons.get(reason) ?? 0) + 1);
  }
  return counts;
}

function stepsTable(funnel: ReportPipeline, counts: FunnelCounts): ReportTable {
  return {
    columns: [
      { key: 'stage', label: { ru: 'Этап', en: 'Stage' }, unit: 'text' },
      { key: 'reached', label: { ru: 'Дошли', en: 'Reached' }, unit: 'count' },
      {
        key: 'conversion',
        label: { ru: 'Конверсия из предыдущего, %', en: 'From previous stage, %' },
        unit: 'percent',
      },
      { key: 'ofLeads', label: { ru: 'Доля от лидов, %', en: 'Of leads, %' }, unit: 'percent' },
      { key: 'dropOff', label: { ru: 'Отвалились', en: 'Dropped off' }, unit: 'count' },
    ],
    rows: funnel.steps.map((step, i) => {
      const reached = counts.reached[i]!;
      const before = i === 0 ? counts.leads : counts.reached[i - 1]!;
      const next = counts.reached[i + 1];
      return {
        stage: step.name,
        reached,
        conversion: percent(reached, before),
        ofLeads: percent(reached, counts.leads),
        dropOff: next === undefined ? null : reached - next,
      };
    }),
  };
}

function lostReasonsTable(counts: FunnelCounts): ReportTable {
  return {
    columns: [
      { key: 'reason', label: { ru: 'Причина отказа', en: 'Lost reason' }, unit: 'text' },
      { key: 'deals', label: { ru: 'Сделок', en: 'Deals' }, unit: 'count' },
      { key: 'share', label: { ru: 'Доля проигранных, %', en: 'Share of lost, %' }, unit: 'percent' },
    ],
    rows: [...counts.lostReasons]
      .sort(([a, left], [b, right]) => right - left || a.localeCompare(b))
      .map(([reason, deals]) => ({ reason: reason || '—', deals, share: percent(deals, counts.lost) })),
  };
}

async function computeFunnel(context: ReportContext) {
  const { db } = context.services;
  const funnel = await reportPipeline(db, context.filters.pipelineId);
  const kept = { timeZone: context.timeZone, funnel, scope: await cohortScope(db, context.filters), now: new Date() };
  const [now, before] = await Promise.all([
    funnelCounts(db, { ...kept, period: context.filters }),
    funnelCounts(db, { ...kept, period: context.previous }),
  ]);
  return {
    report: 'funnel' as const,
    ...viewPeriods(context),
    headline: [
      figure('leads', { ru: 'Новых сделок', en: 'New deals' }, 'count', now.leads, before.leads),
      figure('won', { ru: 'Выиграно из них', en: 'Won of them' }, 'count', now.won, before.won),
      figure(
        'leadToWon',
        { ru: 'Конверсия лид → продажа, %', en: 'Lead → won, %' },
        'percent',
        percent(now.won, now.leads),
        percent(before.won, before.leads),
      ),
      figure('lost', { ru: 'Проиграно из них', en: 'Lost of them' }, 'count', now.lost, before.lost),
    ],
    chart: {
      kind: 'funnel' as const,
      labels: funnel.steps.map((step) => step.name),
      series: [
        {
          key: 'reached',
          label: { ru: 'Дошли до этапа', en: 'Reached the stage' },
          unit: 'count' as const,
          values: now.reached,
        },
        {
          key: 'previous',
          label: { ru: 'Предыдущий период', en: 'Previous period' },
          unit: 'count' as const,
          values: before.reached,
        },
      ],
    },
    table: stepsTable(funnel, now),
    extraTables: [
      { key: 'lostReasons', title: { ru: 'Причины отказа', en: 'Lost reasons' }, table: lostReasonsTable(now) },
    ],
  };
}

export const funnelReport: ReportDefinition = {
  id: 'funnel',
  title: { ru: 'Воронка продаж', en: 'Sales funnel' },
  roles: ['admin', 'manager', 'operator', 'marketer'],
  compute: computeFunnel,
};
