import { Types } from 'mongoose';
import { HANDOFF_TEXTS } from '../../bot/assistant/handoff/handoff-texts.js';
import type { Sender } from '../../bot/channels/channel-events.js';
import { newVisitorId } from '../../bot/webchat/visitor-id.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { messageModel, type MessageRecord } from '../messaging/message-model.js';
import { resolveSenderContact } from '../messaging/resolve-sender-contact.js';
import { scheduleSnoozeEnd } from '../messaging/snooze-queue.js';
import { noteModels } from '../notes/note-models.js';
import type { DemoStaff } from './demo-chat-script.js';
import type { DemoChatMessagePlan, DemoConversationPlan } from './plan-demo-conversations.js';

export type DemoConversationServices = Pick<ApiServices, 'db' | 'queues'>;

/**
 * Who the client is on the channel and how the channel numbers messages: the site chat's visitor
 * id, or a Telegram user id whose private chat has the same id.
 */
export interface DemoChatIdentity {
  chatId: string;
  /** The sender as the channel's parse would give it, with the phone that finds their contact. */
  sender: Sender;
  /** The provider's id of the script's message `index` (all lines counted), as the adapter records it. */
  externalIdOf(index: number, direction: 'in' | 'out', ownId: Types.ObjectId): string;
}

export interface DemoConversationTarget {
  account: LoadedAccount;
  contactId: Types.ObjectId;
  /** The client's phone (E.164): what they left in the widget, which finds their contact. */
  phone: string;
  staff: Record<DemoStaff, { id: string; name: string }>;
  /** The site chat's identity (a fresh visitor id) when absent. */
  identity?: DemoChatIdentity;
}

/**
 * A widget's visitor: inbound keyed `<visitor>:<client message id>` (deduplicated per account),
 * outbound by the message's own id, which is what the site chat adapter reports.
 */
export function siteChatIdentity(phone: string): DemoChatIdentity {
  const visitorId = newVisitorId();
  return {
    chatId: visitorId,
    sender: { externalId: visitorId, phone },
    externalIdOf: (index, direction, ownId) =>
      direction === 'in' ? `${visitorId}:demo-${index}` : ownId.toHexString(),
  };
}

/**
 * An id that sorts at `at`: the inbox reads messages, notes and timelines by `_id` (ObjectIds grow
 * with time), so backdated history needs backdated ids. The tail of a fresh id keeps it unique.
 */
function idAt(at: Date): Types.ObjectId {
  const seconds = Math.floor(at.getTime() / 1000)
    .toString(16)
    .padStart(8, '0');
  return new Types.ObjectId(seconds + new Types.ObjectId().toHexString().slice(8));
}

function authorOf(message: DemoChatMessagePlan, staff: DemoConversationTarget['staff']): MessageRecord['author'] {
  switch (message.from) {
    case 'client':
      return { kind: 'contact' };
    case 'bot':
      return { kind: 'bot' };
    case 'operator':
    case 'manager':
      return { kind: 'user', id: new Types.ObjectId(staff[message.from].id), name: staff[message.from].name };
  }
}

/**
 * The message as ingest (client lines) or a finished send (everything else) leaves it, with the
 * channel's ids (DemoChatIdentity). Neither the site chat nor Telegram reports delivery or read
 * receipts, so `sent` is as far as outbound messages go.
 */
