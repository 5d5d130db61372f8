import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computePayback, paybackPeriod, paybackReport } from '../../server/reports/payback-report.js';
import { saveReportSettings } from '../../server/reports/report-settings-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { insertDeals, pipelines, reportContext } from './report-fixtures.js';

const SEED_000 = { oneTimeCost: 1_350_000, yearlyCost: 400_000 };

describe('paybackPeriod', () => {
  it("should reproduce seed 000's business case: 1,350,000 ₽ once, 400,000 ₽ a year, +255,000 ₽ a month", () => {
    // (1,350,000 + 400,000) / (255,000 × 12) = 0.572 → 0.57 year → 6.84 → 6.8 months.
    expect(paybackPeriod(SEED_000, 255_000)).toEqual({ years: 0.57, months: 6.8 });
  });

  it('should not promise a payback without a gain', () => {
    expect(paybackPeriod(SEED_000, 0)).toEqual({ years: null, months: null });
    expect(paybackPeriod(SEED_000, null)).toEqual({ years: null, months: null });
  });
});

describe('paybackReport', () => {
  let api: TestApi;
  const now = new Date();
  const monthsAgo = (months: number, days = 0) => {
    const moment = new Date(now);
    moment.setUTCMonth(moment.getUTCMonth() - months);
    return new Date(moment.getTime() - days * 86_400_000);
  };

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const owner = api.users.manager.id;
    // Live since 2 months and a day: won 600,000 + 400,000 since, 300,000 in the 2 months before.
    const goLive = monthsAgo(2, 1);
    const won = (closedAt: Date, amount: number, extra: object = {}) => ({
      ownerId: owner,
      status: 'won' as const,
      amount,
      closedAt,
      visits: [['won', closedAt]] as [string, Date][],
      ...extra,
    });
    await insertDeals(api.db, all, [
      won(monthsAgo(1), 600_000),
      won(monthsAgo(0, 3), 400_000),
      won(monthsAgo(3), 300_000),
      // The same sale copied to installment control, a lost deal and a sale before the compared months: left out.
      won(monthsAgo(1), 600_000, { copiedFrom: true }),
      { ownerId: owner, status: 'lost', amount: 900_000, closedAt: monthsAgo(1), visits: [['lost', monthsAgo(1)]] },
      won(monthsAgo(6), 5_000_000),
    ]);
    await saveReportSettings(api.db, {
      slaMinutes: 15,
      payback: { ...SEED_000, currency: 'RUB', goLiveAt: goLive.toISOString(), marginPercent: 30 },
    });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should credit the product with the won revenue gain since go-live times the margin', async () => {
    // After: 1,000,000 / 2 = 500,000 a month; before: 300,000 / 2 = 150,000; gain (500,000 − 150,000) × 30 % = 105,000.
    // Payback: 1,750,000 / (105,000 × 12) = 1.389 → 1.39 years → 16.68 → 16.7 months.
    const view = await paybackReport.compute(reportContext(api, api.users.admin));
    expect(view.table.rows[0]).toMatchObject({
      months: 2,
      revenueAfter: 500_000,
      revenueBefore: 150_000,
      monthlyGain: 105_000,
      paybackYears: 1.39,
      paybackMonths: 16.7,
    });
  });

  it('should take the monthly gain the admin entered over the measured one', async () => {
    const payback = { ...SEED_000, currency: 'RUB' as const, marginPercent: 30, monthlyGainOverride: 255_000 };
    const result = await computePayback(api.db, payback, now);
    expect(result).toMatchObject({ monthlyGain: 255_000, paybackYears: 0.57, paybackMonths: 6.8 });
    await saveReportSettings(api.db, { slaMinutes: 15, payback });
    const view = await paybackReport.compute(reportContext(api, api.users.admin));
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, item.value]));
    expect(headline).toEqual({ paybackYears: 0.57, paybackMonths: 6.8, monthlyGain: 255_000 });
  });
});
