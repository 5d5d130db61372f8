import { Types } from 'mongoose';
import { z } from 'zod';
import { MalformedPayloadError } from '../../bot/channels/channel-errors.js';
import type { Sender } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import { contactInputSchema } from '../contacts/contact-schemas.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';

const LANGUAGES = new Set(['ru', 'en']);

/**
 * The contact behind a sender on an account, through findOrCreateContact: found by the channel
 * identity, the phone or the e-mail the channel gives, created as a new lead when unknown. A race
 * of two first messages ends on one contact: the identity index is unique.
 */
export async function resolveSenderContact(
  services: Pick<ApiServices, 'db'>,
  account: LoadedAccount,
  sender: Sender,
  origin: { source?: string; utm?: Record<string, string>; at: Date },
): Promise<{ contactId: Types.ObjectId; created: boolean }> {
  const language = sender.language?.slice(0, 2).toLowerCase();
  const candidate = {
    name: sender.name?.trim() || sender.username || '',
    identities: [{ channel: account.type, accountId: account.id, externalId: sender.externalId }],
    ...(sender.phone ? { phones: [sender.phone] } : {}),
    ...(sender.email ? { emails: [sender.email] } : {}),
    teamIds: account.teamIds,
    source: origin.source ?? account.adapter.leadSource ?? account.type,
    ...(origin.utm ? { utm: pickUtm(origin.utm) } : {}),
    firstTouchAt: origin.at.toISOString(),
    ...(language && LANGUAGES.has(language) ? { language } : {}),
  };
  let parsed = contactInputSchema.safeParse(candidate);
  // A provider's phone or e-mail we cannot read must not lose the message: keep the identity alone.
  if (!parsed.success) parsed = contactInputSchema.safeParse({ ...candidate, phones: undefined, emails: undefined });
  // What is left is the sender's own id (blank, or no phone number on an SMS line): the payload's fault, a 400.
  if (!parsed.success)
    throw new MalformedPayloadError(
      `Cannot make a contact of sender ${sender.externalId}: ${z.prettifyError(parsed.error)}`,
    );
  const { contact, created } = await findOrCreateContact(services, parsed.data, null);
  return { contactId: new Types.ObjectId(contact.id), created };
}

function pickUtm(utm: Record<string, string>): Record<string, string> {
  const fields = ['source', 'medium', 'campaign', 'term', 'content'];
  return Object.fromEntries(
    Object.entries(utm)
      .map(([key, value]) => [key.replace(/^utm_/, ''), value.slice(0, 200)] as const)
      .filter(([key]) => fields.includes(key)),
  );
}
