import type { Connection, QueryFilter } from 'mongoose';
import { dealModel, type DealRecord } from './deal-model.js';

export interface StageTotal {
  stageId: string;
  count: number;
  amounts: { currency: string; amount: number }[];
}

/**
 * How many deals, and what amount per currency, each stage holds among the deals matching
 * `filter`. Counted by the database, so a board shows true totals while its columns load lazily.
 */
export async function dealTotals(db: Connection, filter: QueryFilter<DealRecord>): Promise<StageTotal[]> {
  const Deal = await dealModel(db);
  // An aggregation is not cast by mongoose: the filter's string ids are cast to ObjectIds first.
  const match = Deal.find(filter).cast(Deal);
  const rows = await Deal.aggregate<{ _id: { stageId: string; currency: string }; count: number; amount: number }>([
    { $match: match },
    {
      $group: {
        _id: { stageId: '$stageId', currency: '$currency' },
        count: { $sum: 1 },
        amount: { $sum: '$amount' },
      },
    },
  ]);
  const stages = new Map<string, StageTotal>();
  for (const row of rows) {
    const total = stages.get(row._id.stageId) ?? { stageId: row._id.stageId, count: 0, amounts: [] };
    total.count += row.count;
    // Kopecks add up in binary floating point; a board shows them rounded to the kopeck.
    total.amounts.push({ currency: row._id.currency, amount: Math.round(row.amount * 100) / 100 });
    stages.set(row._id.stageId, total);
  }
  return [...stages.values()];
}
