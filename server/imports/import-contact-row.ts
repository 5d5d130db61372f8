import { contactKeys } from '../contacts/contact-keys.js';
import { contactInputSchema } from '../contacts/contact-schemas.js';
import { findDuplicateContact } from '../contacts/find-duplicate-contact.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import { companyInputSchema } from '../companies/company-schemas.js';
import { findOrCreateImportedCompany } from './find-or-create-imported-company.js';
import type { FieldValues, ImportContext, RowOutcome } from './import-context.js';
import type { ContactImportField } from './import-schemas.js';
import { rejectionReason } from './rejection-reason.js';
import { joinCells } from './join-cells.js';
import { splitCells } from './split-cells.js';

/** A contact without one is written to nobody's card twice: importing the list again would duplicate it. */
const NO_KEY =
  'No phone or e-mail to recognise the contact by / Нет телефона или e-mail, по которым можно узнать контакт';

/**
 * Imports one contact row: phones and e-mails normalised by the contacts' own schema, then found
 * or created with `findOrCreateContact` (an existing contact gets the row's new phones and
 * e-mails). The company column links a new contact to its company, found by name or created.
 */
export async function importContactRow(
  context: ImportContext,
  values: FieldValues<ContactImportField>,
): Promise<RowOutcome> {
  const raw = {
    ...(values.name ? { name: joinCells(values.name, ' ') } : {}),
    phones: splitCells(values.phone, /[,;\n]/),
    emails: splitCells(values.email, /[,;\s]+/),
    tags: splitCells(values.tags, /[,;]/),
    ...(values.region ? { region: joinCells(values.region, ', ') } : {}),
    source: joinCells(values.source, ', ') || 'import',
  };
  if (raw.phones.length + raw.emails.length === 0) return { type: 'rejected', reason: NO_KEY };
  const parsed = contactInputSchema.safeParse(raw);
  if (!parsed.success) return { type: 'rejected', reason: rejectionReason(parsed.error.issues, raw) };
  const company = values.company ? companyInputSchema.safeParse({ name: joinCells(values.company, ' ') }) : undefined;
  if (company && !company.success) {
    return { type: 'rejected', reason: `company / компания: ${rejectionReason(company.error.issues, {})}` };
  }

  const input = parsed.data;
  const keys = contactKeys(input);
  const { db } = context.services;
  if (context.dryRun) {
    const keyNames = [...keys.phones.map((phone) => `phone:${phone.e164}`), ...keys.emails.map((e) => `email:${e}`)];
    const earlierRow = keyNames.some((key) => context.seen.has(key));
    for (const key of keyNames) context.seen.add(key);
    return earlierRow || (await findDuplicateContact(db, keys)) ? { type: 'matched' } : { type: 'created' };
  }
  // The company is only looked up for a contact about to be created: a matched contact keeps its own.
  const companyId =
    company && !(await findDuplicateContact(db, keys))
      ? (await findOrCreateImportedCompany(context.services, company.data, context.actor)).id
      : undefined;
  const { created } = await findOrCreateContact(
    context.services,
    { ...input, ...(companyId ? { companyId } : {}) },
    context.actor,
  );
  return { type: created ? 'created' : 'matched' };
}
