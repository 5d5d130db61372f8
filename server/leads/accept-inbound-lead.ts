import type { Model } from 'mongoose';
import { validationFailed } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { validationTexts } from '../api/validation-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { contactInputSchema, type ContactInput, type ContactView } from '../contacts/contact-schemas.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { toContactView } from '../contacts/to-contact-view.js';
import type { CustomFieldValues } from '../custom-fields/custom-field-schemas.js';
import { validateCustomFields } from '../custom-fields/validate-custom-fields.js';
import { actorOf, type Actor } from '../deals/actor-schema.js';
import type { DealRecord } from '../deals/deal-model.js';
import { insertDeal } from '../deals/insert-deal.js';
import { toDealView } from '../deals/to-deal-view.js';
import type { PipelineRecord } from '../pipelines/pipeline-model.js';
import type { Stage } from '../pipelines/pipeline-schema.js';
import {
  inboundLeadModel,
  type InboundLeadRecord,
  type InboundLeadVia,
  type LeadAnswer,
  type LeadUtm,
} from './inbound-lead-model.js';
import type { InboundLeadView } from './inbound-lead-schema.js';
import { toInboundLeadView } from './to-inbound-lead-view.js';

export interface NewInboundLead {
  /** Unique per lead: `form:<form id>:<submission id>` or `partner:<user id>:<idempotency key>`. */
  key: string;
  via: InboundLeadVia;
  form?: { id: string; name: string };
  partner?: string;
  source: string;
  answers: LeadAnswer[];
  person: { name?: string; phone?: string; email?: string };
  comment?: string;
  utm?: LeadUtm;
  referrer?: string;
  landingPage?: string;
  language?: 'ru' | 'en';
  contactCustomFields: CustomFieldValues;
  deal: {
    pipeline: PipelineRecord;
    stage: Stage;
    ownerId: string;
    title: string;
    amount: number;
    customFields: CustomFieldValues;
  };
  /** The user whose API token sent the lead; null for a site visitor (the form acts on its own). */
  actor: AuthUser | null;
}

export interface AcceptedLead {
  lead: InboundLeadView;
  contact: ContactView;
  contactCreated: boolean;
  deal: DealRecord;
}

type Leads = Model<InboundLeadRecord>;

function contactInputOf(input: NewInboundLead): ContactInput {
  const { person, utm } = input;
  const parsed = contactInputSchema.safeParse({
    ...(person.name ? { name: person.name } : {}),
    ...(person.phone ? { phones: [person.phone] } : {}),
    ...(person.email ? { emails: [person.email] } : {}),
    source: input.source.slice(0, 120),
    ...(utm && Object.values(utm).some(Boolean) ? { utm } : {}),
    ...(input.language ? { language: input.language } : {}),
    ownerId: input.deal.ownerId,
    customFields: input.contactCustomFields,
  });
  if (parsed.success) return parsed.data;
  throw validationFailed(
    parsed.error.issues.map((issue) => ({
      in: 'body',
      path: issue.path.join('.'),
      message: validationTexts.carry(issue),
    })),
  );
}

