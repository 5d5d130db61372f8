import { ApiError } from '../api/api-error.js';
import type { CompanyRecord } from './company-models.js';

/** Another active company has this INN: 409 naming it, so the client can open it instead. */
export class DuplicateCompanyError extends ApiError {
  constructor(readonly existing: CompanyRecord) {
    super(409, 'duplicate_company', 'A company with this INN exists', {
      existingCompanyId: existing._id.toHexString(),
    });
    this.name = 'DuplicateCompanyError';
  }
}
