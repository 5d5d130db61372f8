import { Types } from 'mongoose';
import { conflict } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';

/** What the person did, in the words of the refusal. */
const HOW = {
  keyword: 'they replied STOP): nothing more is sent to them here until they write START',
  link: 'they used the unsubscribe link of a mail): nothing more is sent to them here',
  block: 'they blocked us there): nothing is sent to them here until they unblock',
} as const;

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
  throw conflict(
    via
      ? `This person opted out of ${channel} (${HOW[via]}`
      : `This person opted out of ${channel} (marked on their card): nothing is sent to them here until it is changed there`,
    { reason: 'opted_out', ...(via ? { via } : {}) },
  );
}
