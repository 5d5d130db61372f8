import type { Connection, Model, Types } from 'mongoose';
import { badRequest, conflict, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { companyModels } from '../companies/company-models.js';
import type { CompanyView } from '../companies/company-schemas.js';
import { findOrCreateCompany } from '../companies/find-or-create-company.js';
import { toCompanyView } from '../companies/to-company-view.js';
import { contactModels } from '../contacts/contact-models.js';
import type { ContactView } from '../contacts/contact-schemas.js';
import { findOrCreateContact } from '../contacts/find-or-create-contact.js';
import { toContactView } from '../contacts/to-contact-view.js';
import { actorOf } from '../deals/actor-schema.js';
import { assertMayAssign } from '../deals/assert-may-assign.js';
import { changeDeal } from '../deals/change-deal.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { dealScope } from '../deals/deal-scope.js';
import { insertDeal } from '../deals/insert-deal.js';
import { stageChange } from '../deals/stage-change.js';
import { toDealView } from '../deals/to-deal-view.js';
import { findPipeline } from '../pipelines/find-pipeline.js';
import { closingStage, firstOpenStage, stageOf } from '../pipelines/pipeline-stages.js';
import type { ConversionView, ConvertLeadInput } from './lead-schema.js';

const { say } = errorTexts;

/**
 * Records on the lead which contact (or company) the conversion uses, unless an earlier attempt
 * already did; returns the recorded one. A retry thus reuses what the first attempt found or
 * created instead of creating another, even for a contact known only by name.
 */
async function claim(Deal: Model<DealRecord>, leadId: Types.ObjectId, field: 'contactId' | 'companyId', id: string) {
  const path = `conversion.${field}`;
  await Deal.updateOne({ _id: leadId, [path]: { $exists: false } }, { $set: { [path]: id } });
  const lead = await Deal.findById(leadId).lean<DealRecord>();
  const recorded = lead?.conversion?.[field];
  if (!recorded) throw notFound('Lead');
  return String(recorded);
}

async function contactById(db: Connection, id: string): Promise<ContactView> {
  const contact = await contactModels(db).Contact.findById(id).lean();
  if (!contact) throw conflict(say('leadContactGone'), { contactId: id });
  return toContactView(contact);
}

async function companyById(db: Connection, id: string): Promise<CompanyView> {
  const company = await companyModels(db).Company.findById(id).lean();
  if (!company) throw conflict(say('leadCompanyGone'), { companyId: id });
  return toCompanyView(company);
}

/**
 * Converts a lead in one request, as ordered idempotent steps (no transactions): the company,
 * then the contact (linked to it), each recorded on the lead; the deal, inserted at most once per
 * lead (unique index); finally the lead moves to its won stage. Calling it again after any
 * failure, or after success, completes or returns the same contact, company and deal.
 */
export async function convertLead(
  services: Pick<ApiServices, 'db'>,
  user: AuthUser,
  leadId: string,
  input: ConvertLeadInput,
): Promise<ConversionView> {
  const { db } = services;
  const Deal = await dealModel(db);
  const lead = await Deal.findOne({ ...dealScope(user), _id: leadId }).lean<DealRecord>();
  if (!lead) throw notFound('Lead');
  const leadPipeline = await findPipeline(db, String(lead.pipelineId));
  if (leadPipeline.kind !== 'leads') throw conflict(say('notLeadsPipeline'));
  if (lead.status === 'lost') throw conflict(say('leadUnqualified'));
  const pipeline = await findPipeline(db, input.pipelineId, { forWork: true });
  if (pipeline.kind === 'leads') throw badRequest(say('convertIntoLeads'));
  const stage = input.stageId ? stageOf(pipeline, input.stageId) : firstOpenStage(pipeline);
  if (stage.kind !== 'open') throw badRequest(say('convertedDealOpenStage'));
  const ownerId = input.ownerId ?? String(lead.ownerId);
  assertMayAssign(user, ownerId, String(lead.ownerId));

  let company: CompanyView | undefined;
  const recordedCompany = lead.conversion?.companyId;
  if (recordedCompany) company = await companyById(db, String(recordedCompany));
  else if (input.company) {
    const found = await findOrCreateCompany(services, input.company, user);
    const claimed = await claim(Deal, lead._id, 'companyId', found.company.id);
    company = claimed === found.company.id ? found.company : await companyById(db, claimed);
  }

  let contact: ContactView;
  const recordedContact = lead.conversion?.contactId;
  if (recordedContact) contact = await contactById(db, String(recordedContact));
  else {
    const contactInput =
      company && !input.contact.companyId ? { ...input.contact, companyId: company.id } : input.contact;
    const found = await findOrCreateContact(services, contactInput, user);
    const claimed = await claim(Deal, lead._id, 'contactId', found.contact.id);
    contact = claimed === found.contact.id ? found.contact : await contactById(db, claimed);
  }

  const { deal, created } = await insertDeal(db, {
    title: input.title ?? lead.title,
    pipeline,
    stage,
    amount: input.amount ?? lead.amount,
    currency: lead.currency,
    ownerId,
    contactId: contact.id,
    ...(company ? { companyId: company.id } : {}),
    customFields: lead.customFields,
    // Source reports follow a lead from a form or a partner into the sale it became.
    source: lead.source,
    partner: lead.partner,
    createdBy: actorOf(user),
    now: new Date(),
    sourceLeadId: lead._id,
  });

  const won = closingStage(leadPipeline, 'won');
  const closedLead = await changeDeal(db, { _id: lead._id }, (current) => {
    if (current.conversion?.dealId) return undefined;
    const now = new Date();
    const move = stageChange(current, { pipeline: leadPipeline, stage: won, actor: actorOf(user), now });
    return {
      ...move,
      $set: {
        ...move?.$set,
        contactId: contact.id,
        ...(company ? { companyId: company.id } : {}),
        'conversion.dealId': deal._id,
        'conversion.convertedAt': now,
      },
    };
  });

  if (created) {
    await recordAudit(services, {
      actor: user,
      action: 'lead.convert',
      entity: 'deal',
      entityId: leadId,
      after: toDealView(closedLead),
      meta: { dealId: String(deal._id), contactId: contact.id, ...(company ? { companyId: company.id } : {}) },
    });
  }
  return { lead: toDealView(closedLead), deal: toDealView(deal), contact, ...(company ? { company } : {}) };
}
