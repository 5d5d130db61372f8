import { ApiError } from '../api/api-error.js';
import type { ContactRecord } from './contact-models.js';

/** A new contact would repeat an existing one's phone, e-mail or identity: 409 naming it. */
export class DuplicateContactError extends ApiError {
  constructor(
    readonly existing: ContactRecord,
    matchedOn: string[],
  ) {
    super(409, 'duplicate_contact', 'A contact with the same phone, e-mail or channel identity exists', {
      existingContactId: existing._id.toHexString(),
      matchedOn,
    });
    this.name = 'DuplicateContactError';
  }
}
