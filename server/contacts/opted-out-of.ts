import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from './contact-models.js';

/** Whether the contact's consent on a channel is `opted-out` (a STOP, the unsubscribe link, a block, or set by hand; see server/consent). */
export async function optedOutOf(
  services: Pick<ApiServices, 'db'>,
  contactId: Types.ObjectId,
  channel: string,
): Promise<boolean> {
  const found = await contactModels(services.db).Contact.exists({
    _id: contactId,
    [`consent.${channel}.status`]: 'opted-out',
  });
  return found !== null;
}
