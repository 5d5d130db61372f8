import type { ContactInput } from './contact-schemas.js';
import type { ContactRecord } from './contact-models.js';

/** Consent as stored: every entry dated (now, when the request did not say when it was given). */
export function toStoredConsent(consent: ContactInput['consent'] = {}, now = new Date()): ContactRecord['consent'] {
  const stored: ContactRecord['consent'] = {};
  for (const [channel, entry] of Object.entries(consent)) {
    if (entry)
      stored[channel as keyof ContactRecord['consent']] = {
        status: entry.status,
        at: entry.at ? new Date(entry.at) : now,
      };
  }
  return stored;
}
