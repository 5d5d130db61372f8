import type { EffectOf } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import { copyDeal } from '../deals/copy-deal.js';
import type { Actor } from '../deals/actor-schema.js';
import { publishDealCopy } from '../deals/publish-deal-copy.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { handToPerson } from '../messaging/hand-to-person.js';
import { addNote } from '../notes/add-note.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { buildSnapshot } from './build-snapshot.js';
import { enqueueFlowEvent } from './flow-jobs.js';
import type { FlowRunRecord } from './flow-run-model.js';
import { resolveAssignee } from './resolve-assignee.js';
import { skip, skipIfRefused } from './skip-reasons.js';
import type { EffectOutcome } from './perform-flow-effect.js';

/**
 * Copies the run's deal into another pipeline (by its key), as POST /deals/:id/copy does: once per
 * source and target pipeline, so a retry finds the copy; the boards hear of both deals. The copy's arrival in its stage is a
 * `stage.entered` event like any other, so flows of that stage start for it.
 */
export async function copyFlowDeal(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'copyDeal'>,
  actor: Actor,
): Promise<EffectOutcome> {
  const pipeline = await (
    await pipelineModel(services.db)
  )
    .findOne({ systemKey: effect.pipeline })
    .lean<PipelineRecord>();
  if (!pipeline) return skip('noPipeline', { pipeline: effect.pipeline });
  let copied;
  try {
    copied = await copyDeal(
      services.db,
      { _id: effect.dealId },
      { pipelineId: String(pipeline._id), ...(effect.stage ? { stageId: effect.stage } : {}) },
      actor,
    );
  } catch (error) {
    return skipIfRefused(error);
  }
  const { copy, source, created } = copied;
  if (created) await publishDealCopy(services, null, copy, source, { flowId: run.flowId, flowName: actor.name });
  await enqueueFlowEvent(services.queues, {
    id: `${effect.id}.entered`,
    type: 'stage.entered',
    subject: {
      contactId: copy.contactId ? String(copy.contactId) : run.state.subject.contactId,
      dealId: String(copy._id),
    },
    pipeline: effect.pipeline,
    stage: copy.stageId,
    existing: false,
  });
  return undefined;
}

/**
 * A flow's handoff step: the contact's conversation goes to a person (handToPerson: to the assignee
 * when the step names one, else by auto-assignment), and the step's note lands in it for them.
 */
export async function handOff(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'handoff'>,
): Promise<EffectOutcome> {
  const Conversation = conversationModel(services.db);
  const current = effect.conversationId
    ? await Conversation.findById(effect.conversationId).lean<ConversationRecord>()
    : await Conversation.findOne({ contactId: effect.contactId })
        .sort({ lastMessageAt: -1 })
        .lean<ConversationRecord>();
  if (!current) return skip('noConversationToHandOver');
  const context = await buildSnapshot(services.db, run.state.subject);
  const assigneeId = effect.assignee
    ? await resolveAssignee(services.db, effect.assignee, context, effect.id)
    : undefined;
  const handed = await handToPerson(services, String(current._id), assigneeId ? { assigneeId } : {});
  if (!handed) return skip('conversationGone');
  if (effect.note)
    await addNote(services, {
      entity: 'contact',
      entityId: String(current.contactId),
      text: effect.note,
      author: null,
      dedupeKey: `flow|${effect.id}`,
      conversationId: String(current._id),
    });
  return undefined;
}
