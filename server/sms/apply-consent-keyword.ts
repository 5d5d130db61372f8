import { Types } from 'mongoose';
import { smsConsentChange } from '../../bot/sms/sms-consent-change.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { contactModels } from '../contacts/contact-models.js';
import { CHANNELS, type Channel } from '../contacts/normalize-identity.js';
import type { MessageView } from '../messaging/message-views.js';
import { addNote } from '../notes/add-note.js';

function isChannel(type: string): type is Channel {
  return CHANNELS.some((channel) => channel === type);
}

/**
 * STOP, СТОП… (or START, СТАРТ) from a person on a channel with opt-out keywords: the contact's
 * consent on that channel changes and the timeline gets a note saying so, both once per message
 * however often it is delivered. A keyword older than the consent already stored changes nothing,
 * so a STOP redelivered after a START does not undo it.
 */
export async function applyConsentKeyword(
  services: Pick<ApiServices, 'db'>,
  account: Pick<LoadedAccount, 'type' | 'adapter'>,
  message: MessageView,
): Promise<void> {
  if (!account.adapter.capabilities.optOutKeywords || message.content.kind !== 'text') return;
  const change = smsConsentChange(message.content.text);
  if (!change || !isChannel(account.type)) return;
  const at = new Date(message.sentAt ?? message.createdAt);
  const consent = `consent.${account.type}`;
  await contactModels(services.db).Contact.updateOne(
    {
      _id: new Types.ObjectId(message.contactId),
      $or: [{ [consent]: { $exists: false } }, { [`${consent}.at`]: { $lte: at } }],
    },
    { $set: { [consent]: { status: change.status, at } } },
  );
  await addNote(services, {
    entity: 'contact',
    entityId: message.contactId,
    kind: 'system',
    text:
      change.status === 'opted-out'
        ? `Отписался от SMS ответом «${change.keyword}»: сообщения по SMS ему больше не отправляются`
        : `Снова подписался на SMS ответом «${change.keyword}»`,
    author: null,
    dedupeKey: `consent:${message.id}`,
    meta: { channel: account.type, consent: change.status, keyword: change.keyword, messageId: message.id },
  });
}
