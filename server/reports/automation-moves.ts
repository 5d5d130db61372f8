import type { Connection } from 'mongoose';
import { visitDaysMeasure } from './daily/visit-days.js';
import { pipelineModel } from '../pipelines/pipeline-model.js';
import { rowsOver } from './daily/daily-counts.js';
import { idAt, idCell } from './daily/id-columns.js';

/** The stages automation moved deals into in a stretch of time (never a deal's first stage), column by column. */
interface MoveBlock {
  contacts: string;
  pipelines: string;
  stages: string[];
  at: number[];
}

/**
 * Deals moved on by automation (the bot's flows) each day, kept per day: a move is history,
 * written once; only the client it counts for can change (a merge, a deal given to another
 * client), which forgets the days (see forgetKeptDealDays).
 */
export const automationMoves = visitDaysMeasure<MoveBlock>('automation-moves', 'enteredAt', {
  empty: () => ({ contacts: '', pipelines: '', stages: [], at: [] }),
  add(block, deal, visit) {
    // A deal's first stage is where it was created, not a move.
    if (!deal.contactId || visit.movedBy.kind !== 'automation' || visit === deal.stageHistory[0]) return;
    block.contacts += idCell(deal.contactId);
    block.pipelines += idCell(visit.pipelineId);
    block.stages.push(visit.stageId);
    block.at.push(visit.enteredAt.getTime());
  },
  size: (block) => block.stages.length,
});

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
