import { createHash } from 'node:crypto';
import { companyInputSchema, type CompanyInput } from '../companies/company-schemas.js';
import { contactKeys } from '../contacts/contact-keys.js';
import { contactInputSchema, type ContactInput } from '../contacts/contact-schemas.js';
import { findDuplicateContact } from '../contacts/find-duplicate-contact.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import { actorOf } from '../deals/actor-schema.js';
import { dealModel } from '../deals/deal-model.js';
import { createDealSchema } from '../deals/deal-schema.js';
import { insertDeal } from '../deals/insert-deal.js';
import { recordDealChange } from '../deals/record-deal-change.js';
import type { DealImportTarget } from './deal-import-target.js';
import { findOrCreateImportedCompany } from './find-or-create-imported-company.js';
import type { FieldValues, ImportContext, RowOutcome } from './import-context.js';
import type { DealImportField } from './import-schemas.js';
import { joinCells } from './join-cells.js';
import { rejectionReason } from './rejection-reason.js';
import { splitCells } from './split-cells.js';

const NO_TITLE = 'No deal title / Нет названия сделки';
const NO_CONTACT_KEY =
  'A person without a phone or e-mail to recognise them by / У клиента нет телефона или e-mail, по которым его можно узнать';
const NO_COMPANY_NAME = 'An INN without a company name / ИНН указан без названия компании';

/** The deals' own rules for these fields (length, kopecks at most, ISO currency code). */
const importedDealSchema = createDealSchema.pick({ title: true, amount: true, currency: true });

/** What people write for roubles, dollars and euros in a currency column, as ISO codes. */
const CURRENCY_ALIASES: Record<string, string> = { '₽': 'RUB', РУБ: 'RUB', 'РУБ.': 'RUB', $: 'USD', '€': 'EUR' };

/**
 * A spreadsheet amount as a number: "150 000,50" is how Russian Excel writes 150000.5 (spaces or
 * non-breaking spaces between thousands, ',' for decimals), sometimes with "₽" or "руб." after.
 * An empty cell is 0, as in POST /deals; text that is no number stays NaN for the row's rejection.
 */
function amountOf(text: string): number {
  const bare = text.replace(/[\s\u00a0]/g, '').replace(/(₽|руб\.?|р\.)$/i, '');
  return bare === '' ? 0 : Number(bare.replace(',', '.'));
}

function currencyOf(text: string): string {
  const upper = text.trim().toUpperCase();
  return upper === '' ? 'RUB' : (CURRENCY_ALIASES[upper] ?? upper);
}

interface DealRow {
  deal: { title: string; amount: number; currency: string };
  contact?: ContactInput;
  company?: CompanyInput;
}

/** The row's person, when it names one: found by phone or e-mail, so one of them is required. */
function contactOf(values: FieldValues<DealImportField>): ContactInput | string | undefined {
  const raw = {
    ...(values.name ? { name: joinCells(values.name, ' ') } : {}),
    phones: splitCells(values.phone, /[,;\n]/),
    emails: splitCells(values.email, /[,;\s]+/),
    source: 'import',
  };
  if (!raw.name && raw.phones.length + raw.emails.length === 0) return undefined;
  if (raw.phones.length + raw.emails.length === 0) return NO_CONTACT_KEY;
  const parsed = contactInputSchema.safeParse(raw);
  return parsed.success ? parsed.data : rejectionReason(parsed.error.issues, raw);
}

/** The row's company, when it names one (by name, INN or both). */
function companyOf(values: FieldValues<DealImportField>): CompanyInput | string | undefined {
  const raw = {
    name: joinCells(values.company, ' '),
    ...(values.inn ? { inn: joinCells(values.inn, '') } : {}),
  };
  if (!raw.name && !raw.inn) return undefined;
  if (!raw.name) return NO_COMPANY_NAME;
  const parsed = companyInputSchema.safeParse(raw);
  return parsed.success ? parsed.data : rejectionReason(parsed.error.issues, raw);
}

