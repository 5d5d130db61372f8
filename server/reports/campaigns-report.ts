import type { Connection } from 'mongoose';
import { broadcastModel } from '../broadcasts/broadcast-model.js';
import { toBroadcastView } from '../broadcasts/to-broadcast-view.js';
import { followUpCampaignModel } from '../campaigns/follow-up-campaign-model.js';
import { followUpResults } from '../campaigns/follow-up-results.js';
import type { ReportContext, ReportDefinition, ReportFilters } from './report-definition.js';
import { round } from './report-math.js';
import { figure, previousFilters, viewPeriods } from './report-view-parts.js';

export interface CampaignRow extends Record<string, string | number | null> {
  name: string;
  kind: string;
  sent: number;
  read: number | null;
  replied: number;
  leads: number;
  won: number | null;
  revenue: number | null;
  cost: number | null;
  costPerLead: number | null;
  /** The return on the cost in percent: (revenue − cost) / cost × 100. */
  roi: number | null;
}

const KIND = { broadcast: 'Рассылка / Broadcast', followUp: 'Дожим / Follow-up' };

/**
 * The broadcasts launched in the period with the counts the campaigns screen shows, CPL and ROI
 * as that screen computes them (toBroadcastView), and the follow-up campaigns started in it with
 * their results: enrolled as sent, the goal reached as a lead (they attribute no revenue).
 */
export async function campaignRows(db: Connection, filters: ReportFilters): Promise<CampaignRow[]> {
  const Broadcast = broadcastModel(db);
  const FollowUp = await followUpCampaignModel(db);
  const period = { $gte: filters.from, $lt: filters.to };
  const [broadcasts, followUps] = await Promise.all([
    Broadcast.aggregate([{ $match: { launchedAt: period } }, { $sort: { launchedAt: 1 } }]),
    FollowUp.aggregate([{ $match: { startedAt: period } }, { $sort: { startedAt: 1 } }]),
  ]);
  const rows: CampaignRow[] = broadcasts.map((record) => {
    const view = toBroadcastView(record);
    return {
      name: view.name,
      kind: KIND.broadcast,
      sent: view.counts.sent,
      read: view.counts.read,
      replied: view.counts.replied,
      leads: view.counts.leads,
      won: view.counts.won,
      revenue: view.counts.revenue,
      cost: view.cost?.amount ?? null,
      costPerLead: view.costPerLead,
      roi: view.roi === null ? null : round(view.roi * 100, 1),
    };
  });
  for (const campaign of followUps) {
    const results = await followUpResults(db, String(campaign._id));
    const cost = campaign.cost?.amount ?? null;
    rows.push({
      name: campaign.name,
      kind: KIND.followUp,
      sent: results.enrolled,
      read: null,
      replied: results.replied,
      leads: results.reachedGoal,
      won: null,
      revenue: null,
      cost,
      costPerLead: cost !== null && results.reachedGoal > 0 ? round(cost / results.reachedGoal) : null,
      roi: null,
    });
  }
  return rows;
}

interface Totals {
  cost: number;
  leads: number;
  revenue: number;
  costPerLead: number | null;
  roi: number | null;
}

/** The period's cost per lead and return, over the campaigns that have a cost. */
function totalsOf(rows: CampaignRow[]): Totals {
  const costed = rows.filter((row) => row.cost !== null);
  const cost = costed.reduce((sum, row) => sum + (row.cost ?? 0), 0);
  const leads = costed.reduce((sum, row) => sum + row.leads, 0);
  const revenue = costed.reduce((sum, row) => sum + (row.revenue ?? 0), 0);
  return {
    cost,
    leads,
    revenue,
    costPerLead: leads > 0 ? round(cost / leads) : null,
    roi: cost > 0 ? round(((revenue - cost) / cost) * 100, 1) : null,
  };
}

async function computeCampaigns(context: ReportContext) {
  const { db } = context.services;
  const [rows, rowsBefore] = await Promise.all([
    campaignRows(db, context.filters),
    campaignRows(db, previousFilters(context)),
  ]);
  const now = totalsOf(rows);
  const before = totalsOf(rowsBefore);
  return {
    report: 'campaigns' as const,
    ...viewPeriods(context),
    headline: [
      figure('cost', { ru: 'Расходы, ₽', en: 'Cost, ₽' }, 'money', now.cost, before.cost),
      figure('leads', { ru: 'Лиды', en: 'Leads' }, 'count', now.leads, before.leads),
      figure(
        'costPerLead',
        { ru: 'Цена лида (CPL), ₽', en: 'Cost per lead (CPL), ₽' },
        'money',
        now.costPerLead,
        before.costPerLead,
      ),
      figure('roi', { ru: 'ROI, %', en: 'ROI, %' }, 'percent', now.roi, before.roi),
    ],
    chart: {
      kind: 'bar' as const,
      labels: rows.map((row) => row.name),
      series: [
        {
          key: 'leads',
          label: { ru: 'Лиды', en: 'Leads' },
          unit: 'count' as const,
          values: rows.map((row) => row.leads),
        },
        { key: 'won', label: { ru: 'Продажи', en: 'Won' }, unit: 'count' as const, values: rows.map((row) => row.won) },
      ],
    },
    table: {
      columns: [
        { key: 'name', label: { ru: 'Кампания', en: 'Campaign' }, unit: 'text' as const },
        { key: 'kind', label: { ru: 'Тип', en: 'Kind' }, unit: 'text' as const },
        { key: 'sent', label: { ru: 'Отправлено', en: 'Sent' }, unit: 'count' as const },
        { key: 'read', label: { ru: 'Прочитано', en: 'Read' }, unit: 'count' as const },
        { key: 'replied', label: { ru: 'Ответили', en: 'Replied' }, unit: 'count' as const },
        { key: 'leads', label: { ru: 'Лиды', en: 'Leads' }, unit: 'count' as const },
        { key: 'won', label: { ru: 'Продажи', en: 'Won' }, unit: 'count' as const },
        { key: 'revenue', label: { ru: 'Выручка, ₽', en: 'Revenue, ₽' }, unit: 'money' as const },
        { key: 'cost', label: { ru: 'Расходы, ₽', en: 'Cost, ₽' }, unit: 'money' as const },
        { key: 'costPerLead', label: { ru: 'CPL, ₽', en: 'CPL, ₽' }, unit: 'money' as const },
        { key: 'roi', label: { ru: 'ROI, %', en: 'ROI, %' }, unit: 'percent' as const },
      ],
      rows,
    },
  };
}

export const campaignsReport: ReportDefinition = {
  id: 'campaigns',
  title: { ru: 'Кампании и рассылки', en: 'Campaigns and broadcasts' },
  roles: ['admin', 'manager', 'marketer'],
  compute: computeCampaigns,
};
