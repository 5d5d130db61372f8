import { Types, type Connection } from 'mongoose';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { userModels } from '../users/user-models.js';
import type { DealRecord } from './deal-model.js';

/** A deal entering a stage, as a contact's timeline shows it; no `from` when the deal was created there. */
export interface StageChangeView {
  dealId: string;
  dealTitle: string;
  pipelineName: string;
  from?: { id: string; name: string };
  to: { id: string; name: string; kind: 'open' | 'won' | 'lost' };
  by: { kind: 'user' | 'automation'; name?: string };
  lostReason?: string;
}

export interface StageTimelineItem {
  kind: 'stage';
  id: string;
  at: string;
  stage: StageChangeView;
}

export type StageDeal = Pick<DealRecord, '_id' | 'title' | 'stageHistory' | 'stageId' | 'lostReason'>;

const hex = (value: number, digits: number) => value.toString(16).padStart(digits, '0').slice(-digits);

/**
 * A visit has no id of its own, and the timeline pages by id. This one is stable for the visit and
 * sorts by time like the ObjectIds of messages and notes: the entry time in seconds, then the
 * deal's distinguishing bytes (its random part and counter), then the visit's position.
 */
function visitId(dealId: Types.ObjectId, index: number, enteredAt: Date): string {
  return hex(Math.floor(enteredAt.getTime() / 1000), 8) + dealId.toHexString().slice(10) + hex(index, 2);
}

/**
 * The stage changes of the given deals as timeline entries, newest first: at most `take` of them,
 * only those below `before` (a timeline cursor). Stage and user names are read for the entries
 * kept only; a stage since removed from its pipeline shows its id.
 */
export async function stageTimelineItems(
  db: Connection,
  deals: StageDeal[],
  options: { before?: string; take: number },
): Promise<StageTimelineItem[]> {
  const visits = deals
    .flatMap((deal) =>
      deal.stageHistory.map((visit, index) => ({
        id: visitId(deal._id, index, visit.enteredAt),
        deal,
        visit,
        previous: deal.stageHistory[index - 1],
        last: index === deal.stageHistory.length - 1,
      })),
    )
    .filter((entry) => !options.before || entry.id < options.before)
    .sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .slice(0, options.take);
  if (visits.length === 0) return [];

  const pipelineIds = [
    ...new Set(visits.flatMap(({ visit, previous }) => [visit, previous ?? visit]).map((v) => String(v.pipelineId))),
  ];
  const userIds = [
    ...new Set(visits.filter(({ visit }) => visit.movedBy.kind === 'user').map(({ visit }) => visit.movedBy.id)),
  ];
  const [pipelines, users] = await Promise.all([
    (await pipelineModel(db))
      .find({ _id: { $in: pipelineIds.map((id) => new Types.ObjectId(id)) } }, { name: 1, stages: 1 })
      .lean<Pick<PipelineRecord, '_id' | 'name' | 'stages'>[]>(),
    userModels(db)
      .User.find({ _id: { $in: userIds.filter((id) => Types.ObjectId.isValid(id)) } }, { name: 1 })
      .lean<{ _id: Types.ObjectId; name: string }[]>(),
  ]);
  const pipelineOf = new Map(pipelines.map((pipeline) => [String(pipeline._id), pipeline]));
  const userName = new Map(users.map((user) => [String(user._id), user.name]));
  const stageOf = (pipelineId: Types.ObjectId, stageId: string) => {
    const stage = pipelineOf.get(String(pipelineId))?.stages.find((candidate) => candidate.id === stageId);
    return { id: stageId, name: stage?.name ?? stageId, kind: stage?.kind ?? 'open' };
  };

  return visits.map(({ id, deal, visit, previous, last }) => {
    const to = stageOf(visit.pipelineId, visit.stageId);
    const from = previous && stageOf(previous.pipelineId, previous.stageId);
    const by = visit.movedBy.kind === 'user' ? userName.get(visit.movedBy.id) : visit.movedBy.name;
    const stage: StageChangeView = {
      dealId: String(deal._id),
      dealTitle: deal.title,
      pipelineName: pipelineOf.get(String(visit.pipelineId))?.name ?? '',
      ...(from ? { from: { id: from.id, name: from.name } } : {}),
      to,
      by: { kind: visit.movedBy.kind, ...(by ? { name: by } : {}) },
      // Only the current stay knows its reason: a deal reopened and lost again keeps the latest.
      ...(last && to.kind === 'lost' && deal.lostReason ? { lostReason: deal.lostReason } : {}),
    };
    return { kind: 'stage', id, at: visit.enteredAt.toISOString(), stage };
  });
}
