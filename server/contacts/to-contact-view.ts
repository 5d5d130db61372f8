import type { ContactRecord } from './contact-models.js';
import type { ContactView } from './contact-schemas.js';

/** What the API shows of a contact: explicit fields, ids as strings, dates as ISO text. */
export function toContactView(contact: ContactRecord): ContactView {
  const consent: ContactView['consent'] = {};
  for (const [channel, entry] of Object.entries(contact.consent ?? {})) {
    if (entry) consent[channel as keyof ContactView['consent']] = { status: entry.status, at: entry.at.toISOString() };
  }
  return {
    id: contact._id.toHexString(),
    name: contact.name,
    phones: contact.phones.map(({ raw, e164 }) => ({ raw, e164 })),
    emails: [...contact.emails],
    identities: contact.identities.map(({ channel, accountId, externalId }) => ({
      channel,
      ...(accountId ? { accountId } : {}),
      externalId,
    })),
    ...(contact.companyId ? { companyId: contact.companyId.toHexString() } : {}),
    ...(contact.ownerId ? { ownerId: contact.ownerId.toHexString() } : {}),
    teamIds: contact.teamIds.map((id) => id.toHexString()),
    tags: [...contact.tags],
    ...(contact.region ? { region: contact.region } : {}),
    customFields: contact.customFields ?? {},
    ...(contact.source ? { source: contact.source } : {}),
    ...(contact.utm ? { utm: contact.utm } : {}),
    ...(contact.firstTouchAt ? { firstTouchAt: contact.firstTouchAt.toISOString() } : {}),
    consent,
    ...(contact.language ? { language: contact.language } : {}),
    status: contact.status === 'merged' ? 'merged' : 'active',
    ...(contact.mergedInto ? { mergedInto: contact.mergedInto.toHexString() } : {}),
    createdAt: contact.createdAt.toISOString(),
    updatedAt: contact.updatedAt.toISOString(),
  };
}
