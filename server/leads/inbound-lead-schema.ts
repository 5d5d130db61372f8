import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { phoneSchema } from '../contacts/contact-schemas.js';
import { customFieldValuesSchema } from '../custom-fields/custom-field-schemas.js';
import { amountSchema } from '../deals/deal-schema.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { emailSchema, languageSchema, objectIdSchema } from '../users/user-schemas.js';
import { INBOUND_LEAD_VIA } from './inbound-lead-model.js';

const { say } = validationTexts;

const utmValue = z.string().trim().max(200).optional();

/** The five utm_* parameters of the link the person came by. */
export const leadUtmSchema = z.strictObject({
  source: utmValue,
  medium: utmValue,
  campaign: utmValue,
  term: utmValue,
  content: utmValue,
});

/** A page address as a browser reports it; anything else is dropped rather than refused (it is a hint). */
export const pageUrlSchema = z
  .string()
  .trim()
  .max(2000)
  .transform((value) => (/^https?:\/\//i.test(value) && URL.canParse(value) ? value : undefined));

const REACHABLE = say('leadReachable');

/**
 * A lead from a partner platform or an exhibition app (`POST /leads`). `partner` says who handed
 * it in, `source` what kind of place it comes from; both end up on the contact and the deal as
 * '<source>:<partner>'.
 */
export const partnerLeadSchema = z
  .strictObject({
    name: z.string().trim().min(1).max(200).optional(),
    phone: phoneSchema.optional(),
    email: emailSchema.optional(),
    comment: z.string().trim().max(5000).optional(),
    partner: z.string().trim().min(1).max(100),
    source: z
      .string()
      .regex(/^[a-z][a-z0-9-]{0,39}$/, say('leadSource'))
      .refine((value) => value !== 'form', say('leadSourceForm'))
      .default('partner'),
    utm: leadUtmSchema.optional(),
    referrer: pageUrlSchema.optional(),
    landingPage: pageUrlSchema.optional(),
    language: languageSchema.optional(),
    /** Where the deal goes: a leads pipeline by default (the one the product ships, else the oldest). */
    pipelineId: objectIdSchema.optional(),
    stageId: stageIdSchema.optional(),
    title: z.string().trim().min(1).max(300).optional(),
    amount: amountSchema.optional(),
    customFields: z
      .strictObject({ contact: customFieldValuesSchema.optional(), deal: customFieldValuesSchema.optional() })
      .optional(),
  })
  .refine((lead) => lead.phone || lead.email, { message: REACHABLE, path: ['phone'] });

export type PartnerLeadInput = z.output<typeof partnerLeadSchema>;

const bilingualView = z.object({ ru: z.string(), en: z.string().optional() });

export const inboundLeadViewSchema = z.object({
  id: z.string(),
  via: z.enum(INBOUND_LEAD_VIA),
  form: z.object({ id: z.string(), name: z.string() }).optional(),
  partner: z.string().optional(),
  source: z.string(),
  answers: z.array(z.object({ key: z.string(), label: bilingualView, value: z.string() })),
  person: z.object({ name: z.string().optional(), phone: z.string().optional(), email: z.string().optional() }),
  comment: z.string().optional(),
  utm: leadUtmSchema.optional(),
  referrer: z.string().optional(),
  landingPage: z.string().optional(),
  language: languageSchema.optional(),
  contactId: z.string().optional(),
  dealId: z.string().optional(),
  createdAt: z.string(),
});

export type InboundLeadView = z.infer<typeof inboundLeadViewSchema>;

/** What a partner gets back: the ids to refer to, never what the CRM already knew about the person. */
export const partnerLeadResponseSchema = z.object({
  id: z.string(),
  contactId: z.string(),
  dealId: z.string(),
  source: z.string(),
  createdAt: z.string(),
});
