import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';

const { say } = validationTexts;

/** Largest file an import takes, counted after decoding. */
export const MAX_IMPORT_FILE_BYTES = 5 * 1024 * 1024;
/** The request body around it: base64 turns 5 MB into 6.7 MB, and JSON escaping adds a little. */
export const MAX_IMPORT_BODY_BYTES = 8 * 1024 * 1024;

export const IMPORT_ENTITIES = ['contacts', 'companies', 'deals'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** Fields a column can fill. Several columns may fill one field: "Фамилия" + "Имя", "Телефон" + "Телефон 2". */
export const CONTACT_IMPORT_FIELDS = ['name', 'phone', 'email', 'company', 'tags', 'region', 'source'] as const;
export const COMPANY_IMPORT_FIELDS = ['name', 'inn', 'address', 'website', 'phone', 'email', 'tags'] as const;
/** A deal row names the deal, and the person (name, phone, e-mail) and company (name, INN) it is with. */
export const DEAL_IMPORT_FIELDS = ['title', 'amount', 'currency', 'name', 'phone', 'email', 'company', 'inn'] as const;
export type ContactImportField = (typeof CONTACT_IMPORT_FIELDS)[number];
export type CompanyImportField = (typeof COMPANY_IMPORT_FIELDS)[number];
export type DealImportField = (typeof DEAL_IMPORT_FIELDS)[number];

/**
 * Column → field. A column is named by its header text (case and surrounding spaces ignored) or by
 * its 1-based number, for headers the API cannot take as keys (containing '.', starting with '$').
 */
const mappingOf = <const F extends readonly [string, ...string[]]>(fields: F) =>
  z
    .record(z.string().min(1).max(200), z.enum(fields))
    .refine((mapping) => Object.keys(mapping).length > 0, say('importMapSome'))
    .refine((mapping) => Object.keys(mapping).length <= 200, say('importMapMost'));

export const IMPORT_FORMATS = ['csv', 'xlsx'] as const;

const common = {
  format: z.enum(IMPORT_FORMATS),
  /** true: nothing is written; the report says what a real run would do. */
  dryRun: z.boolean().default(false),
  /**
   * 'base64' for a file read as bytes (a CSV in UTF-8 or Windows-1251, as old Excel saves it, or
   * an XLSX); 'text' for a CSV as a string. Unset: 'text' for CSV, 'base64' for XLSX (a binary
   * file has no text form, so XLSX with 'text' is refused).
   */
  encoding: z.enum(['text', 'base64']).optional(),
  /** The file (named `csv` since before XLSX was accepted; an XLSX goes here too, base64). */
  csv: z.string().min(1).max(MAX_IMPORT_BODY_BYTES),
};

export const importRequestSchema = z
  .discriminatedUnion('entity', [
    z.strictObject({ entity: z.literal('contacts'), mapping: mappingOf(CONTACT_IMPORT_FIELDS), ...common }),
    z.strictObject({ entity: z.literal('companies'), mapping: mappingOf(COMPANY_IMPORT_FIELDS), ...common }),
    z.strictObject({
      entity: z.literal('deals'),
      mapping: mappingOf(DEAL_IMPORT_FIELDS),
      /** Every deal of the file goes to this pipeline… */
      pipelineId: objectIdSchema,
      /** …at this open stage (its first open stage when unset), as POST /deals does. */
      stageId: stageIdSchema.optional(),
      ...common,
    }),
  ])
  .refine((request) => !(request.format === 'xlsx' && request.encoding === 'text'), {
    message: say('importXlsxBase64'),
    path: ['encoding'],
  });

/** `POST /imports/columns`: only the file, to read its header before choosing the mapping. */
export const importColumnsRequestSchema = z
  .strictObject({
    format: common.format,
    encoding: common.encoding,
    csv: common.csv,
  })
  .refine((request) => !(request.format === 'xlsx' && request.encoding === 'text'), {
    message: say('importXlsxBase64'),
    path: ['encoding'],
  });

export const importColumnsViewSchema = z.object({
  columns: z.array(z.string()),
  /** Rows with data, as an import would count them. */
  rowCount: z.number().int(),
  /** The cells of the first rows, to show what each column holds. */
  sample: z.array(z.array(z.string())),
});

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
