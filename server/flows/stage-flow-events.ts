import type { Connection } from 'mongoose';
import type { DomainFlowEvent } from '../../flows/index.js';
import type { DealView } from '../deals/deal-schema.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';

type StageEvent = Extract<DomainFlowEvent, { type: 'stage.left' | 'stage.entered' }> & { id: string };

/**
 * The flow events of a deal's latest stage move: it left the previous visit's stage and entered
 * the current one (pipelines named by their keys). One visit is one pair of ids, whoever reports
 * the move and however often, so the queue keeps one job per event.
 */
export async function stageFlowEvents(db: Connection, deal: DealView): Promise<StageEvent[]> {
  const [previous, current] = deal.stageHistory.slice(-2);
  if (!deal.contactId || !previous || !current) return [];
  const Pipeline = await pipelineModel(db);
  const keyOf = async (pipelineId: string) =>
    (await Pipeline.findById(pipelineId).select({ systemKey: 1 }).lean<PipelineRecord>())?.systemKey ?? pipelineId;
  const left = { pipeline: await keyOf(previous.pipelineId), stage: previous.stageId };
  const entered = { pipeline: await keyOf(current.pipelineId), stage: current.stageId };
  const subject = { contactId: deal.contactId, dealId: deal.id };
  const visit = `stage-${deal.id}-${deal.stageHistory.length}`;
  return [
    { id: `${visit}-left`, type: 'stage.left', subject, ...left, to: entered },
    { id: `${visit}-entered`, type: 'stage.entered', subject, ...entered, from: left, existing: false },
  ];
}
