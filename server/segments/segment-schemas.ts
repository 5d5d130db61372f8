import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { channelSchema } from '../contacts/contact-schemas.js';
import { EXPORT_FORMATS, EXPORT_LANGUAGES } from '../exports/export-schema.js';
import { MAX_IMPORT_BODY_BYTES } from '../imports/import-schemas.js';
import { SEGMENT_KINDS } from './segment-model.js';
import { segmentDefinitionSchema } from './segment-definition.js';

const { say } = validationTexts;

const nameSchema = z.string().trim().min(1).max(120);

/** `POST /segments`: a saved filter. */
export const segmentInputSchema = z.strictObject({ name: nameSchema, definition: segmentDefinitionSchema });

/** `PATCH /segments/:id`: a new name, or (filter segments) a new definition. */
export const segmentPatchSchema = z
  .strictObject({ name: nameSchema.optional(), definition: segmentDefinitionSchema.optional() })
  .refine((patch) => patch.name !== undefined || patch.definition !== undefined, say('segmentNameOrDefinition'));

/** `POST /segments/preview`: the builder's definition as it stands. */
export const segmentPreviewRequestSchema = z.strictObject({
  definition: segmentDefinitionSchema,
  limit: z.number().int().min(1).max(100).default(20),
});

/** `POST /segments/static`: a list from a CSV file, as the import takes it. */
export const staticSegmentRequestSchema = z.strictObject({
  name: nameSchema,
  /** The file: CSV text, or its bytes base64 (UTF-8 or Windows-1251) with encoding 'base64'. */
  csv: z.string().min(1).max(MAX_IMPORT_BODY_BYTES),
  encoding: z.enum(['text', 'base64']).optional(),
});

export const segmentExportQuerySchema = z.strictObject({
  format: z.enum(EXPORT_FORMATS).default('csv'),
  lang: z.enum(EXPORT_LANGUAGES).default('ru'),
});

export const segmentListQuerySchema = listQuerySchema.extend({ kind: z.enum(SEGMENT_KINDS).optional() });

export const segmentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(SEGMENT_KINDS),
  definition: segmentDefinitionSchema.optional(),
  memberCount: z.number().optional(),
  createdById: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type SegmentView = z.infer<typeof segmentViewSchema>;

/** GET /segments/:id adds how many contacts it reaches now. */
export const segmentDetailSchema = segmentViewSchema.extend({ count: z.number() });

export const segmentPreviewSchema = z.object({
  count: z.number(),
  rows: z.array(
    z.object({ id: z.string(), name: z.string(), channels: z.array(channelSchema), tags: z.array(z.string()) }),
  ),
});

export const staticSegmentResultSchema = z.object({
  segment: segmentViewSchema,
  matched: z.number(),
  unmatched: z.number(),
  invalidRows: z.array(z.object({ line: z.number(), reason: z.string() })),
});
