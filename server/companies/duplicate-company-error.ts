import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';
import type { CompanyRecord } from './company-models.js';

/** Another active company has this INN: 409 naming it, so the client can open it instead. */
export class DuplicateCompanyError extends ApiError {
  constructor(readonly existing: CompanyRecord) {
    super(409, 'duplicate_company', errorTexts.say('duplicateCompany'), {
      existingCompanyId: existing._id.toHexString(),
    });
    this.name = 'DuplicateCompanyError';
  }
}
