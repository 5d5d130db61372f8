import type { ReportContext, ReportDefinition } from './report-definition.js';
import { quantile, toDays } from './report-math.js';
import { reportPipeline } from './report-pipeline.js';
import { cohortScope } from './report-scope.js';
import { salesCycles } from './sales-cycles.js';
import { stageDurations } from './stage-stays.js';
import { figure, viewPeriods } from './report-view-parts.js';

const days = (seconds: number[], q: number) => toDays(quantile(seconds, q));

async function computeStageTime(context: ReportContext) {
  const { db } = context.services;
  const funnel = await reportPipeline(db, context.filters.pipelineId);
  const now = new Date();
  // The scope (owners, source) is the same for both periods: read once.
  const scope = await cohortScope(db, context.filters);
  const before = context.previous;
  const kept = { timeZone: context.timeZone, funnel, scope, now };
  const [[stays, staysBefore], cycles, cyclesBefore] = await Promise.all([
    stageDurations(db, [context.filters, before], context.timeZone, funnel, scope, now),
    salesCycles(db, { ...kept, period: context.filters }),
    salesCycles(db, { ...kept, period: before }),
  ]);
  const stages = funnel.steps.filter((step) => step.kind === 'open');
  const rows = stages.map((stage) => {
    const seconds = stays.get(stage.id) ?? [];
    return {
      stage: stage.name,
      stays: seconds.length,
      median: days(seconds, 0.5),
      p90: days(seconds, 0.9),
      previousMedian: days(staysBefore.get(stage.id) ?? [], 0.5),
    };
  });
  return {
    report: 'stage-time' as const,
    ...viewPeriods(context),
    headline: [
      figure(
        'cycleMedian',
        { ru: 'Цикл сделки, медиана, дней', en: 'Sales cycle, median, days' },
        'days',
        days(cycles, 0.5),
        days(cyclesBefore, 0.5),
      ),
      figure(
        'cycleP90',
        { ru: 'Цикл сделки, p90, дней', en: 'Sales cycle, p90, days' },
        'days',
        days(cycles, 0.9),
        days(cyclesBefore, 0.9),
      ),
      figure('wonDeals', { ru: 'Выиграно сделок', en: 'Deals won' }, 'count', cycles.length, cyclesBefore.length),
    ],
    chart: {
      kind: 'bar' as const,
      labels: stages.map((stage) => stage.name),
      series: [
        {
          key: 'median',
          label: { ru: 'Медиана, дней', en: 'Median, days' },
          unit: 'days' as const,
          values: rows.map((row) => row.median),
        },
        {
          key: 'p90',
          label: { ru: 'p90, дней', en: 'p90, days' },
          unit: 'days' as const,
          values: rows.map((row) => row.p90),
        },
      ],
    },
    table: {
      columns: [
        { key: 'stage', label: { ru: 'Этап', en: 'Stage' }, unit: 'text' as const },
        { key: 'stays', label: { ru: 'Пребываний', en: 'Stays' }, unit: 'count' as const },
        { key: 'median', label: { ru: 'Медиана, дней', en: 'Median, days' }, unit: 'days' as const },
        { key: 'p90', label: { ru: 'p90, дней', en: 'p90, days' }, unit: 'days' as const },
        {
          key: 'previousMedian',
          label: { ru: 'Медиана в прошлом периоде, дней', en: 'Previous median, days' },
          unit: 'days' as const,
        },
      ],
      rows,
    },
  };
}

export const stageTimeReport: ReportDefinition = {
  id: 'stage-time',
  title: { ru: 'Время на этапах', en: 'Time in stages' },
  roles: ['admin', 'manager', 'operator'],
  compute: computeStageTime,
};
