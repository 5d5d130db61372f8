import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { autoAssignConversation } from './auto-assign-conversation.js';
import { announceChange } from './change-conversation.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { toConversationView } from './message-views.js';
import { recordHandoff } from '../reports/events/record-handoff.js';

/**
 * Gives a conversation to a person, whoever decides it (a flow's handoff step, the front-door bot):
 * the bot stops answering it (handler `human`), a resolved or pending one opens again, it goes to
 * `assigneeId` when given, else to whoever the inbox's auto-assignment picks (or stays in the
 * unassigned queue), and the inbox and the flows hear of it like any change. With `onlyFromBot`
 * nothing happens (undefined) when the bot no longer had it.
 */
export async function handToPerson(
  services: Pick<ApiServices, 'db' | 'events' | 'redis' | 'config'>,
  conversationId: string,
  options: { assigneeId?: string; onlyFromBot?: boolean; now?: Date } = {},
): Promise<{ conversation: ConversationRecord; assigneeId?: string } | undefined> {
  const Conversation = conversationModel(services.db);
  const filter = { _id: conversationId, ...(options.onlyFromBot ? { handler: 'bot' as const } : {}) };
  const before = await Conversation.findOne(filter).lean<ConversationRecord>();
  if (!before) return undefined;
  const now = options.now ?? new Date();
  const $set: Record<string, unknown> = { handler: 'human', updatedAt: now };
  if (options.assigneeId) $set.assigneeId = new Types.ObjectId(options.assigneeId);
  if (before.status === 'resolved' || before.status === 'pending') $set.status = 'open';
  // Resolution time counts from here when the hand-over opens a resolved conversation again.
  if (before.status === 'resolved') $set.openedAt = now;
  const fromBot = before.handler === 'bot';
  const after = await Conversation.findOneAndUpdate(
    filter,
    // The client now waits for a person: the first response is measured from the hand-over.
    { $set, ...(fromBot ? { $min: { waitingSince: now } } : {}) },
    { returnDocument: 'after' },
  ).lean<ConversationRecord>();
  if (!after) return undefined;
  if (fromBot) await recordHandoff(services.db, after, now);
  announceChange(services, toConversationView(before), toConversationView(after), null);
  if (options.assigneeId) return { conversation: after, assigneeId: options.assigneeId };
  const assigned = await autoAssignConversation(services, conversationId);
  return { conversation: after, ...(assigned?.assigneeId ? { assigneeId: assigned.assigneeId } : {}) };
}
