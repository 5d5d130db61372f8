import { Types } from 'mongoose';
import type { InboundBlockEvent } from '../../bot/channels/channel-events.js';
import { isChannelType } from '../../bot/channels/channel-types.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { conversationModel, type ConversationRecord } from '../messaging/conversation-model.js';
import { changeConsent, type ConsentServices } from './change-consent.js';

/**
 * A person blocking the bot (Telegram `kicked`, VK message_deny) opts them out of that channel:
 * a broadcast, a flow or an operator would write to someone who said, by blocking, they want
 * nothing. Unblocking undoes only that opt-out: a STOP written before stays.
 */
export async function applyBlockConsent(
  services: ConsentServices,
  account: Pick<LoadedAccount, 'id' | 'type'>,
  event: InboundBlockEvent,
): Promise<void> {
  const conversations = await conversationModel(services.db)
    .find({ channelAccountId: new Types.ObjectId(account.id), chatId: event.from.externalId })
    .lean<ConversationRecord[]>();
  if (!isChannelType(account.type)) return;
  const blocked = event.type === 'blocked';
  const seen = new Set<string>();
  for (const conversation of conversations) {
    const contactId = conversation.contactId.toHexString();
    if (seen.has(contactId)) continue;
    seen.add(contactId);
    await changeConsent(services, {
      contactId,
      channel: account.type,
      status: blocked ? 'opted-out' : 'opted-in',
      at: event.at,
      via: 'block',
      conversationId: conversation._id.toHexString(),
      ...(blocked ? {} : { onlyOver: 'block' as const }),
    });
  }
}
