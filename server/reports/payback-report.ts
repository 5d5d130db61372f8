import type { Connection } from 'mongoose';
import { dealModel } from '../deals/deal-model.js';
import type { ReportContext, ReportDefinition } from './report-definition.js';
import { round } from './report-math.js';
import { readReportSettings, type PaybackSettings } from './report-settings-model.js';
import { viewPeriods } from './report-view-parts.js';

export interface Payback {
  /** Average won revenue a month in the months since go-live, and in as many months before it. */
  revenueAfter: number | null;
  revenueBefore: number | null;
  months: number;
  /** The profit gain a month the product is credited with: the override, or the revenue gain × margin. */
  monthlyGain: number | null;
  paybackYears: number | null;
  paybackMonths: number | null;
}

function addMonths(moment: Date, months: number): Date {
  const shifted = new Date(moment);
  shifted.setUTCMonth(shifted.getUTCMonth() + months);
  return shifted;
}

/** Whole calendar months from one moment to another (0 before the first month is over). */
function wholeMonths(from: Date, to: Date): number {
  let months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + (to.getUTCMonth() - from.getUTCMonth());
  if (addMonths(from, months) > to) months--;
  return Math.max(0, months);
}

/**
 * The payback period of costs against a monthly profit gain: years = (one-time + yearly cost) /
 * (gain × 12), months = years × 12. Years are rounded to hundredths first and months taken from
 * those, as the business case of seed 000 does (1,750,000 / 3,060,000 → 0.57 year → 6.8 months).
 */
export function paybackPeriod(
  costs: { oneTimeCost: number; yearlyCost: number },
  monthlyGain: number | null,
): { years: number | null; months: number | null } {
  if (monthlyGain === null || monthlyGain <= 0) return { years: null, months: null };
  const years = round((costs.oneTimeCost + costs.yearlyCost) / (monthlyGain * 12), 2);
  return { years, months: round(years * 12, 1) };
}

/**
 * Won revenue a month since go-live against as many whole months before it (won deals by the day
 * they closed; copies, such as installment control, are the same sale and left out), times the
 * margin, unless the admin entered the gain; then the payback period.
 */
export async function computePayback(db: Connection, settings: PaybackSettings, now: Date): Promise<Payback> {
  const goLive = settings.goLiveAt ? new Date(settings.goLiveAt) : undefined;
  const months = goLive ? wholeMonths(goLive, now) : 0;
  let revenueAfter: number | null = null;
  let revenueBefore: number | null = null;
  if (goLive && months > 0) {
    const Deal = await dealModel(db);
    const sums = await Deal.aggregate<{ _id: 'before' | 'after'; revenue: number }>([
      { $match: { closedAt: { $gte: addMonths(goLive, -months), $lt: addMonths(goLive, months) }, status: 'won' } },
      { $match: { copiedFrom: { $exists: false } } },
      { $group: { _id: { $cond: [{ $lt: ['$closedAt', goLive] }, 'before', 'after'] }, revenue: { $sum: '$amount' } } },
    ]);
    const sum = (side: 'before' | 'after') => sums.find((row) => row._id === side)?.revenue ?? 0;
    revenueAfter = round(sum('after') / months);
    revenueBefore = round(sum('before') / months);
  }
  const measured =
    revenueAfter !== null && revenueBefore !== null && settings.marginPercent !== undefined
      ? round(((revenueAfter - revenueBefore) * settings.marginPercent) / 100)
      : null;
  const monthlyGain = settings.monthlyGainOverride ?? measured;
  const period = paybackPeriod(settings, monthlyGain);
  return { revenueAfter, revenueBefore, months, monthlyGain, paybackYears: period.years, paybackMonths: period.months };
}

async function computePaybackReport(context: ReportContext) {
  const { payback: settings } = await readReportSettings(context.services.db);
  const payback = await computePayback(context.services.db, settings, new Date());
  const horizon = Math.max(12, Math.ceil(payback.paybackMonths ?? 0) + 3);
  const monthsAxis = Array.from({ length: horizon + 1 }, (_, month) => month);
  return {
    report: 'payback' as const,
    ...viewPeriods(context),
    headline: [
      {
        key: 'paybackYears',
        label: { ru: 'Окупаемость, лет', en: 'Payback, years' },
        unit: 'years' as const,
        value: payback.paybackYears,
        previous: null,
      },
      {
        key: 'paybackMonths',
        label: { ru: 'Окупаемость, месяцев', en: 'Payback, months' },
        unit: 'months' as const,
        value: payback.paybackMonths,
        previous: null,
      },
      {
        key: 'monthlyGain',
        label: { ru: 'Прирост прибыли в месяц, ₽', en: 'Profit gain a month, ₽' },
        unit: 'money' as const,
        value: payback.monthlyGain,
        previous: null,
      },
    ],
    chart: {
      kind: 'line' as const,
      labels: monthsAxis.map(String),
      series: [
        {
          key: 'gain',
          label: { ru: 'Накопленный прирост прибыли, ₽', en: 'Profit gain to date, ₽' },
          unit: 'money' as const,
          values: monthsAxis.map((month) => (payback.monthlyGain === null ? null : round(payback.monthlyGain * month))),
        },
        {
          key: 'costs',
          label: { ru: 'Затраты, ₽', en: 'Costs, ₽' },
          unit: 'money' as const,
          values: monthsAxis.map((month) => round(settings.oneTimeCost + (settings.yearlyCost * month) / 12)),
        },
      ],
    },
    table: {
      columns: [
        { key: 'oneTimeCost', label: { ru: 'Разовые затраты, ₽', en: 'One-time cost, ₽' }, unit: 'money' as const },
        { key: 'yearlyCost', label: { ru: 'Затраты в год, ₽', en: 'Yearly cost, ₽' }, unit: 'money' as const },
        { key: 'marginPercent', label: { ru: 'Маржа, %', en: 'Margin, %' }, unit: 'percent' as const },
        { key: 'months', label: { ru: 'Месяцев с запуска', en: 'Months since go-live' }, unit: 'count' as const },
        {
          key: 'revenueBefore',
          label: { ru: 'Выручка в месяц до запуска, ₽', en: 'Revenue a month before, ₽' },
          unit: 'money' as const,
        },
        {
          key: 'revenueAfter',
          label: { ru: 'Выручка в месяц после запуска, ₽', en: 'Revenue a month after, ₽' },
          unit: 'money' as const,
        },
        {
          key: 'monthlyGain',
          label: { ru: 'Прирост прибыли в месяц, ₽', en: 'Profit gain a month, ₽' },
          unit: 'money' as const,
        },
        { key: 'paybackYears', label: { ru: 'Окупаемость, лет', en: 'Payback, years' }, unit: 'years' as const },
        { key: 'paybackMonths', label: { ru: 'Окупаемость, месяцев', en: 'Payback, months' }, unit: 'months' as const },
      ],
      rows: [
        {
          oneTimeCost: settings.oneTimeCost,
          yearlyCost: settings.yearlyCost,
          marginPercent: settings.marginPercent ?? null,
          months: payback.months,
          revenueBefore: payback.revenueBefore,
          revenueAfter: payback.revenueAfter,
          monthlyGain: payback.monthlyGain,
          paybackYears: payback.paybackYears,
          paybackMonths: payback.paybackMonths,
        },
      ],
    },
  };
}

export const paybackReport: ReportDefinition = {
  id: 'payback',
  title: { ru: 'Окупаемость', en: 'Payback' },
  roles: ['admin', 'manager'],
  compute: computePaybackReport,
};
