import type { ApiServices } from '../api/api-services.js';
import { ApiError } from '../api/api-error.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { queueMessage } from '../messaging/queue-message.js';

export interface ClientChat {
  contactId: string;
  /** The conversation to answer in; else the contact's latest one (on `channel` when given). */
  conversationId?: string;
  channel?: string;
}

/**
 * Sends the bot's message about a booking through the one outbound path (stored as `queued`, on
 * the timeline, sent by the channel's queue with its buttons rendered per channel). `dedupeKey`
 * makes a retry send nothing new. Returns why nothing was sent when the channel refuses it for
 * good (opted out, window closed): retrying would not help.
 */
export async function messageClient(
  services: Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels'>,
  chat: ClientChat,
  message: { text: string; buttons?: { id: string; text: string }[] },
  dedupeKey: string,
): Promise<{ skipped?: string }> {
  const Conversation = conversationModel(services.db);
  const conversation = chat.conversationId
    ? await Conversation.findById(chat.conversationId).lean<ConversationRecord>()
    : await Conversation.findOne({
        contactId: chat.contactId,
        ...(chat.channel && chat.channel !== 'preferred' ? { channel: chat.channel } : {}),
      })
        .sort({ lastInboundAt: -1, lastMessageAt: -1 })
        .lean<ConversationRecord>();
  if (!conversation) return { skipped: 'the contact has no conversation' };
  try {
    await queueMessage(services, {
      conversationId: String(conversation._id),
      message: { text: message.text, ...(message.buttons?.length ? { buttons: message.buttons } : {}) },
      author: { kind: 'bot', name: 'booking' },
      dedupeKey,
    });
    return {};
  } catch (error) {
    if (error instanceof ApiError && error.status < 500) return { skipped: error.message };
    throw error;
  }
}