/** The row as a deal, its person and its company, or why it cannot be imported. */
function dealRowOf(values: FieldValues<DealImportField>): DealRow | string {
  const title = joinCells(values.title, ' ');
  if (!title) return NO_TITLE;
  const amountText = joinCells(values.amount, '');
  const amount = amountOf(amountText);
  if (Number.isNaN(amount)) return `Сумма «${amountText}» не число / Amount "${amountText}" is not a number`;
  const raw = { title, amount, currency: currencyOf(joinCells(values.currency, '')) };
  const deal = importedDealSchema.safeParse(raw);
  if (!deal.success) return rejectionReason(deal.error.issues, raw);
  const contact = contactOf(values);
  if (typeof contact === 'string') return contact;
  const company = companyOf(values);
  if (typeof company === 'string') return company;
  return { deal: deal.data, ...(contact ? { contact } : {}), ...(company ? { company } : {}) };
}

/**
 * The row's stable identity: a hash of what it says once normalised (phones as E.164, e-mails
 * lower-cased, the company by INN or lower-cased name) and of the pipeline it goes to. The same
 * file imported again, re-saved by Excel or with its columns reordered, gives the same keys; the
 * person's name is left out because the phone or e-mail already identifies them and names are
 * written many ways ("Иван Петров", "Иван П.").
 */
function importKeyOf(row: DealRow, target: DealImportTarget): string {
  const keys = row.contact ? contactKeys(row.contact) : { phones: [], emails: [] };
  const identity = [
    'deals',
    target.pipeline._id.toHexString(),
    row.deal.title,
    row.deal.amount,
    row.deal.currency,
    keys.phones.map((phone) => phone.e164).sort(),
    [...keys.emails].sort(),
    row.company?.inn ?? row.company?.name.toLowerCase() ?? null,
  ];
  return createHash('sha256').update(JSON.stringify(identity)).digest('hex');
}

/** The contact id for the deal; a new contact is linked to the row's company, an existing one keeps its own. */
async function importedContactId(
  context: ImportContext,
  contact: ContactInput,
  companyId: string | undefined,
): Promise<string> {
  const existing = companyId ? await findDuplicateContact(context.services.db, contactKeys(contact)) : null;
  const input = companyId && !existing ? { ...contact, companyId } : contact;
  return (await findOrCreateContact(context.services, input, context.actor)).contact.id;
}

/**
 * Imports one deal row into the request's pipeline and stage. A row whose key is already on a
 * deal is matched and nothing else is written; otherwise its company and person are found or
 * created first and the deal last (`insertDeal`, the deals' own insert, with the key's unique
 * index settling a race), so an import that stopped halfway is finished by running it again.
 */
export async function importDealRow(
  context: ImportContext,
  target: DealImportTarget,
  values: FieldValues<DealImportField>,
): Promise<RowOutcome> {
  const row = dealRowOf(values);
  if (typeof row === 'string') return { type: 'rejected', reason: row };
  const importKey = importKeyOf(row, target);
  const Deal = await dealModel(context.services.db);
  if (context.dryRun) {
    const earlierRow = context.seen.has(`deal:${importKey}`);
    context.seen.add(`deal:${importKey}`);
    return earlierRow || (await Deal.exists({ importKey })) ? { type: 'matched' } : { type: 'created' };
  }
  if (await Deal.exists({ importKey })) return { type: 'matched' };

  const companyId = row.company
    ? (await findOrCreateImportedCompany(context.services, row.company, context.actor)).id
    : undefined;
  const contactId = row.contact ? await importedContactId(context, row.contact, companyId) : undefined;
  const { deal, created } = await insertDeal(context.services.db, {
    ...row.deal,
    pipeline: target.pipeline,
    stage: target.stage,
    ownerId: context.actor.id,
    ...(contactId ? { contactId } : {}),
    ...(companyId ? { companyId } : {}),
    customFields: {},
    createdBy: actorOf(context.actor),
    now: new Date(),
    importKey,
  });
  if (!created) return { type: 'matched' };
  await recordDealChange(context.services, context.actor, 'deal.create', undefined, deal);
  return { type: 'created' };
}
