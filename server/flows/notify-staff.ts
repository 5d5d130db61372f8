import { Types } from 'mongoose';
import type { EffectOf } from '../../flows/index.js';
import type { ApiServices } from '../api/api-services.js';
import type { Actor } from '../deals/actor-schema.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { notifyUsers } from '../notifications/notify-users.js';
import { buildSnapshot } from './build-snapshot.js';
import type { EffectOutcome } from './perform-flow-effect.js';
import type { FlowRunRecord } from './flow-run-model.js';
import { resolveRecipients } from './resolve-assignee.js';
import { skip } from './skip-reasons.js';

const PREVIEW_LENGTH = 500;

/**
 * A notify step: a notification in the bell of everyone it names (all the users of a role, all
 * the members of a team, or one person), from the flow, once per recipient however often the
 * effect is retried. It opens the contact's conversation, the run's or their latest.
 */
export async function notifyStaff(
  services: ApiServices,
  run: FlowRunRecord,
  effect: EffectOf<'notify'>,
  actor: Actor,
): Promise<EffectOutcome> {
  const context = await buildSnapshot(services.db, run.state.subject);
  const recipients = await resolveRecipients(services.db, effect.to, context, effect.id);
  if (recipients.length === 0) return skip('nobodyToNotify');
  const conversationId = run.state.subject.conversationId ?? (await latestConversationId(services, effect.contactId));
  const [contact, deal, conversation] = [effect.contactId, effect.dealId, conversationId].map(objectId);
  await notifyUsers(services, recipients, {
    kind: 'flow',
    sourceKey: `flow|${effect.id}`,
    flowId: run.flowId,
    actorName: actor.name ?? run.flowId,
    preview: effect.text.slice(0, PREVIEW_LENGTH),
    ...(contact ? { contactId: contact } : {}),
    ...(deal ? { dealId: deal } : {}),
    ...(conversation ? { conversationId: conversation } : {}),
  });
  return undefined;
}

async function latestConversationId(services: ApiServices, contactId: string): Promise<string | undefined> {
  if (!objectId(contactId)) return undefined;
  const conversation = await conversationModel(services.db)
    .findOne({ contactId }, { _id: 1 })
    .sort({ lastMessageAt: -1 })
    .lean<Pick<ConversationRecord, '_id'>>();
  return conversation ? String(conversation._id) : undefined;
}

/** Ids from the engine are strings (simulations use any); only real record ids are kept. */
function objectId(id: string | undefined): Types.ObjectId | undefined {
  return id && Types.ObjectId.isValid(id) ? new Types.ObjectId(id) : undefined;
}