/** The lead's record, written once per key; a repeat (or a racing twin) gets the one already there. */
async function recordLead(Lead: Leads, input: NewInboundLead, contact: ContactInput): Promise<InboundLeadRecord> {
  const received = {
    via: input.via,
    ...(input.form ? { formId: input.form.id, formName: input.form.name } : {}),
    ...(input.partner ? { partner: input.partner } : {}),
    source: input.source,
    answers: input.answers,
    person: {
      ...(contact.name ? { name: contact.name } : {}),
      ...(contact.phones?.[0] ? { phone: contact.phones[0].e164 } : {}),
      ...(contact.emails?.[0] ? { email: contact.emails[0] } : {}),
    },
    ...(input.comment ? { comment: input.comment } : {}),
    ...(contact.utm ? { utm: contact.utm } : {}),
    ...(input.referrer ? { referrer: input.referrer } : {}),
    ...(input.landingPage ? { landingPage: input.landingPage } : {}),
    ...(input.language ? { language: input.language } : {}),
    ...(input.actor ? { receivedById: input.actor.id } : {}),
    createdAt: new Date(),
  };
  try {
    const lead = await Lead.findOneAndUpdate(
      { key: input.key },
      { $setOnInsert: received },
      { upsert: true, returnDocument: 'after' },
    ).lean<InboundLeadRecord>();
    if (lead) return lead;
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  const existing = await Lead.findOne({ key: input.key }).lean<InboundLeadRecord>();
  if (!existing) throw new Error(`The inbound lead ${input.key} vanished while it was being recorded`);
  return existing;
}

/** Fills what an existing contact lacks (a name, custom fields) from the lead; never overwrites. */
async function fillGaps(
  services: Pick<ApiServices, 'db'>,
  contactId: string,
  input: ContactInput,
  actor: AuthUser | null,
) {
  const { Contact } = contactModels(services.db);
  const before = await Contact.findById(contactId).lean<ContactRecord>();
  if (!before || before.status !== 'active') return;
  const $set: Record<string, unknown> = {};
  if (input.name && !before.name) $set.name = input.name;
  for (const [key, value] of Object.entries(input.customFields ?? {})) {
    if (value !== null && before.customFields?.[key] === undefined) $set[`customFields.${key}`] = value;
  }
  if (Object.keys($set).length === 0) return;
  const after = await Contact.findOneAndUpdate(
    { _id: before._id, status: 'active' },
    { $set },
    { returnDocument: 'after' },
  ).lean<ContactRecord>();
  if (!after) return;
  await recordAudit(services, {
    actor,
    action: 'contact.update',
    entity: 'contact',
    entityId: contactId,
    before: toContactView(before),
    after: toContactView(after),
    meta: { reason: 'filled from an inbound lead' },
  });
}

/**
 * The lead's contact: the one recorded on it by an earlier attempt, else found by phone or e-mail
 * (or created) and recorded, unless a racing attempt recorded its own first; then that one.
 */
async function contactOf(
  services: Pick<ApiServices, 'db'>,
  Lead: Leads,
  lead: InboundLeadRecord,
  input: ContactInput,
  actor: AuthUser | null,
): Promise<{ contact: ContactView; created: boolean }> {
  const { Contact } = contactModels(services.db);
  const recorded = lead.contactId ? await Contact.findById(lead.contactId).lean<ContactRecord>() : null;
  if (recorded?.status === 'active') return { contact: toContactView(recorded), created: Boolean(lead.contactCreated) };
  const found = await findOrCreateContact(services, input, actor);
  // A recorded contact that was deleted since is replaced; otherwise the first attempt's choice stands.
  const claim = recorded ? { _id: lead._id } : { _id: lead._id, contactId: { $exists: false } };
  await Lead.updateOne(claim, { $set: { contactId: found.contact.id, contactCreated: found.created } });
  const claimed = await Lead.findById(lead._id).lean<InboundLeadRecord>();
  const claimedId = claimed?.contactId?.toHexString();
  if (claimedId && claimedId !== found.contact.id) {
    const winner = await Contact.findById(claimedId).lean<ContactRecord>();
    if (winner) return { contact: toContactView(winner), created: Boolean(claimed?.contactCreated) };
  }
  if (!found.created) await fillGaps(services, found.contact.id, input, actor);
  return found;
}

/**
 * Turns a web form submission or a partner's lead into CRM records, as ordered idempotent steps
 * keyed by the lead's key (the store has no multi-document transactions): the lead's record, its
 * contact (found by phone or e-mail through the one find-or-create, else created with the lead's
 * source and UTM), then its deal (at most one per lead, unique index). Running it again after any
 * failure, or twice at once, completes the same lead: one record, one contact, one deal, one
 * timeline entry. The inbox hears of it once, when the deal is made (`lead.received`).
 */
export async function acceptInboundLead(
  services: Pick<ApiServices, 'db' | 'events'>,
  input: NewInboundLead,
): Promise<AcceptedLead> {
  const { db } = services;
  const contactInput = contactInputOf(input);
  // Everything a client can get wrong is refused before the first write, so a fixed retry starts clean.
  await validateCustomFields(db, 'contact', contactInput.customFields ?? {});
  await validateCustomFields(db, 'deal', input.deal.customFields);
  const Lead = await inboundLeadModel(db);
  const lead = await recordLead(Lead, input, contactInput);
  const { contact, created: contactCreated } = await contactOf(services, Lead, lead, contactInput, input.actor);

  const createdBy: Actor = input.actor
    ? actorOf(input.actor)
    : { kind: 'automation', id: input.form ? `form:${input.form.id}` : input.via };
  const { deal, created } = await insertDeal(db, {
    title: input.deal.title,
    pipeline: input.deal.pipeline,
    stage: input.deal.stage,
    amount: input.deal.amount,
    currency: 'RUB',
    ownerId: input.deal.ownerId,
    contactId: contact.id,
    // `null` means "no value" in custom fields, stored as no key at all.
    customFields: Object.fromEntries(Object.entries(input.deal.customFields).filter(([, value]) => value !== null)),
    createdBy,
    now: new Date(),
    inboundLeadId: lead._id,
    source: input.source,
    ...(input.partner ? { partner: input.partner } : {}),
  });
  await Lead.updateOne({ _id: lead._id, dealId: { $exists: false } }, { $set: { dealId: deal._id } });
  const stored = (await Lead.findById(lead._id).lean<InboundLeadRecord>()) ?? lead;
  const view = toInboundLeadView(stored);

  if (created) {
    await recordAudit(services, {
      actor: input.actor,
      action: 'deal.create',
      entity: 'deal',
      entityId: String(deal._id),
      after: toDealView(deal),
      meta: { inboundLeadId: view.id, source: input.source, via: input.via },
    });
    services.events.emit({ type: 'lead.received', lead: view, contact, contactCreated, deal: toDealView(deal) });
  }
  return { lead: view, contact, contactCreated, deal };
}
