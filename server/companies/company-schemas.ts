import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { phoneSchema } from '../contacts/contact-schemas.js';
import { customFieldValuesSchema } from '../custom-fields/custom-field-schemas.js';
import { emailSchema, objectIdSchema } from '../users/user-schemas.js';
import { isValidInn } from './is-valid-inn.js';

const { say } = validationTexts;

/** Kinds of counterparty a company is to us (seed 002: clients, partners, agents, competitors). */
export const COUNTERPARTY_TYPES = ['client', 'partner', 'agent', 'competitor'] as const;

export const innSchema = z.string().trim().refine(isValidInn, say('inn'));

const companyFields = {
  name: z.string().trim().min(1).max(300),
  inn: innSchema,
  address: z.string().trim().max(500),
  counterpartyType: z.enum(COUNTERPARTY_TYPES),
  website: z.string().trim().max(300),
  phones: z.array(phoneSchema).max(20),
  emails: z.array(emailSchema).max(20),
  ownerId: objectIdSchema,
  tags: z.array(z.string().trim().min(1).max(60)).max(50),
  customFields: customFieldValuesSchema,
};

export const companyInputSchema = z.strictObject(companyFields).partial().required({ name: true });

/** `null` clears an optional field; lists replace the stored list. */
export const companyPatchSchema = z.strictObject({
  ...z.strictObject(companyFields).partial().shape,
  inn: innSchema.nullable().optional(),
  address: companyFields.address.nullable().optional(),
  website: companyFields.website.nullable().optional(),
  ownerId: objectIdSchema.nullable().optional(),
});

export const companyListQuerySchema = listQuerySchema.extend({
  counterpartyType: z.enum(COUNTERPARTY_TYPES).optional(),
  tag: z.string().trim().min(1).max(60).optional(),
  ownerId: objectIdSchema.optional(),
});

export const companyViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  inn: z.string().optional(),
  address: z.string().optional(),
  counterpartyType: z.enum(COUNTERPARTY_TYPES),
  website: z.string().optional(),
  phones: z.array(z.object({ raw: z.string(), e164: z.string() })),
  emails: z.array(z.string()),
  ownerId: z.string().optional(),
  tags: z.array(z.string()),
  customFields: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const companyDetailSchema = companyViewSchema.extend({
  /** The company's people the user may see (contacts point at their company). */
  contacts: z.array(z.object({ id: z.string(), name: z.string() })),
});

export type CompanyInput = z.output<typeof companyInputSchema>;
export type CompanyPatch = z.output<typeof companyPatchSchema>;
export type CompanyListQuery = z.output<typeof companyListQuerySchema>;
export type CompanyView = z.infer<typeof companyViewSchema>;
