import { z } from 'zod';
import { objectIdSchema } from '../users/user-schemas.js';

/** Largest file an import takes, counted after decoding. */
export const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;
/** The request body around it: base64 turns 5 MB into 6.7 MB, and JSON escaping adds a little. */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;

export const IMPORT_ENTITIES = ['contacts', 'companies'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** Fields a column can fill. Several columns may fill one field: "Фамилия" + "Имя", "Телефон" + "Телефон 2". */
export const CONTACT_IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'region', 'source'] as const;
export const COMPANY_IMPORT_FIELDS = ['name', 'inn', 'address', 'website', 'phone', 'email', 'tags'] as const;
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];
export type CompanyImportField = (typeof COMPANY_IMPORT_FIELDS)[number];

/**
 * Column → field. A column is named by its header text (case and surrounding spaces ignored) or by
 * its 1-based number, for headers the API cannot take as keys (containing '.', starting with '$').
 */
const mappingOf = <const F extends readonly [string, ...string[]]>(fields: F) =>
  z
    .record(z.string().min(1).max(200), z.enum(fields))
    .refine((mapping) => Object.keys(mapping).length > 0, 'Map at least one column to a field')
    .refine((mapping) => Object.keys(mapping).length <= 200, 'At most 200 columns can be mapped');

const common = {
  format: z.literal('csv'),
  /** true: nothing is written; the report says what a real run would do. */
  dryRun: z.boolean().default(false),
  /** 'base64' for a file read as bytes (UTF-8 or Windows-1251, as old Excel saves it); 'text' for a string. */
  encoding: z.enum(['text', 'base64']).default('text'),
  csv: z.string().min(1).max(MAX_IMPORT_BODY_BYTES),
};

export const importRequestSchema = z.discriminatedUnion('entity', [
  z.strictObject({ entity: z.literal('contacts'), mapping: mappingOf(CONTACT_IMPORT_FIELDS), ...common }),
  z.strictObject({ entity: z.literal('companies'), mapping: mappingOf(COMPANY_IMPORT_FIELDS), ...common }),
]);

export const importIdParamsSchema = z.strictObject({ id: objectIdSchema });

export const importReportSchema = z.object({
  /** Rows with data (empty rows are skipped). */
  total: z.number().int(),
  created: z.number().int(),
  /** Rows that are records already in the CRM (or earlier rows of the same file). */
  matched: z.number().int(),
  /** The first 100 rejected rows by spreadsheet row number; all of them are in rejected.csv. */
  rejected: z.array(z.object({ row: z.number().int(), reason: z.string() })),
  rejectedCount: z.number().int(),
});

export const importJobViewSchema = z.object({
  id: z.string(),
  entity: z.enum(IMPORT_ENTITIES),
  dryRun: z.boolean(),
  status: z.enum(['running', 'done', 'failed']),
  processed: z.number().int(),
  total: z.number().int(),
  report: importReportSchema,
  error: z.string().optional(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});

export type ImportRequest = z.output<typeof importRequestSchema>;
export type ImportReport = z.infer<typeof importReportSchema>;
export type ImportJobView = z.infer<typeof importJobViewSchema>;
