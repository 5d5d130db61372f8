import type { FigureUnit, HeadlineFigure } from './report-views.js';

/** How a headline figure moved against the previous period, and whether that is good news. */
export interface FigureChange {
  direction: 'up' | 'down' | 'flat';
  /** ▲ / ▼ / = with the change: «▲ 12 %», «▼ 3,5 п.п.», or only the arrow from nothing («▲»). */
  text: string;
  tone: 'good' | 'bad' | 'neutral';
}

/** Times and costs are better when they fall: a shorter first response, a cheaper lead, a quicker payback. */
const LOWER_IS_BETTER_UNITS: readonly FigureUnit[] = ['seconds', 'days', 'months', 'years'];
const LOWER_IS_BETTER_KEYS = /lost|overdue|drop|cost|cpl|handoff|handed|waiting|breach/i;

export function lowerIsBetter(figure: Pick<HeadlineFigure, 'key' | 'unit'>): boolean {
  return LOWER_IS_BETTER_UNITS.includes(figure.unit) || LOWER_IS_BETTER_KEYS.test(figure.key);
}

/**
 * The change from the previous period: relative for amounts (+12 %), in percentage points for a
 * figure that is itself a percent (a conversion from 20 % to 25 % is +5 p.p., not +25 %). Nothing
 * to compare (either side unknown): undefined.
 */
export function figureChange(
  figure: Pick<HeadlineFigure, 'key' | 'unit' | 'value' | 'previous'>,
  locale: string,
  pointsLabel: string,
): FigureChange | undefined {
  const { value, previous } = figure;
  if (value === null || previous === null) return undefined;
  const delta = value - previous;
  const number = (amount: number, digits: number) =>
    new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(amount);
  if (Math.abs(delta) < 1e-9) return { direction: 'flat', text: '= 0', tone: 'neutral' };
  const direction = delta > 0 ? 'up' : 'down';
  const arrow = direction === 'up' ? '▲' : '▼';
  const good = (direction === 'up') !== lowerIsBetter(figure);
  const tone = good ? 'good' : 'bad';
  if (figure.unit === 'percent')
    return { direction, text: `${arrow} ${number(Math.abs(delta), 1)} ${pointsLabel}`, tone };
  // From nothing any growth is infinite: the arrow says enough.
  if (previous === 0) return { direction, text: arrow, tone };
  const percent = (Math.abs(delta) / Math.abs(previous)) * 100;
  const formatted = new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: percent < 10 ? 1 : 0 });
  return { direction, text: `${arrow} ${formatted.format(percent / 100)}`, tone };
}
