import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';

const { say } = validationTexts;

export const CUSTOM_FIELD_ENTITIES = ['contact', 'company', 'deal'] as const;
export const CUSTOM_FIELD_TYPES = ['text', 'number', 'date', 'select', 'multiselect', 'boolean'] as const;

export const customFieldEntitySchema = z.enum(CUSTOM_FIELD_ENTITIES);
export type CustomFieldEntity = z.infer<typeof customFieldEntitySchema>;
export type CustomFieldType = (typeof CUSTOM_FIELD_TYPES)[number];

/** Keys become field names inside records, so they are plain identifiers (never '$…' or dotted). */
export const customFieldKeySchema = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, say('fieldKey'));

/** What a record may carry under `customFields`; the definitions decide which of these fit a key. */
export const customFieldValueSchema = z.union([
  z.string().max(5000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(100),
  z.null(),
]);

export const customFieldValuesSchema = z.record(customFieldKeySchema, customFieldValueSchema);
export type CustomFieldValues = z.infer<typeof customFieldValuesSchema>;

const labelSchema = z.strictObject({
  ru: z.string().trim().min(1).max(120),
  en: z.string().trim().min(1).max(120).optional(),
});

const optionSchema = z.strictObject({
  value: z.string().trim().min(1).max(100),
  label: labelSchema,
});

const optionsSchema = z
  .array(optionSchema)
  .max(200)
  .refine((options) => new Set(options.map((o) => o.value)).size === options.length, say('optionsUnique'));

export const customFieldInputSchema = z
  .strictObject({
    entity: customFieldEntitySchema,
    key: customFieldKeySchema,
    label: labelSchema,
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: optionsSchema.optional(),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((field) => !isChoice(field.type) || (field.options?.length ?? 0) > 0, {
    message: say('choiceNeedsOptions'),
    path: ['options'],
  })
  .refine((field) => isChoice(field.type) || field.options === undefined, {
    message: say('onlyChoiceOptions'),
    path: ['options'],
  });

/** Entity, key and type stay fixed: stored values were written for them. */
export const customFieldPatchSchema = z.strictObject({
  label: labelSchema.optional(),
  options: optionsSchema.optional(),
  position: z.number().int().min(0).max(10_000).optional(),
});

export const customFieldListQuerySchema = z.strictObject({ entity: customFieldEntitySchema.optional() });

export const customFieldViewSchema = z.object({
  id: z.string(),
  entity: customFieldEntitySchema,
  key: z.string(),
  label: labelSchema,
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(optionSchema),
  position: z.number(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CustomFieldInput = z.infer<typeof customFieldInputSchema>;
export type CustomFieldPatch = z.infer<typeof customFieldPatchSchema>;
export type CustomFieldView = z.infer<typeof customFieldViewSchema>;

export function isChoice(type: CustomFieldType): boolean {
  return type === 'select' || type === 'multiselect';
}
