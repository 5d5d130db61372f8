import type { Connection } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { pipelineModel } from '../pipelines/pipeline-model.js';
import { forgetKeptDaysAt, rowsOver, type DailyMeasure } from './daily/daily-counts.js';
import { idAt, idCell } from './daily/id-columns.js';

/** The stages automation moved deals into in a stretch of time (never a deal's first stage), column by column. */
interface MoveBlock {
  contacts: string;
  pipelines: string;
  stages: string[];
  at: number[];
}

type MovedDeal = Pick<DealRecord, 'contactId' | 'stageHistory'>;

/**
 * Deals moved on by automation (the bot's flows) each day, kept per day: a move is history,
 * written once; only the client it counts for can change (a merge, a deal given to another
 * client), which forgets the days (see forgetMoveDays). The store reads a range on the multikey
 * `stageHistory.enteredAt` by its lower bound only, so the days asked for are read in one pass.
 */
export const automationMoves: DailyMeasure<MoveBlock> = {
  id: 'automation-moves',
  async count(db, period) {
    return (await this.countEach!(db, [period]))[0]!;
  },
  async countEach(db, days) {
    const Deal = await dealModel(db);
    const from = new Date(Math.min(...days.map((day) => day.from.getTime())));
    const to = new Date(Math.max(...days.map((day) => day.to.getTime())));
    const deals = await Deal.find(
      { 'stageHistory.enteredAt': { $gte: from, $lt: to } },
      { _id: 0, contactId: 1, stageHistory: 1 },
    ).lean<MovedDeal[]>();
    const blocks = days.map((): MoveBlock => ({ contacts: '', pipelines: '', stages: [], at: [] }));
    for (const deal of deals) {
      if (!deal.contactId) continue;
      for (const visit of deal.stageHistory.slice(1)) {
        if (visit.movedBy.kind !== 'automation') continue;
        const index = days.findIndex((day) => visit.enteredAt >= day.from && visit.enteredAt < day.to);
        if (index === -1) continue;
        const block = blocks[index]!;
        block.contacts += idCell(deal.contactId);
        block.pipelines += idCell(visit.pipelineId);
        block.stages.push(visit.stageId);
        block.at.push(visit.enteredAt.getTime());
      }
    }
    return blocks.map((block) => (block.stages.length > 0 ? [block] : []));
  },
};

/** A deal now counts for another client: the days automation moved it are counted again. */
export async function forgetMoveDays(db: Connection, deal: Pick<DealRecord, 'stageHistory'>): Promise<void> {
  for (const visit of (deal.stageHistory ?? []).slice(1))
    if (visit.movedBy?.kind === 'automation') await forgetKeptDaysAt(db, automationMoves.id, visit.enteredAt);
}

/**
 * When automation moved each of these clients' deals forward (into an open or won stage) from
 * `since` until now, per client (hex id).
 */
export async function forwardMovesOf(
  db: Connection,
  contacts: ReadonlySet<string>,
  since: Date,
  timeZone: string,
  now: Date,
): Promise<Map<string, Date[]>> {
  const pipelines = await (await pipelineModel(db)).find({}, { stages: 1 }).lean();
  const lost = new Set(
    pipelines.flatMap((pipeline) =>
      pipeline.stages.filter((stage) => stage.kind === 'lost').map((stage) => `${String(pipeline._id)}|${stage.id}`),
    ),
  );
  const moves = new Map<string, Date[]>();
  for (const block of await rowsOver(db, automationMoves, { from: since, to: now }, timeZone, now)) {
    block.stages.forEach((stageId, index) => {
      const contactId = idAt(block.contacts, index);
      if (!contactId || !contacts.has(contactId)) return;
      if (lost.has(`${idAt(block.pipelines, index)}|${stageId}`)) return;
      const list = moves.get(contactId) ?? [];
      list.push(new Date(block.at[index]!));
      moves.set(contactId, list);
    });
  }
  return moves;
}
