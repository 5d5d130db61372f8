import type { Connection } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { rowsOver, type DailyMeasure } from './daily/daily-counts.js';
import { idAt, idCell } from './daily/id-columns.js';
import { inScope, type KeptDealsQuery } from './deal-cohort.js';

/** The deals won in a stretch of time, column by column (id columns): whose, from where, how long it took. */
interface WonBlock {
  owners: string;
  contacts: string;
  sources: (string | null)[];
  pipelines: string;
  seconds: number[];
}

type WonDeal = Pick<DealRecord, 'ownerId' | 'contactId' | 'source' | 'pipelineId' | 'createdAt' | 'closedAt'>;

/**
 * The deals won each day with their sales cycle (creation to win), kept per day. A won deal
 * reopened, or changed in what reports filter it by, forgets the day it was won (see
 * forgetKeptDealDays).
 */
export const wonDeals: DailyMeasure<WonBlock> = {
  id: 'won-deals',
  async count(db, period) {
    const Deal = await dealModel(db);
    const deals = await Deal.find(
      { closedAt: { $gte: period.from, $lt: period.to }, status: 'won' },
      { _id: 0, ownerId: 1, contactId: 1, source: 1, pipelineId: 1, createdAt: 1, closedAt: 1 },
    ).lean<WonDeal[]>();
    if (deals.length === 0) return [];
    return [
      {
        owners: deals.map((deal) => idCell(deal.ownerId)).join(''),
        contacts: deals.map((deal) => idCell(deal.contactId)).join(''),
        sources: deals.map((deal) => deal.source ?? null),
        pipelines: deals.map((deal) => idCell(deal.pipelineId)).join(''),
        seconds: deals.map((deal) => (deal.closedAt!.getTime() - deal.createdAt.getTime()) / 1000),
      },
    ];
  },
};

/** Seconds from creation to the win of the deals won in the period in this pipeline, under the report's scope. */
export async function salesCycles(
  db: Connection,
  { period, timeZone, funnel, scope, now }: KeptDealsQuery,
): Promise<number[]> {
  const pipelineId = String(funnel.pipeline._id);
  const cycles: number[] = [];
  for (const block of await rowsOver(db, wonDeals, period, timeZone, now)) {
    block.seconds.forEach((seconds, index) => {
      if (idAt(block.pipelines, index) !== pipelineId) return;
      const source = block.sources[index] ?? null;
      if (inScope(scope, idAt(block.owners, index), idAt(block.contacts, index), source)) cycles.push(seconds);
    });
  }
  return cycles;
}
