import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { contactModels } from './contact-models.js';

/** Whether the contact's consent on a channel is `opted-out` (an SMS STOP, or set through the API). */
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
