import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { ContactRecord } from './contact-models.js';

/** A new contact would repeat an existing one's phone, e-mail or identity: 409 naming it. */
export class DuplicateContactError extends ApiError {
  constructor(
    readonly existing: ContactRecord,
    matchedOn: string[],
  ) {
    super(409, 'duplicate_contact', errorTexts.say('duplicateContact'), {
      existingContactId: existing._id.toHexString(),
      matchedOn,
    });
    this.name = 'DuplicateContactError';
  }
}
