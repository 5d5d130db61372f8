import { isValidObjectId } from 'mongoose';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import type { Effect, EffectOf } from '../../flows/index.js';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { Actor } from '../deals/actor-schema.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { moveDeal, type MoveTarget } from '../deals/move-deal.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { queueMessage } from '../messaging/queue-message.js';
import { pipelineModel, type PipelineRecord } from '../pipelines/pipeline-model.js';
import { taskModel } from '../tasks/task-model.js';
import { buildSnapshot } from './build-snapshot.js';
import { copyFlowDeal, handOff } from './perform-people-effects.js';
import { resolveAssignee } from './resolve-assignee.js';
import { cancelWaitJob, enqueueFlowEvent, enqueueUnenroll, scheduleWaitJob } from './flow-jobs.js';
import type { FlowRunRecord } from './flow-run-model.js';

/** `skipped` says why an effect was not performed (kept in the run's history, never dropped silently). */
export type EffectOutcome = { skipped?: string } | undefined;

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Performs one effect of a run; each is idempotent by the effect's id (see FlowExecutor). */
export async function performFlowEffect(
  services: ApiServices,
  run: FlowRunRecord,
  effect: Effect,
): Promise<EffectOutcome> {
  const actor: Actor = { kind: 'automation', id: `flow:${run.flowId}` };
  switch (effect.type) {
    case 'sendMessage':
      return sendMessage(services, effect);
    case 'createTask':
      return createFlowTask(services, run, effect, actor);
    case 'moveStage':
      return moveFlowDeal(services, run, effect, actor);
    case 'markWon':
      return moveFlowDeal(services, run, effect, actor);
    case 'markLost':
      return moveFlowDeal(services, run, effect, actor);
    case 'setField':
      return setField(services, effect);
    case 'addTags':
      await contactModels(services.db).Contact.updateOne(
        { _id: effect.contactId },
        { $addToSet: { tags: { $each: effect.tags } } },
      );
      return undefined;
    case 'removeTags':
      await contactModels(services.db).Contact.updateOne(
        { _id: effect.contactId },
        { $pull: { tags: { $in: effect.tags } } },
      );
      return undefined;
    case 'assign':
      return assign(services, run, effect);
    case 'notify':
      // Push notifications are not built yet: the log is where a notification lands for now.
      services.logger.info(
        { flowId: run.flowId, runId: run._id, to: effect.to, text: effect.text },
        'flow notification',
      );
      return undefined;
    case 'callWebhook':
      void fetch(effect.url, {
        method: effect.method,
        headers: { 'content-type': 'application/json', ...effect.headers },
        ...(effect.method === 'GET' || effect.body === undefined ? {} : { body: JSON.stringify(effect.body) }),
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      }).catch((error: unknown) =>
        services.logger.warn({ err: error, flowId: run.flowId, url: effect.url }, 'flow webhook failed'),
      );
      return undefined;
    case 'enroll':
      await enqueueFlowEvent(services.queues, {
        id: effect.id,
        type: 'manual',
        subject: effect.subject,
        flowId: effect.flowId,
        fromFlow: run.flowId,
      });
      return undefined;
    case 'unenroll':
      await enqueueUnenroll(services.queues, effect.id, { flowId: effect.flowId, subject: effect.subject });
      return undefined;
    case 'scheduleWait':
      await scheduleWaitJob(services.queues, { runId: run._id, waitId: effect.id }, new Date(effect.at));
      return undefined;
    case 'cancelWait':
      await cancelWaitJob(services.queues, effect.waitId);
      return undefined;
    case 'copyDeal':
      return copyFlowDeal(services, run, effect, actor);
    case 'handoff':
      return handOff(services, run, effect);
  }
}

async function sendMessage(services: ApiServices, effect: EffectOf<'sendMessage'>): Promise<EffectOutcome> {
  const Conversation = conversationModel(services.db);
  const filter = {
    contactId: effect.contactId,
    ...(effect.channel === 'preferred' ? {} : { channel: effect.channel }),
  };
  const conversation = effect.conversationId
    ? await Conversation.findById(effect.conversationId).lean<ConversationRecord>()
    : await Conversation.findOne(filter).sort({ lastInboundAt: -1, lastMessageAt: -1 }).lean<ConversationRecord>();
  if (!conversation) return { skipped: `the contact has no ${effect.channel} conversation` };
  const buttons = effect.buttons.flatMap((button, index) =>
    button.url ? [] : [{ id: button.id ?? `b${index + 1}`, text: button.text }],
  );
  try {
    await queueMessage(services, {
      conversationId: String(conversation._id),
      message: { text: effect.text, ...(buttons.length ? { buttons } : {}) },
      author: { kind: 'bot', name: 'flow' },
      dedupeKey: `flow|${effect.id}`,
    });
    return undefined;
  } catch (error) {
    // The channel's rules refuse it for good (opted out, window closed, disconnected): retrying will not help.
    if (error instanceof ApiError && error.status < 500) return { skipped: error.message };
    throw error;
  }
}