function messageRecord(
  message: DemoChatMessagePlan,
  index: number,
  conversation: ConversationRecord,
  staff: DemoConversationTarget['staff'],
  identity: DemoChatIdentity,
): MessageRecord {
  const _id = idAt(message.at);
  const common = {
    _id,
    conversationId: conversation._id,
    contactId: conversation.contactId,
    channel: conversation.channel,
    channelAccountId: conversation.channelAccountId,
    author: authorOf(message, staff),
    attempts: 0,
    sentAt: message.at,
    createdAt: message.at,
    updatedAt: message.at,
  };
  if (message.from === 'client') {
    const externalId = identity.externalIdOf(index, 'in', _id);
    return {
      ...common,
      direction: 'in',
      content: message.tapped
        ? { kind: 'button', payload: message.tapped, text: message.text }
        : { kind: 'text', text: message.text },
      dedupeKey: `${conversation.channelAccountId.toHexString()}|${externalId}`,
      externalId,
      status: 'received',
    };
  }
  return {
    ...common,
    direction: 'out',
    content: { kind: 'text', text: message.text },
    // Keyed as the live bot keys its hand-over message, which is how the reports' backfill finds hand-overs.
    ...(message.from === 'bot' && message.text === HANDOFF_TEXTS.now.ru
      ? { dedupeKey: `handoff|demo-${conversation._id.toHexString()}-${index}` }
      : {}),
    ...(message.buttons ? { buttons: message.buttons.map(({ id, text }) => ({ id, text })) } : {}),
    externalId: identity.externalIdOf(index, 'out', _id),
    status: 'sent',
    attempts: 1,
  };
}

/**
 * Writes one demo chat the way the live path leaves one: the client's channel identity is
 * linked to their contact through ingest's own resolveSenderContact (the unique identity index
 * holds), then the conversation keyed by (account, chat id), its messages and private notes,
 * and the wake-up job of a snoozed one. A site chat's visitor id is random like a widget's: whoever
 * holds one reads that history, so the demo does not publish them (bot/webchat/visitor-id.ts).
 */
export async function writeDemoConversation(
  services: DemoConversationServices,
  target: DemoConversationTarget,
  plan: DemoConversationPlan,
): Promise<{ conversationId: Types.ObjectId; messages: number; notes: number }> {
  const { account, staff } = target;
  const identity = target.identity ?? siteChatIdentity(target.phone);
  const linked = await resolveSenderContact(services, account, identity.sender, { at: plan.startedAt });
  if (!linked.contactId.equals(target.contactId)) {
    throw new Error(`The demo chat of client ${plan.contact} found another contact by the phone ${target.phone}`);
  }
  const conversation: ConversationRecord = {
    _id: idAt(plan.startedAt),
    contactId: target.contactId,
    channel: account.type,
    channelAccountId: new Types.ObjectId(account.id),
    chatId: identity.chatId,
    status: plan.status,
    handler: plan.handler,
    ...(plan.assignee ? { assigneeId: new Types.ObjectId(staff[plan.assignee].id) } : {}),
    teamIds: account.teamIds.map((id) => new Types.ObjectId(id)),
    lastMessageAt: plan.lastMessageAt,
    lastMessage: plan.lastMessage,
    ...(plan.lastInboundAt ? { lastInboundAt: plan.lastInboundAt } : {}),
    unreadCount: plan.unreadCount,
    ...(plan.resolvedAt ? { resolvedAt: plan.resolvedAt } : {}),
    ...(plan.snoozedUntil ? { snoozedUntil: plan.snoozedUntil } : {}),
    priority: plan.priority,
    labels: plan.labels,
    createdAt: plan.startedAt,
    updatedAt: plan.resolvedAt ?? plan.lastMessageAt,
  };
  await conversationModel(services.db).collection.insertOne(conversation);
  const records = plan.messages.map((message, index) => messageRecord(message, index, conversation, staff, identity));
  await messageModel(services.db).collection.insertMany(records);
  const { Note } = noteModels(services.db);
  for (const note of plan.notes) {
    await Note.create({
      _id: idAt(note.at),
      entity: 'contact',
      entityId: target.contactId,
      kind: 'note',
      text: note.text,
      authorId: new Types.ObjectId(staff[note.author].id),
      authorName: staff[note.author].name,
      conversationId: conversation._id,
      createdAt: note.at,
    });
  }
  if (plan.snoozedUntil) await scheduleSnoozeEnd(services, conversation._id.toHexString(), plan.snoozedUntil);
  return { conversationId: conversation._id, messages: records.length, notes: plan.notes.length };
}
