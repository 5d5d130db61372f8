import { Types } from 'mongoose';
import type { InboundMessageEvent } from '../../bot/channels/channel-events.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import type { IngestServices } from './ingest-events.js';
import { resolveSenderContact } from './resolve-sender-contact.js';

/**
 * The conversation of a chat on an account, created with its contact (found or new) on the chat's
 * first message; the caller has already looked for an existing one. Two first messages at once
 * end on one conversation: (account, chat) is unique and the upsert returns the one that exists.
 */
export async function openConversation(
  services: IngestServices,
  account: LoadedAccount,
  event: InboundMessageEvent,
): Promise<{ conversation: ConversationRecord; contactCreated: boolean }> {
  const Conversation = conversationModel(services.db);
  const accountId = new Types.ObjectId(account.id);
  const { contactId, created } = await resolveSenderContact(services, account, event.from, {
    source: event.source?.payload ? `${account.type}:${event.source.payload}` : undefined,
    utm: event.source?.utm,
    at: event.sentAt,
  });
  try {
    const conversation = await Conversation.findOneAndUpdate(
      { channelAccountId: accountId, chatId: event.chatId },
      {
        $setOnInsert: {
          contactId,
          channel: account.type,
          channelAccountId: accountId,
          chatId: event.chatId,
          status: 'open',
          handler: 'bot',
          teamIds: account.teamIds.map((id) => new Types.ObjectId(id)),
          lastMessageAt: event.sentAt,
          unreadCount: 0,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<ConversationRecord>();
    if (!conversation) throw new Error('The conversation upsert returned nothing');
    return { conversation, contactCreated: created };
  } catch (error) {
    // Two first messages of one chat at once: the other one created the conversation.
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await Conversation.findOne({
      channelAccountId: accountId,
      chatId: event.chatId,
    }).lean<ConversationRecord>();
    if (!winner) throw error;
    return { conversation: winner, contactCreated: false };
  }
}
