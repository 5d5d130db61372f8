import { Types } from 'mongoose';
import { conflict } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';

/** What the person did, in the words of the refusal. */
const HOW = { keyword: 'optedOutByKeyword', link: 'optedOutByLink', block: 'optedOutByBlock' } as const;

/**
 * Refuses (409, reason `opted_out`) anything queued to a contact who opted out of the channel, on
 * every channel, with how they did it so the operator knows what would change it. The start of
 * every outbound message calls it (server/messaging/queue-message.ts).
 */
export async function refuseOptedOut(
  services: Pick<ApiServices, 'db'>,
  contactId: Types.ObjectId | string,
  channel: string,
): Promise<void> {
  const contact = await contactModels(services.db)
    .Contact.findOne(
      { _id: new Types.ObjectId(contactId), [`consent.${channel}.status`]: 'opted-out' },
      { [`consent.${channel}`]: 1 },
    )
    .lean<Pick<ContactRecord, 'consent'>>();
  if (!contact) return;
  const via = contact.consent[channel as Channel]?.via;
  throw conflict(errorTexts.sayWith(via ? HOW[via] : 'optedOutOnCard', { channel }), {
    reason: 'opted_out',
    ...(via ? { via } : {}),
  });
}
