import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';

/**
 * The conversation with a contact on an account, started by us when they never wrote there (a
 * broadcast to a phone number or an address). `chatId` is where the channel delivers: the e-mail
 * address for e-mail, E.164 for SMS, the wa_id digits for WhatsApp, the user id for a Telegram
 * private chat. (account, chatId) is unique, so two starts at once end on one conversation; one
 * that exists for another contact (a merge left it there) is answered as it is.
 */
export async function conversationForContact(
  services: Pick<ApiServices, 'db'>,
  account: Pick<LoadedAccount, 'id' | 'type' | 'teamIds'>,
  contactId: Types.ObjectId,
  chatId: string,
): Promise<ConversationRecord> {
  const Conversation = conversationModel(services.db);
  const channelAccountId = new Types.ObjectId(account.id);
  const now = new Date();
  try {
    const conversation = await Conversation.findOneAndUpdate(
      { channelAccountId, chatId },
      {
        $setOnInsert: {
          contactId,
          channel: account.type,
          channelAccountId,
          chatId,
          // Nothing to answer yet: it opens in the inbox when the person writes back.
          status: 'resolved',
          resolvedAt: now,
          handler: 'bot',
          teamIds: account.teamIds.map((id) => new Types.ObjectId(id)),
          lastMessageAt: now,
          unreadCount: 0,
          priority: 'none',
          labels: [],
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<ConversationRecord>();
    if (!conversation) throw new Error('The conversation upsert returned nothing');
    return conversation;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    const winner = await Conversation.findOne({ channelAccountId, chatId }).lean<ConversationRecord>();
    if (!winner) throw error;
    return winner;
  }
}
