import type { LoadedAccount } from '../channels/channel-accounts.js';
import { isChannelType } from '../../bot/channels/channel-types.js';
import type { MessageView } from '../messaging/message-views.js';
import { changeConsent, type ConsentServices } from './change-consent.js';
import { consentKeywordOf } from './consent-keyword-of.js';

/**
 * STOP, СТОП, ОТПИСАТЬСЯ… (or START, СТАРТ) from a person on any channel that takes keywords: the
 * contact's consent on that channel changes and the timeline and the conversation get a note
 * saying so, both once per message however often it is delivered. A keyword older than the
 * consent already stored changes nothing, so a STOP redelivered after a START does not undo it.
 */
export async function applyConsentKeyword(
  services: ConsentServices,
  account: Pick<LoadedAccount, 'type' | 'adapter'>,
  message: MessageView,
): Promise<void> {
  const change = consentKeywordOf(account, message.content);
  if (!change || !isChannelType(account.type)) return;
  await changeConsent(services, {
    contactId: message.contactId,
    channel: account.type,
    status: change.status,
    at: new Date(message.sentAt ?? message.createdAt),
    via: 'keyword',
    keyword: change.keyword,
    conversationId: message.conversationId,
    dedupeKey: `consent:${message.id}`,
  });
}
