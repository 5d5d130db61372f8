import type { ApiServices } from '../api/api-services.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { queueMessage } from './queue-message.js';
import { skip, skipIfRefused, type SkipReason } from '../flows/skip-reasons.js';

export interface ContactChat {
  contactId: string;
  /** The conversation to write in; else the contact's latest one (on `channel` unless `preferred`). */
  conversationId?: string;
  channel?: string;
}

/**
 * A message from the bot to a contact (a flow's send step, a booking's offers, confirmations and
 * reminders) through the one outbound path: stored as `queued`, on the timeline, sent by the
 * channel's queue with its buttons rendered per channel. `dedupeKey` makes a retry send nothing new.
 * Returns why nothing was sent when the channel refuses it for good (opted out, window closed,
 * disconnected): retrying would not help.
 */
export async function messageContact(
  services: Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels'>,
  chat: ContactChat,
  message: { text: string; buttons?: { id: string; text: string }[] },
  options: { dedupeKey: string; authorName: string },
): Promise<{ skipped?: SkipReason }> {
  const channel = chat.channel && chat.channel !== 'preferred' ? chat.channel : undefined;
  const Conversation = conversationModel(services.db);
  const conversation = chat.conversationId
    ? await Conversation.findById(chat.conversationId).lean<ConversationRecord>()
    : await Conversation.findOne({ contactId: chat.contactId, ...(channel ? { channel } : {}) })
        .sort({ lastInboundAt: -1, lastMessageAt: -1 })
        .lean<ConversationRecord>();
  if (!conversation) return skip('noConversation', { channel: channel ?? '' });
  try {
    await queueMessage(services, {
      conversationId: String(conversation._id),
      message: { text: message.text, ...(message.buttons?.length ? { buttons: message.buttons } : {}) },
      author: { kind: 'bot', name: options.authorName },
      dedupeKey: options.dedupeKey,
    });
    return {};
  } catch (error) {
    return skipIfRefused(error);
  }
}
