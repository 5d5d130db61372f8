import type { Connection } from 'mongoose';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { visitDaysMeasure } from './daily/visit-days.js';
import { rowsOver } from './daily/daily-counts.js';
import type { Period } from './report-definition.js';
import type { ReportPipeline } from './report-pipeline.js';
import { inScope, type CohortScope } from './deal-cohort.js';
import { idAt, idCell } from './daily/id-columns.js';

/**
 * The stays in a stage that ended in a stretch of time, column by column (as the deal cohorts
 * are kept: id columns, moments as milliseconds): the deal's owner,
 * contact and source, the stay's pipeline and stage, when it began and ended.
 */
interface StayBlock {
  owners: string;
  contacts: string;
  sources: (string | null)[];
  pipelines: string;
  stages: string[];
  entered: number[];
  left: number[];
}

/**
 * Stays that ended each day, kept per day: a stay that ended is history, written once. What the
 * reports filter a stay by (the deal's owner, client, source) can still change: a deal changed
 * so forgets the days its stays ended (see forgetKeptDealDays).
 */
export const stageStays = visitDaysMeasure<StayBlock>('stage-stays', 'leftAt', {
  empty: () => ({ owners: '', contacts: '', sources: [], pipelines: '', stages: [], entered: [], left: [] }),
  add(block, deal, visit) {
    block.owners += idCell(deal.ownerId);
    block.contacts += idCell(deal.contactId);
    block.sources.push(deal.source ?? null);
    block.pipelines += idCell(visit.pipelineId);
    block.stages.push(visit.stageId);
    block.entered.push(visit.enteredAt.getTime());
    block.left.push(visit.leftAt!.getTime());
  },
  size: (block) => block.stages.length,
});

/** One stay as the report reads it. */
interface Stay {
  stageId: string;
  entered: number;
  left?: number;
}

/** The stays of the funnel's open stages that ended from `since` until now, under the report's scope. */
async function endedStays(
  db: Connection,
  since: Date,
  timeZone: string,
  funnel: ReportPipeline,
  openIds: ReadonlySet<string>,
  scope: CohortScope,
  now: Date,
): Promise<Stay[]> {
  const pipelineId = String(funnel.pipeline._id);
  const stays: Stay[] = [];
  for (const block of await rowsOver(db, stageStays, { from: since, to: now }, timeZone, now)) {
    block.stages.forEach((stageId, index) => {
      if (!openIds.has(stageId) || idAt(block.pipelines, index) !== pipelineId) return;
      const source = block.sources[index] ?? null;
      if (!inScope(scope, idAt(block.owners, index), idAt(block.contacts, index), source)) return;
      stays.push({ stageId, entered: block.entered[index]!, left: block.left[index]! });
    });
  }
  return stays;
}

/** The stays going on now in the funnel's open stages: the deals there now, read by {pipelineId, stageId}. */
async function currentStays(
  db: Connection,
  funnel: ReportPipeline,
  openIds: ReadonlySet<string>,
  scope: CohortScope,
): Promise<Stay[]> {
  const Deal = await dealModel(db);
  const deals = await Deal.find(
    { pipelineId: funnel.pipeline._id, stageId: { $in: [...openIds] } },
    { _id: 0, ownerId: 1, contactId: 1, source: 1, stageHistory: 1 },
  ).lean<Pick<DealRecord, 'ownerId' | 'contactId' | 'source' | 'stageHistory'>[]>();
  return deals.flatMap((deal) => {
    const ownerId = deal.ownerId ? String(deal.ownerId) : null;
    const contactId = deal.contactId ? String(deal.contactId) : null;
    if (!inScope(scope, ownerId, contactId, deal.source ?? null)) return [];
    const current = deal.stageHistory.at(-1);
    return current && !current.leftAt ? [{ stageId: current.stageId, entered: current.enteredAt.getTime() }] : [];
  });
}

/**
 * Seconds spent per open stage of the funnel, for each period: in the stays that ended in it, and
 * in those that began in it and were still going at its end (counted up to then). Stays that
 * ended come from the kept days (from the earliest period's start until now: a stay begun in a
 * period may have ended after it), the stays going on from the deals in those stages now.
 */
export async function stageDurations<const Periods extends readonly Period[]>(
  db: Connection,
  periods: Periods,
  timeZone: string,
  funnel: ReportPipeline,
  scope: CohortScope,
  now: Date,
): Promise<{ [K in keyof Periods]: Map<string, number[]> }> {
  const openIds = new Set(funnel.steps.filter((step) => step.kind === 'open').map((step) => step.id));
  const since = new Date(Math.min(...periods.map((period) => period.from.getTime())));
  const [ended, going] = await Promise.all([
    endedStays(db, since, timeZone, funnel, openIds, scope, now),
    currentStays(db, funnel, openIds, scope),
  ]);
  const stays = [...ended, ...going];
  const perPeriod = periods.map((period) => {
    const from = period.from.getTime();
    const to = period.to.getTime();
    const until = Math.min(now.getTime(), to);
    const byStage = new Map<string, number[]>();
    for (const stay of stays) {
      const endedIn = stay.left !== undefined && stay.left >= from && stay.left < to;
      const goesOn = stay.entered >= from && stay.entered < to && (stay.left === undefined || stay.left >= to);
      if (!endedIn && !goesOn) continue;
      const seconds = (Math.min(stay.left ?? until, until) - stay.entered) / 1000;
      const list = byStage.get(stay.stageId) ?? [];
      list.push(seconds);
      byStage.set(stay.stageId, list);
    }
    return byStage;
  });
  // One map per period given, in their order.
  return perPeriod as { [K in keyof Periods]: Map<string, number[]> };
}
