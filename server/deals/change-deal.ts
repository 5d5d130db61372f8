import type { Connection, QueryFilter } from 'mongoose';
import { conflict, notFound } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import { forgetKeptDealDays } from '../reports/forget-kept-deal-days.js';
import { dealModel, type DealRecord } from './deal-model.js';

export interface DealUpdate {
  $set?: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

const ATTEMPTS = 5;

/**
 * Read-modify-write of one deal without transactions: `decide` looks at the current deal and
 * returns the update (or nothing when there is nothing to do, which makes retried requests
 * harmless); the write only lands if the deal's revision is still the one `decide` saw, otherwise
 * the deal is read again and `decide` runs again. `filter` carries the caller's row scope.
 */
export async function changeDeal(
  db: Connection,
  filter: QueryFilter<DealRecord>,
  decide: (deal: DealRecord) => DealUpdate | undefined | Promise<DealUpdate | undefined>,
): Promise<DealRecord> {
  const Deal = await dealModel(db);
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const deal = await Deal.findOne(filter).lean<DealRecord>();
    if (!deal) throw notFound('Deal');
    const update = await decide(deal);
    if (!update) return deal;
    const changed = await Deal.findOneAndUpdate(
      { _id: deal._id, revision: deal.revision },
      { ...update, $inc: { revision: 1 } },
      { returnDocument: 'after' },
    ).lean<DealRecord>();
    if (changed) {
      await forgetKeptDealDays(db, deal, changed);
      return changed;
    }
  }
  throw conflict(errorTexts.say('dealChangedMeanwhile'));
}
