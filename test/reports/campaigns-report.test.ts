import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { broadcastModel, emptyCounts } from '../../server/broadcasts/broadcast-model.js';
import { followUpCampaignModel } from '../../server/campaigns/follow-up-campaign-model.js';
import { campaignsReport } from '../../server/reports/campaigns-report.js';
import type { ReportView } from '../../server/reports/report-definition.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { msk, reportContext, rowOf } from './report-fixtures.js';

describe('campaignsReport', () => {
  let api: TestApi;
  let view: ReportView;

  beforeAll(async () => {
    api = await startTestApi();
    const by = new Types.ObjectId(api.users.marketer.id);
    const broadcast = (name: string, launchedAt: Date, counts: Record<string, number>, cost?: number) => ({
      _id: new Types.ObjectId(),
      name,
      segmentId: new Types.ObjectId(),
      variants: [{ text: 'Скидка 10%' }],
      channelOrder: ['telegram'],
      timeZone: 'Europe/Moscow',
      ...(cost === undefined ? {} : { cost: { amount: cost, currency: 'RUB' } }),
      status: 'completed',
      counts: { ...emptyCounts(), ...counts },
      countsByChannel: {},
      accountIds: [],
      launchedAt,
      createdById: by,
      createdAt: launchedAt,
      updatedAt: launchedAt,
    });
    await broadcastModel(api.db).collection.insertMany([
      broadcast(
        'Весенняя скидка',
        msk('2025-03-02'),
        { sent: 100, read: 60, replied: 10, leads: 5, won: 2, revenue: 200_000 },
        10_000,
      ),
      broadcast('Напоминание о замере', msk('2025-03-05'), { sent: 50, read: 20, replied: 2 }),
      broadcast('Февральская', msk('2025-02-20'), { sent: 80, leads: 4 }, 8_000),
      broadcast('Прошлогодняя', msk('2024-03-05'), { sent: 10 }, 1_000),
    ]);
    const FollowUp = await followUpCampaignModel(api.db);
    await FollowUp.collection.insertOne({
      _id: new Types.ObjectId(),
      name: 'Дожим отложенного спроса',
      flowId: 'follow-up',
      source: { kind: 'stage', pipelineId: new Types.ObjectId(), stageId: 'next-contact-planned' },
      status: 'running',
      cost: { amount: 3_000, currency: 'RUB' },
      createdById: by,
      startedAt: msk('2025-03-03'),
      starts: 1,
      createdAt: msk('2025-03-03'),
      updatedAt: msk('2025-03-03'),
    });
    view = await campaignsReport.compute(reportContext(api, api.users.marketer));
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should list the broadcasts launched in the period with CPL and ROI as the campaigns screen computes them', () => {
    expect(view.table.rows.map((row) => row.name)).toEqual([
      'Весенняя скидка',
      'Напоминание о замере',
      'Дожим отложенного спроса',
    ]);
    // CPL 10,000 / 5 = 2,000; ROI (200,000 − 10,000) / 10,000 = 19 → 1,900 %.
    expect(rowOf(view.table, 'Весенняя скидка')).toMatchObject({
      sent: 100,
      read: 60,
      replied: 10,
      leads: 5,
      won: 2,
      revenue: 200_000,
      cost: 10_000,
      costPerLead: 2_000,
      roi: 1900,
    });
    expect(rowOf(view.table, 'Напоминание о замере')).toMatchObject({ cost: null, costPerLead: null, roi: null });
  });

  it('should list the follow-up campaigns started in the period with their cost', () => {
    expect(rowOf(view.table, 'Дожим отложенного спроса')).toMatchObject({
      sent: 0,
      leads: 0,
      cost: 3_000,
      costPerLead: null,
      roi: null,
    });
  });

  it('should total cost, leads, CPL and ROI over the campaigns with a cost, beside the previous period', () => {
    // Now: cost 13,000, leads 5, revenue 200,000 → CPL 2,600, ROI 187,000 / 13,000 = 1438.5 %.
    // Before: cost 8,000, 4 leads, no revenue → CPL 2,000, ROI −100 %.
    const headline = Object.fromEntries(view.headline.map((item) => [item.key, [item.value, item.previous]]));
    expect(headline).toEqual({
      cost: [13_000, 8_000],
      leads: [5, 4],
      costPerLead: [2_600, 2_000],
      roi: [1438.5, -100],
    });
  });
});
