import { z } from 'zod';
import { companyInputSchema } from '../companies/company-schemas.js';
import { contactInputSchema, contactViewSchema } from '../contacts/contact-schemas.js';
import { companyViewSchema } from '../companies/company-schemas.js';
import { amountSchema, dealViewSchema } from '../deals/deal-schema.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';

export const leadIdParamsSchema = z.strictObject({ id: objectIdSchema });

export const unqualifyLeadSchema = z.strictObject({ reason: z.string().trim().min(1).max(200) });

/**
 * Converting a lead: the person (found by phone, e-mail or identity, or created), their company
 * when the client is a legal entity, and the deal in the chosen sales pipeline. Title, amount and
 * owner default to the lead's.
 */
export const convertLeadSchema = z.strictObject({
  pipelineId: objectIdSchema,
  stageId: stageIdSchema.optional(),
  title: z.string().trim().min(1).max(300).optional(),
  amount: amountSchema.optional(),
  ownerId: objectIdSchema.optional(),
  contact: contactInputSchema,
  company: companyInputSchema.optional(),
});

export const conversionViewSchema = z.object({
  lead: dealViewSchema,
  deal: dealViewSchema,
  contact: contactViewSchema,
  company: companyViewSchema.optional(),
});

export type ConvertLeadInput = z.output<typeof convertLeadSchema>;
export type ConversionView = z.infer<typeof conversionViewSchema>;
