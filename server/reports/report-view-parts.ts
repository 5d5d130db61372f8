import type { FigureUnit, HeadlineFigure, LocalText, ReportContext, ReportView } from './report-definition.js';
import { periodDays } from './report-periods.js';

/** The period and the previous one of a view, as the days the user picked. */
export function viewPeriods(context: ReportContext): Pick<ReportView, 'period' | 'previous'> {
  return {
    period: periodDays(context.filters, context.timeZone),
    previous: periodDays(context.previous, context.timeZone),
  };
}

/** A headline figure beside its value in the previous period. */
export function figure(
  key: string,
  label: LocalText,
  unit: FigureUnit,
  value: number | null,
  previous: number | null,
): HeadlineFigure {
  return { key, label, unit, value, previous };
}

/** The same filters over the previous period. */
export function previousFilters(context: ReportContext): ReportContext['filters'] {
  return { ...context.filters, from: context.previous.from, to: context.previous.to };
}
