import type { Connection } from 'mongoose';
import { dealModel, type DealRecord, type StageVisit } from '../../deals/deal-model.js';
import type { Period } from '../report-definition.js';
import type { DailyMeasure } from './daily-counts.js';

type VisitDeal = Pick<DealRecord, 'ownerId' | 'contactId' | 'source' | 'stageHistory'>;

/** How a measure of stage visits keeps a day: an empty block, a visit added to it, its size. */
interface VisitBlock<Block> {
  empty(): Block;
  add(block: Block, deal: VisitDeal, visit: StageVisit): void;
  size(block: Block): number;
}

/**
 * Stage visits whose `moment` (entered or left) falls on each of the days, as one block per day
 * with any: `add` puts a visit (and its deal) in its day's block. The store reads a range on a
 * field of `stageHistory` (multikey) by its lower bound only, from a day to the index's end, so
 * the days are read in one pass from the first of them, not one pass each.
 */
async function visitsByDay<Block>(
  db: Connection,
  days: readonly Period[],
  moment: 'enteredAt' | 'leftAt',
  block: VisitBlock<Block>,
): Promise<Block[][]> {
  const Deal = await dealModel(db);
  const from = new Date(Math.min(...days.map((day) => day.from.getTime())));
  const to = new Date(Math.max(...days.map((day) => day.to.getTime())));
  const deals = await Deal.find(
    { [`stageHistory.${moment}`]: { $gte: from, $lt: to } },
    { _id: 0, ownerId: 1, contactId: 1, source: 1, stageHistory: 1 },
  ).lean<VisitDeal[]>();
  const blocks = days.map(() => block.empty());
  for (const deal of deals) {
    for (const visit of deal.stageHistory) {
      const at = visit[moment];
      if (!at) continue;
      const index = days.findIndex((day) => at >= day.from && at < day.to);
      if (index !== -1) block.add(blocks[index]!, deal, visit);
    }
  }
  return blocks.map((each) => (block.size(each) > 0 ? [each] : []));
}

/** A daily measure of stage visits by the moment they were entered or left, any number of days read in one pass. */
export function visitDaysMeasure<Block>(
  id: string,
  moment: 'enteredAt' | 'leftAt',
  block: VisitBlock<Block>,
): DailyMeasure<Block> {
  return {
    id,
    count: async (db, period) => (await visitsByDay(db, [period], moment, block))[0]!,
    countEach: (db, days) => visitsByDay(db, days, moment, block),
  };
}
