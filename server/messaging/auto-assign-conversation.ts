import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { recordAudit } from '../audit/record-audit.js';
import { can, ROLES } from '../auth/permissions.js';
import type { DomainEvents } from '../events/domain-events.js';
import { OperatorPresence } from '../presence/operator-presence.js';
import { userModels } from '../users/user-models.js';
import { announceChange } from './change-conversation.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { toConversationView, type ConversationView } from './message-views.js';

type Services = Pick<ApiServices, 'db' | 'events' | 'redis' | 'config'>;

/** Roles that answer conversations: the people auto-assignment may pick. */
const ANSWERING_ROLES = ROLES.filter((role) => can(role, 'conversations.reply'));
/** Who was given a conversation when, across every process: the round robin's memory. */
const LAST_ASSIGNED_KEY = 'autoassign:last';

/**
 * Gives an unassigned open conversation to one of its teams' members, round robin: of those online
 * (an `/inbox` socket, not away) with fewer open conversations than INBOX_OPERATOR_CAPACITY, the
 * one who was given a conversation longest ago. Nobody available: it stays in the unassigned
 * queue and undefined is returned. The bot calls this when it hands a conversation over.
 */
export async function autoAssignConversation(
  services: Services,
  conversationId: string,
): Promise<ConversationView | undefined> {
  const Conversation = conversationModel(services.db);
  const current = await Conversation.findById(conversationId).lean<ConversationRecord>();
  if (!current || current.assigneeId || current.status !== 'open' || current.teamIds.length === 0) return undefined;
  const members = await userModels(services.db)
    .User.find({ active: true, role: { $in: ANSWERING_ROLES }, teamIds: { $in: current.teamIds } }, { _id: 1 })
    .sort({ _id: 1 })
    .lean();
  const ids = members.map((member) => member._id.toHexString());
  const statuses = await new OperatorPresence(services.redis).statusOf(ids);
  const online = ids.filter((id) => statuses.get(id) === 'online');
  if (online.length === 0) return undefined;
  const loads = await Conversation.aggregate<{ _id: Types.ObjectId; count: number }>([
    { $match: { assigneeId: { $in: online.map((id) => new Types.ObjectId(id)) }, status: 'open' } },
    { $group: { _id: '$assigneeId', count: { $sum: 1 } } },
  ]);
  const loadOf = new Map(loads.map((row) => [row._id.toHexString(), row.count]));
  const available = online.filter((id) => (loadOf.get(id) ?? 0) < services.config.INBOX_OPERATOR_CAPACITY);
  if (available.length === 0) return undefined;
  const redis = await services.redis.commands();
  const lastAssigned = await redis.zmscore(LAST_ASSIGNED_KEY, ...available);
  // Never assigned counts as longest ago; ties go to the longest-standing account.
  const chosen = available.reduce((best, id, index) =>
    Number(lastAssigned[index] ?? 0) < Number(lastAssigned[available.indexOf(best)] ?? 0) ? id : best,
  );
  const updated = await Conversation.findOneAndUpdate(
    { _id: current._id, assigneeId: { $exists: false } },
    { $set: { assigneeId: new Types.ObjectId(chosen), updatedAt: new Date() } },
    { returnDocument: 'after' },
  ).lean<ConversationRecord>();
  // Someone took it meanwhile: theirs it stays.
  if (!updated) return undefined;
  await redis.zadd(LAST_ASSIGNED_KEY, Date.now(), chosen);
  const before = toConversationView(current);
  const after = toConversationView(updated);
  await recordAudit(services, {
    actor: null,
    action: 'conversation.auto-assign',
    entity: 'conversation',
    entityId: after.id,
    before,
    after,
  });
  announceChange(services, before, after, null);
  return after;
}

/** New messages in an unassigned open conversation of a team bring it to an available operator. */
export function autoAssignOnArrival(events: DomainEvents, services: Services): void {
  events.on('message.received', async ({ conversation }) => {
    if (conversation.assigneeId || conversation.status !== 'open' || conversation.teamIds.length === 0) return;
    await autoAssignConversation(services, conversation.id);
  });
}
