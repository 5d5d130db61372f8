import { Types } from 'mongoose';
import { ApiError, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { conversationForContact } from '../messaging/conversation-for-contact.js';
import { queueMessage } from '../messaging/queue-message.js';
import { unsubscribeLink } from '../consent/unsubscribe-link.js';
import { broadcastAccounts } from './broadcast-accounts.js';
import { broadcastMedia } from './broadcast-media.js';
import type { BroadcastChannel, BroadcastRecord } from './broadcast-model.js';
import { chatIdOn } from './pick-recipient-channel.js';
import { renderVariant } from './render-variant.js';

export type TestSendResult =
  { channel: BroadcastChannel; messageId: string } | { channel: BroadcastChannel; skipped: string };

/**
 * A test send to one contact (the marketer's own card): every variant the contact can receive
 * now goes out as it would to a recipient, marked as a test in its author's name and counted
 * nowhere (it carries no broadcast id).
 */
export async function sendTestBroadcast(
  services: Pick<ApiServices, 'db' | 'events' | 'queues' | 'channels' | 'config'>,
  broadcast: BroadcastRecord,
  contactId: string,
): Promise<TestSendResult[]> {
  const contact = await contactModels(services.db)
    .Contact.findOne({ _id: new Types.ObjectId(contactId), status: 'active' })
    .lean<ContactRecord>();
  if (!contact) throw notFound('Contact');
  const accounts = await broadcastAccounts(services, broadcast);
  const results: TestSendResult[] = [];
  for (const [channel, account] of accounts) {
    const chatId = chatIdOn(contact, channel, account);
    if (!chatId) {
      results.push({ channel, skipped: 'unreachable' });
      continue;
    }
    if (contact.consent?.[channel]?.status === 'opted-out') {
      results.push({ channel, skipped: 'opted_out' });
      continue;
    }
    const conversation = await conversationForContact(services, account, contact._id, chatId);
    const hours = account.adapter.capabilities.serviceWindowHours;
    const media =
      channel === 'telegram' ? await broadcastMedia(services, broadcast.variants.telegram?.mediaFileId) : undefined;
    const message = renderVariant(broadcast.variants, channel, contact, {
      timeZone: broadcast.timeZone,
      language: contact.language ?? 'ru',
      whatsappWindowOpen: Boolean(
        hours && conversation.lastInboundAt && conversation.lastInboundAt.getTime() > Date.now() - hours * 3600_000,
      ),
      ...(media ? { media } : {}),
      ...(channel === 'email' ? { unsubscribeUrl: unsubscribeLink(services.config, contactId, 'email') } : {}),
    });
    try {
      const queued = await queueMessage(services, {
        conversationId: conversation._id.toHexString(),
        message,
        author: { kind: 'system', name: `${broadcast.name} (test)` },
      });
      results.push({ channel, messageId: queued.id });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500) throw error;
      results.push({ channel, skipped: error.code });
    }
  }
  return results;
}
