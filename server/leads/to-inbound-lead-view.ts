import type { InboundLeadRecord } from './inbound-lead-model.js';
import type { InboundLeadView } from './inbound-lead-schema.js';

const defined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined && inner !== null)) as T;

/** An inbound lead as the API, the timeline and the inbox show it: string ids, ISO dates. */
export function toInboundLeadView(lead: InboundLeadRecord): InboundLeadView {
  return {
    id: lead._id.toHexString(),
    via: lead.via,
    ...(lead.formId ? { form: { id: lead.formId.toHexString(), name: lead.formName ?? '' } } : {}),
    ...(lead.partner ? { partner: lead.partner } : {}),
    source: lead.source,
    answers: lead.answers.map(({ key, label, value }) => ({ key, label: defined(label), value })),
    person: defined({ name: lead.person?.name, phone: lead.person?.phone, email: lead.person?.email }),
    ...(lead.comment ? { comment: lead.comment } : {}),
    ...(lead.utm && Object.values(lead.utm).some(Boolean) ? { utm: defined(lead.utm) } : {}),
    ...(lead.referrer ? { referrer: lead.referrer } : {}),
    ...(lead.landingPage ? { landingPage: lead.landingPage } : {}),
    ...(lead.language ? { language: lead.language } : {}),
    ...(lead.contactId ? { contactId: lead.contactId.toHexString() } : {}),
    ...(lead.dealId ? { dealId: lead.dealId.toHexString() } : {}),
    createdAt: lead.createdAt.toISOString(),
  };
}
