import type { ApiServices } from '../api/api-services.js';
import type { ContactActor } from './contact-actor.js';
import type { ContactInput, ContactView } from './contact-schemas.js';
import { createContact } from './create-contact.js';
import { DuplicateContactError } from './duplicate-contact-error.js';
import { linkContactKeys } from './link-contact-keys.js';
import { toContactView } from './to-contact-view.js';

/**
 * The contact for a person, created when no active contact has any of the input's phones,
 * e-mails or channel identities; otherwise that contact, with the input's new keys linked to it.
 * Safe to retry and to race: lead conversion, channel ingest and imports call it. The input is
 * `contactInputSchema`'s output (parse with it first: it normalises phones and identities).
 */
export async function findOrCreateContact(
  services: Pick<ApiServices, 'db'>,
  input: ContactInput,
  actor: ContactActor,
): Promise<{ contact: ContactView; created: boolean }> {
  try {
    return { contact: toContactView(await createContact(services, input, actor)), created: true };
  } catch (error) {
    if (!(error instanceof DuplicateContactError)) throw error;
    return { contact: toContactView(await linkContactKeys(services, error.existing, input, actor)), created: false };
  }
}