async function createFlowTask(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'createTask'>,
  actor: Actor,
): Promise<EffectOutcome> {
  const sourceKey = `flow|${effect.id}`;
  const Task = await taskModel(services.db);
  if (await Task.exists({ sourceKey })) return undefined;
  const context = await buildSnapshot(services.db, run.state.subject);
  const assigneeId = await resolveAssignee(services.db, effect.assignee, context, effect.id);
  if (!assigneeId) return { skipped: 'nobody to assign the task to' };
  try {
    await Task.create({
      title: effect.title,
      kind: effect.kind,
      ...(effect.description ? { description: effect.description } : {}),
      assigneeId,
      ...(effect.dueAt ? { dueAt: new Date(effect.dueAt) } : {}),
      done: false,
      ...(isValidObjectId(effect.contactId) ? { contactId: effect.contactId } : {}),
      ...(effect.dealId && isValidObjectId(effect.dealId) ? { dealId: effect.dealId } : {}),
      sourceKey,
      createdBy: actor,
    });
  } catch (error) {
    // The same effect performed by a retry that raced us: its task is the one.
    if (!isDuplicateKeyError(error)) throw error;
  }
  return undefined;
}

async function moveFlowDeal(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'moveStage' | 'markWon' | 'markLost'>,
  actor: Actor,
): Promise<EffectOutcome> {
  const Deal = await dealModel(services.db);
  const Pipeline = await pipelineModel(services.db);
  const before = await Deal.findById(effect.dealId).lean<DealRecord>();
  if (!before) return { skipped: 'the deal is gone' };
  const from = await Pipeline.findById(before.pipelineId).lean<PipelineRecord>();
  let target: MoveTarget;
  if (effect.type === 'moveStage') {
    const pipeline = effect.pipeline
      ? await Pipeline.findOne({ systemKey: effect.pipeline }).lean<PipelineRecord>()
      : from;
    if (!pipeline) return { skipped: `no pipeline "${effect.pipeline}"` };
    // Already there: the move was made by an earlier try of this effect (or by someone else).
    if (String(pipeline._id) === String(before.pipelineId) && before.stageId === effect.stage) return undefined;
    target = { type: 'stage', stageId: effect.stage, pipelineId: String(pipeline._id) };
  } else if (effect.type === 'markWon') {
    if (before.status === 'won') return undefined;
    target = { type: 'won' };
  } else {
    if (before.status === 'lost') return undefined;
    target = { type: 'lost', reason: effect.reasonName.ru };
  }
  let after: DealRecord;
  try {
    after = await moveDeal(services.db, { _id: effect.dealId }, target, actor);
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { skipped: error.message };
    throw error;
  }
  const to = await Pipeline.findById(after.pipelineId).lean<PipelineRecord>();
  const key = (pipeline: PipelineRecord | null, id: unknown) => pipeline?.systemKey ?? String(id);
  const left = { pipeline: key(from, before.pipelineId), stage: before.stageId };
  const entered = { pipeline: key(to, after.pipelineId), stage: after.stageId };
  const subject = { contactId: run.state.subject.contactId, dealId: effect.dealId };
  await enqueueFlowEvent(services.queues, {
    id: `${effect.id}.left`,
    type: 'stage.left',
    subject,
    ...left,
    to: entered,
  });
  await enqueueFlowEvent(services.queues, {
    id: `${effect.id}.entered`,
    type: 'stage.entered',
    subject,
    ...entered,
    from: left,
    existing: false,
  });
  return undefined;
}

const CONTACT_FIELDS = new Set(['name', 'language', 'source']);
const DEAL_FIELDS = new Set(['title', 'amount', 'currency']);

async function setField(services: ApiServices, effect: EffectOf<'setField'>): Promise<EffectOutcome> {
  const direct = effect.entity === 'contact' ? CONTACT_FIELDS : DEAL_FIELDS;
  const custom = effect.field.startsWith('fields.') ? effect.field.slice('fields.'.length) : undefined;
  if (!custom && !direct.has(effect.field))
    return { skipped: `${effect.entity}.${effect.field} cannot be set by a flow` };
  if (custom?.includes('$') || custom?.includes('.')) return { skipped: `bad field name ${custom}` };
  const path = custom ? `customFields.${custom}` : effect.field;
  const update = { $set: { [path]: effect.value } };
  if (effect.entity === 'contact') await contactModels(services.db).Contact.updateOne({ _id: effect.recordId }, update);
  else await (await dealModel(services.db)).updateOne({ _id: effect.recordId }, update);
  return undefined;
}

async function assign(services: ApiServices, run: FlowRunRecord, effect: EffectOf<'assign'>): Promise<EffectOutcome> {
  const context = await buildSnapshot(services.db, run.state.subject);
  const userId = await resolveAssignee(services.db, effect.assignee, context, effect.id);
  if (!userId) return { skipped: 'nobody to assign to' };
  if (effect.target !== 'conversation' && effect.dealId)
    await (await dealModel(services.db)).updateOne({ _id: effect.dealId }, { $set: { ownerId: userId } });
  const conversationId = effect.conversationId ?? context.conversation?.id;
  if (effect.target !== 'deal' && conversationId)
    await conversationModel(services.db).updateOne({ _id: conversationId }, { $set: { assigneeId: userId } });
  return undefined;
}
