import { describe, expect, it } from 'vitest';
import { isEmptyReport } from '../../inbox/src/lib/reports/empty-report.js';
import { formatDuration, formatFigure } from '../../inbox/src/lib/reports/format-figure.js';
import { formatPeriod } from '../../inbox/src/lib/reports/format-period.js';
import type { ReportView } from '../../inbox/src/lib/reports/report-views.js';

/** Intl groups Russian thousands with a no-break space. */
const NBSP = '\u00a0';

describe('report figures', () => {
  it('should say a duration the way a person does, in two units at most', () => {
    expect(formatFigure(420, 'seconds', 'ru')).toBe('7 мин');
    expect(formatFigure(420, 'seconds', 'en')).toBe('7 min');
    expect(formatDuration(45, 'ru')).toBe('45 с');
    expect(formatDuration(3 * 3600 + 5 * 60 + 12, 'ru')).toBe('3 ч 5 мин');
    expect(formatDuration(2 * 86_400 + 3 * 3600, 'en')).toBe('2 days 3 hr');
    expect(formatDuration(3600, 'en')).toBe('1 hr');
  });

  it('should show money in whole roubles with grouped thousands', () => {
    expect(formatFigure(1_350_000, 'money', 'ru')).toBe(`1${NBSP}350${NBSP}000${NBSP}₽`);
    expect(formatFigure(254_999.6, 'money', 'ru')).toBe(`255${NBSP}000${NBSP}₽`);
    expect(formatFigure(400_000, 'money', 'en')).toBe('₽400,000');
  });

  it('should show a percent, counts, periods and a missing figure', () => {
    expect(formatFigure(25.3, 'percent', 'ru')).toBe(`25,3${NBSP}%`);
    expect(formatFigure(25.3, 'percent', 'en')).toBe('25.3%');
    expect(formatFigure(1234, 'count', 'ru')).toBe(`1${NBSP}234`);
    // The seed 000 payback: 0.57 of a year, 6.8 months.
    expect(formatFigure(6.8, 'months', 'ru')).toBe('6,8 месяца');
    expect(formatFigure(0.57, 'years', 'en')).toBe('0.57 years');
    expect(formatFigure(12, 'days', 'ru')).toBe('12 дней');
    expect(formatFigure(null, 'count', 'ru')).toBe('—');
    expect(formatFigure(Number.NaN, 'money', 'ru')).toBe('—');
  });

  it('should name a period of days in the reader language', () => {
    // Intl puts a narrow no-break space before «г.».
    expect(formatPeriod({ from: '2026-11-01', to: '2026-11-30' }, 'ru')).toBe('1–30 нояб. 2026\u202fг.');
    expect(formatPeriod({ from: '2026-10-28', to: '2026-11-26' }, 'en')).toBe('Oct 28\u2009–\u2009Nov 26, 2026');
  });
});

describe('empty report', () => {
  const view = (values: number[], rows: ReportView['table']['rows']): ReportView => ({
    report: 'funnel',
    period: { from: '2026-11-01', to: '2026-11-30' },
    previous: { from: '2026-10-02', to: '2026-10-31' },
    headline: [
      { key: 'leads', label: { ru: 'Лиды', en: 'Leads' }, unit: 'count', value: values[0] ?? null, previous: 4 },
    ],
    chart: {
      kind: 'funnel',
      labels: ['Новая', 'Замер'],
      series: [{ key: 'deals', label: { ru: 'Сделки', en: 'Deals' }, unit: 'count', values }],
    },
    table: {
      columns: [
        { key: 'stage', label: { ru: 'Этап', en: 'Stage' }, unit: 'text' },
        { key: 'deals', label: { ru: 'Сделки', en: 'Deals' }, unit: 'count' },
      ],
      rows,
    },
  });

  it('should call a funnel whose stages all hold nothing empty, and one deal not', () => {
    const stages = (first: number) => [
      { stage: 'Новая', deals: first },
      { stage: 'Замер', deals: 0 },
    ];
    expect(isEmptyReport(view([0, 0], stages(0)))).toBe(true);
    expect(isEmptyReport(view([1, 0], stages(1)))).toBe(false);
    expect(isEmptyReport(view([], []))).toBe(true);
  });
});
