import { Types } from 'mongoose';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import type { Channel } from '../contacts/normalize-identity.js';
import { changeConsent, type ConsentServices } from './change-consent.js';

/** Merges are followed at most this far: a chain longer than this is a loop, not history. */
const MAX_MERGE_HOPS = 10;

/**
 * Opts the contact a valid unsubscribe link names out of its channel, now. A contact merged since
 * the mail went out is followed to the one it became (its consent carries over there); a deleted
 * one gets nothing more anyway. Repeats change nothing: mail programs may post more than once.
 */
export async function optOutByLink(services: ConsentServices, contactId: string, channel: Channel): Promise<void> {
  const { Contact } = contactModels(services.db);
  let id = new Types.ObjectId(contactId);
  for (let hop = 0; hop < MAX_MERGE_HOPS; hop += 1) {
    const contact = await Contact.findById(id, { status: 1, mergedInto: 1 }).lean<
      Pick<ContactRecord, 'status' | 'mergedInto'>
    >();
    if (!contact || contact.status === 'deleted') return;
    if (contact.status === 'merged' && contact.mergedInto) {
      id = contact.mergedInto;
      continue;
    }
    await changeConsent(services, {
      contactId: id.toHexString(),
      channel,
      status: 'opted-out',
      at: new Date(),
      via: 'link',
    });
    return;
  }
}
