import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dealModel } from '../../server/deals/deal-model.js';
import { moveDeal } from '../../server/deals/move-deal.js';
import { funnelReport } from '../../server/reports/funnel-report.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { insertDeals, msk, pipelines, reportContext, rowOf } from './report-fixtures.js';

describe('funnelReport', () => {
  let api: TestApi;
  let view: ReportView;

  beforeAll(async () => {
    api = await startTestApi();
    const all = await pipelines(api);
    const owner = api.users.manager.id;
    const d = (day: number) => msk(`2025-03-${String(day).padStart(2, '0')}`);
    const won = [
      'data-collection',
      'proposal-sent',
      'measurement-scheduled',
      'measurer-assigned',
      'measurement-done',
      'contract-signed',
      'won',
    ];
    await insertDeals(api.db, all, [
      // The period: seven new deals.
      {
        ownerId: owner,
        visits: [
          ['data-collection', d(1), d(2)],
          ['proposal-sent', d(2), d(3)],
          ['measurement-scheduled', d(3)],
        ],
      },
      {
        ownerId: owner,
        status: 'won',
        closedAt: d(9),
        amount: 100_000,
        visits: won.map((stage, i) => [stage, d(1 + i), i < 6 ? d(2 + i) : undefined]),
      },
      {
        ownerId: owner,
        status: 'lost',
        lostReason: 'Дорого',
        visits: [
          ['data-collection', d(2), d(3)],
          ['proposal-sent', d(3), d(4)],
          ['lost', d(4)],
        ],
      },
      { ownerId: owner, visits: [['data-collection', d(5)]] },
      {
        ownerId: owner,
        status: 'lost',
        lostReason: 'Дорого',
        visits: [
          ['data-collection', d(5), d(6)],
          ['proposal-sent', d(6), d(7)],
          ['lost', d(7)],
        ],
      },
      {
        ownerId: owner,
        status: 'lost',
        lostReason: 'Не выходит на связь',
        visits: [
          ['data-collection', d(6), d(7)],
          ['lost', d(7)],
        ],
      },
      // Entered straight at the second stage: it still passed the first.
      {
        ownerId: owner,
        visits: [
          ['proposal-sent', d(8), d(9)],
          ['measurement-scheduled', d(9)],
        ],
      },
      // Not counted: created before the previous period, and a deal of another pipeline.
      {
        ownerId: owner,
        createdAt: msk('2025-01-10'),
        visits: [
          ['data-collection', msk('2025-01-10'), d(2)],
          ['proposal-sent', d(2)],
        ],
      },
      { ownerId: owner, pipeline: 'leads', visits: [['new', d(3)]] },
      // The previous period (19–28 February): two new deals, one won.
      {
        ownerId: owner,
        status: 'won',
        closedAt: msk('2025-02-25'),
        visits: [
          ['data-collection', msk('2025-02-20'), msk('2025-02-25')],
          ['won', msk('2025-02-25')],
        ],
      },
      { ownerId: owner, visits: [['data-collection', msk('2025-02-27')]] },
    ]);
    view = await funnelReport.compute(reportContext(api, api.users.manager));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should count the deals created in the period and how many reached each stage, later stages included', () => {
    // Reached: data collection all 7; proposal A B C E G = 5; measurement scheduled A B G = 3; the rest only B.
    expect(view.chart.series[0]!.values).toEqual([7, 5, 3, 1, 1, 1, 1]);
    expect(view.chart.labels[0]).toBe('Сбор данных');
    expect(view.chart.labels.at(-1)).toBe('Успешно реализовано');
  });

  it('should give the conversion from stage to stage, the share of leads and the drop-off', () => {
    expect(rowOf(view.table, 'Сбор данных')).toEqual({
      stage: 'Сбор данных',
      reached: 7,
      conversion: 100,
      ofLeads: 100,
      dropOff: 2,
    });
    expect(rowOf(view.table, 'Коммерческое предложение отправлено')).toMatchObject({
      reached: 5,
      conversion: 71.4,
      ofLeads: 71.4,
      dropOff: 2,
    });
    expect(rowOf(view.table, 'Замер запланирован')).toMatchObject({
      reached: 3,
      conversion: 60,
      ofLeads: 42.9,
      dropOff: 2,
    });
    expect(rowOf(view.table, 'Замерщик назначен')).toMatchObject({ reached: 1, conversion: 33.3, dropOff: 0 });
    expect(view.table.rows.at(-1)).toMatchObject({ reached: 1, conversion: 100, ofLeads: 14.3, dropOff: null });
  });

  it('should compare lead → won with the previous period in the headline', () => {
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, [item.value, item.previous]]));
    expect(headline).toEqual({ leads: [7, 2], won: [1, 1], leadToWon: [14.3, 50], lost: [3, 0] });
    expect(view.period).toEqual({ from: '2025-03-01', to: '2025-03-10' });
    expect(view.previous).toEqual({ from: '2025-02-19', to: '2025-02-28' });
  });

  it('should list the lost reasons with their share of the lost deals', () => {
    expect(view.extraTables?.[0]?.table.rows).toEqual([
      { reason: 'Дорого', deals: 2, share: 66.7 },
      { reason: 'Не выходит на связь', deals: 1, share: 33.3 },
    ]);
  });

  it('should count a deal as it is now once it moves on, though its creation day was kept', async () => {
    const Deal = await dealModel(api.db);
    const waiting = await Deal.findOne({ createdAt: msk('2025-03-05'), status: 'open' }).lean();
    await moveDeal(api.db, { _id: waiting!._id }, { type: 'won' }, { kind: 'user', id: api.users.manager.id });
    const after = await funnelReport.compute(reportContext(api, api.users.manager));
    const headline = Object.fromEntries(after.headline.map((item) => [item.key, item.value]));
    expect(headline).toEqual({ leads: 7, won: 2, leadToWon: 28.6, lost: 3 });
    // Won straight from the first stage: it passed every stage on the way.
    expect(after.chart.series[0]!.values).toEqual([7, 6, 4, 2, 2, 2, 2]);
  });
});
