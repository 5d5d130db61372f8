import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeDeal } from '../../server/deals/change-deal.js';
import { dealModel } from '../../server/deals/deal-model.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { stageTimeReport } from '../../server/reports/stage-time-report.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, PERIOD, pipelines, reportContext, rowOf } from './report-fixtures.js';

describe('stageTimeReport', () => {
  let api: TestApi;
  let view: ReportView;

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const owner = api.users.manager.id;
    const d = (day: number) => msk(`2025-03-${String(day).padStart(2, '0')}`);
    const feb = (day: number) => msk(`2025-02-${String(day).padStart(2, '0')}`);
    await insertDeals(api.db, all, [
      // H, open: 2 days collecting data, 1 day on the proposal, in measurement-scheduled since 4 March
      // (7 days up to the end of the period, 11 March 00:00).
      {
        ownerId: owner,
        visits: [
          ['data-collection', d(1), d(3)],
          ['proposal-sent', d(3), d(4)],
          ['measurement-scheduled', d(4)],
        ],
      },
      // I, won on 10 March, created 25 February: data 5 days, proposal 4, then a day in each stage; cycle 13 days.
      {
        ownerId: owner,
        status: 'won',
        closedAt: d(10),
        visits: [
          ['data-collection', feb(25), d(2)],
          ['proposal-sent', d(2), d(6)],
          ['measurement-scheduled', d(6), d(7)],
          ['measurer-assigned', d(7), d(8)],
          ['measurement-done', d(8), d(9)],
          ['contract-signed', d(9), d(10)],
          ['won', d(10)],
        ],
      },
      // J, lost: its data stay ended before the period (2 days), its proposal stay in it (11 days).
      {
        ownerId: owner,
        status: 'lost',
        visits: [
          ['data-collection', feb(20), feb(22)],
          ['proposal-sent', feb(22), d(5)],
          ['lost', d(5)],
        ],
      },
      // K, won in 3 days straight from data collection.
      {
        ownerId: owner,
        status: 'won',
        closedAt: d(4),
        visits: [
          ['data-collection', d(1), d(4)],
          ['won', d(4)],
        ],
      },
      // L, won on 9 March after 67 days in data collection (since 1 January).
      {
        ownerId: owner,
        status: 'won',
        closedAt: d(9),
        visits: [
          ['data-collection', msk('2025-01-01'), d(9)],
          ['won', d(9)],
        ],
      },
    ]);
    view = await stageTimeReport.compute(reportContext(api, api.users.manager));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should give the median and p90 of the stays per stage that ended in the period or began in it and go on', () => {
    // Data collection: H 2, I 5, K 3, L 67 → median (3 + 5) / 2 = 4; p90 at rank 2.7: 5 + 0.7 × 62 = 48.4.
    expect(rowOf(view.table, 'Сбор данных')).toMatchObject({ stays: 4, median: 4, p90: 48.4 });
    // Proposal: H 1, I 4, J 11 → median 4; p90 at rank 1.8: 4 + 0.8 × 7 = 9.6.
    expect(rowOf(view.table, 'Коммерческое предложение отправлено')).toMatchObject({ stays: 3, median: 4, p90: 9.6 });
    // Measurement scheduled: I 1, H 7 (still there) → median 4; p90: 1 + 0.9 × 6 = 6.4.
    expect(rowOf(view.table, 'Замер запланирован')).toMatchObject({ stays: 2, median: 4, p90: 6.4 });
    expect(rowOf(view.table, 'Договор подписан')).toMatchObject({ stays: 1, median: 1, p90: 1 });
  });

  it('should compare each stage with the previous period, counting stays begun in it and going on at its end up to then', () => {
    // 19–28 February: J's data stay 2 days, I's 4 days until 1 March (L's began in January) → 3.
    expect(rowOf(view.table, 'Сбор данных')).toMatchObject({ previousMedian: 3 });
    // J's proposal stay from 22 February: 7 days by 1 March.
    expect(rowOf(view.table, 'Коммерческое предложение отправлено')).toMatchObject({ previousMedian: 7 });
    expect(rowOf(view.table, 'Замер запланирован')).toMatchObject({ previousMedian: null });
  });

  it('should give the sales cycle of the deals won in the period', () => {
    // K 3, I 13, L 67 days → median 13; p90 at rank 1.8: 13 + 0.8 × 54 = 56.2.
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, [item.value, item.previous]]));
    expect(headline).toEqual({ cycleMedian: [13, null], cycleP90: [56.2, null], wonDeals: [3, 0] });
  });

  it("should count a stay under the deal's owner as it is now, after its days were kept", async () => {
    const newOwner = await api.createUser({ role: 'manager', name: 'Новый владелец' });
    const Deal = await dealModel(api.db);
    // L: 67 days in data collection, ended 9 March (a kept day by now).
    const long = await Deal.findOne({ closedAt: msk('2025-03-09') }).lean();
    await changeDeal(api.db, { _id: long!._id }, () => ({ $set: { ownerId: new Types.ObjectId(newOwner.id) } }));
    const theirs = await stageTimeReport.compute(
      reportContext(api, api.users.manager, { ...PERIOD, operatorId: newOwner.id }),
    );
    expect(rowOf(theirs.table, 'Сбор данных')).toMatchObject({ stays: 1, median: 67 });
    const others = await stageTimeReport.compute(
      reportContext(api, api.users.manager, { ...PERIOD, operatorId: api.users.manager.id }),
    );
    // H 2, I 5, K 3 → median 3.
    expect(rowOf(others.table, 'Сбор данных')).toMatchObject({ stays: 3, median: 3 });
  });

  it('should leave a reopened deal out of the sales cycle, though the day it was won was kept', async () => {
    const Deal = await dealModel(api.db);
    // K: won on 4 March in 3 days.
    const quick = await Deal.findOne({ closedAt: msk('2025-03-04') }).lean();
    await changeDeal(api.db, { _id: quick!._id }, () => ({ $set: { status: 'open' }, $unset: { closedAt: '' } }));
    const after = await stageTimeReport.compute(reportContext(api, api.users.manager));
    const headline = Object.fromEntries(after.headline.map((item) => [item.key, item.value]));
    // I 13 and L 67 days.
    expect(headline).toMatchObject({ wonDeals: 2, cycleMedian: 40 });
  });
});
