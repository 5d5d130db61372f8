import { z } from 'zod';
import { companyListQuerySchema } from '../companies/company-schemas.js';
import { contactListQuerySchema } from '../contacts/contact-schemas.js';
import { dealListQuerySchema } from '../deals/deal-schema.js';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export const EXPORT_LANGUAGES = ['ru', 'en'] as const;

/** The filters of a list endpoint, without its paging: an export takes all matching rows. */
const PAGING = { limit: true, cursor: true } as const;

const common = {
  format: z.enum(EXPORT_FORMATS),
  /** The language of headers and labels: Russian unless English is asked for. */
  lang: z.enum(EXPORT_LANGUAGES).default('ru'),
};

/** `POST /exports`: what to export, as which file, filtered as the entity's list endpoint filters. */
export const exportRequestSchema = z.discriminatedUnion('entity', [
  z.strictObject({ entity: z.literal('contacts'), ...common, filter: contactListQuerySchema.omit(PAGING).optional() }),
  z.strictObject({ entity: z.literal('companies'), ...common, filter: companyListQuerySchema.omit(PAGING).optional() }),
  z.strictObject({ entity: z.literal('deals'), ...common, filter: dealListQuerySchema.omit(PAGING).optional() }),
]);

export type ExportRequest = z.output<typeof exportRequestSchema>;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export type ExportLanguage = (typeof EXPORT_LANGUAGES)[number];
