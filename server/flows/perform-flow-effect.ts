import { isValidObjectId } from 'mongoose';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import type { Effect, EffectOf } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from '../contacts/contact-models.js';
import type { Actor } from '../deals/actor-schema.js';
import { dealModel } from '../deals/deal-model.js';
import { conversationModel } from '../messaging/conversation-model.js';
import { messageContact } from '../messaging/message-contact.js';
import { taskModel } from '../tasks/task-model.js';
import { performBookingEffect } from '../appointments/perform-booking-effect.js';
import { buildSnapshot } from './build-snapshot.js';
import { flowActor } from './flow-actor.js';
import { moveFlowDeal } from './move-flow-deal.js';
import { notifyStaff } from './notify-staff.js';
import { setFlowField } from './set-flow-field.js';
import { copyFlowDeal, handOff } from './perform-people-effects.js';
import { resolveAssignee } from './resolve-assignee.js';
import { cancelWaitJob, enqueueFlowEvent, enqueueUnenroll, scheduleWaitJob } from './flow-jobs.js';
import type { FlowRunRecord } from './flow-run-model.js';
import { skip, type SkipReason } from './skip-reasons.js';

/** `skipped` says why an effect was not performed (kept in the run's history, never dropped silently). */
export type EffectOutcome = { skipped?: SkipReason } | undefined;

const WEBHOOK_TIMEOUT_MS = 10_000;

/** Performs one effect of a run; each is idempotent by the effect's id (see FlowExecutor). */
export async function performFlowEffect(
  services: ApiServices,
  run: FlowRunRecord,
  effect: Effect,
): Promise<EffectOutcome> {
  // Read only by the effects that name their author: waits and tags need no store read for it.
  const actor = () => flowActor(services.db, run);
  switch (effect.type) {
    case 'sendMessage':
      return sendMessage(services, effect);
    case 'createTask':
      return createFlowTask(services, run, effect, await actor());
    case 'moveStage':
      return moveFlowDeal(services, run, effect, await actor());
    case 'markWon':
      return moveFlowDeal(services, run, effect, await actor());
    case 'markLost':
      return moveFlowDeal(services, run, effect, await actor());
    case 'setField':
      return setFlowField(services, run, effect, await actor());
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
      return notifyStaff(services, run, effect, await actor());
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
      return copyFlowDeal(services, run, effect, await actor());
    case 'handoff':
      return handOff(services, run, effect);
    case 'offerSlots':
    case 'bookSlot':
      return performBookingEffect(services, run, effect);
  }
}

async function sendMessage(services: ApiServices, effect: EffectOf<'sendMessage'>): Promise<EffectOutcome> {
  const buttons = effect.buttons.flatMap((button, index) =>
    button.url ? [] : [{ id: button.id ?? `b${index + 1}`, text: button.text }],
  );
  const sent = await messageContact(
    services,
    {
      contactId: effect.contactId,
      channel: effect.channel,
      ...(effect.conversationId ? { conversationId: effect.conversationId } : {}),
    },
    { text: effect.text, buttons },
    { dedupeKey: `flow|${effect.id}`, authorName: 'flow' },
  );
  return sent.skipped ? sent : undefined;
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
  if (!assigneeId) return skip('nobodyForTask');
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

async function assign(services: ApiServices, run: FlowRunRecord, effect: EffectOf<'assign'>): Promise<EffectOutcome> {
  const context = await buildSnapshot(services.db, run.state.subject);
  const userId = await resolveAssignee(services.db, effect.assignee, context, effect.id);
  if (!userId) return skip('nobodyToAssign');
  if (effect.target !== 'conversation' && effect.dealId)
    await (await dealModel(services.db)).updateOne({ _id: effect.dealId }, { $set: { ownerId: userId } });
  const conversationId = effect.conversationId ?? context.conversation?.id;
  if (effect.target !== 'deal' && conversationId)
    await conversationModel(services.db).updateOne({ _id: conversationId }, { $set: { assigneeId: userId } });
  return undefined;
}
