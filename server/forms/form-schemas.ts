import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { customFieldKeySchema } from '../custom-fields/custom-field-schemas.js';
import { stageIdSchema } from '../pipelines/pipeline-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { DEFAULT_SUBMIT_LABEL, DEFAULT_THANK_YOU } from './form-texts.js';

const { say, sayWith } = validationTexts;

/** The trap field: hidden from people by the embed script, filled in by bots that fill everything. */
export const HONEYPOT_FIELD = 'website';

/** Names a submission uses besides the form's own fields: what the page tells about the visit. */
export const SUBMISSION_META_FIELDS = [
  'submission_id',
  'language',
  'referrer',
  'landing_page',
  'utm_source',
  'utm_medium',
  'utm_campaign',
  'utm_term',
  'utm_content',
] as const;

const RESERVED_KEYS = new Set<string>([HONEYPOT_FIELD, ...SUBMISSION_META_FIELDS]);

export const FORM_FIELD_TYPES = ['text', 'phone', 'email', 'textarea', 'select'] as const;
export type FormFieldType = (typeof FORM_FIELD_TYPES)[number];

/** Longest answer per field type, in characters. */
export const MAX_ANSWER_LENGTH: Record<FormFieldType, number> = {
  text: 300,
  phone: 40,
  email: 254,
  textarea: 5000,
  select: 100,
};

const labelSchema = z.strictObject({
  ru: z.string().trim().min(1).max(200),
  en: z.string().trim().min(1).max(200).optional(),
});

const optionSchema = z.strictObject({ value: z.string().trim().min(1).max(100), label: labelSchema });

/** Where an answer goes besides the lead itself: a contact field or a deal field. */
export const fieldMappingSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('contact-name') }),
  z.strictObject({ type: z.literal('contact-phone') }),
  z.strictObject({ type: z.literal('contact-email') }),
  z.strictObject({ type: z.literal('contact-custom'), key: customFieldKeySchema }),
  z.strictObject({ type: z.literal('deal-title') }),
  z.strictObject({ type: z.literal('deal-amount') }),
  z.strictObject({ type: z.literal('deal-custom'), key: customFieldKeySchema }),
]);
export type FieldMapping = z.infer<typeof fieldMappingSchema>;

export const formFieldSchema = z
  .strictObject({
    key: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, say('fieldKey'))
      .refine((key) => !RESERVED_KEYS.has(key), say('formFieldReserved')),
    label: labelSchema,
    type: z.enum(FORM_FIELD_TYPES),
    required: z.boolean().default(false),
    options: z.array(optionSchema).min(1).max(100).optional(),
    /** Unmapped answers stay on the lead (and so on the contact's timeline) only. */
    mapTo: fieldMappingSchema.optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type === 'select' && !field.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: say('selectNeedsOptions') });
    if (field.type !== 'select' && field.options)
      ctx.addIssue({ code: 'custom', path: ['options'], message: say('onlySelectOptions') });
    if (field.options && new Set(field.options.map((o) => o.value)).size !== field.options.length)
      ctx.addIssue({ code: 'custom', path: ['options'], message: say('optionsUnique') });
    const target = field.mapTo?.type;
    const wanted = target === 'contact-phone' ? 'phone' : target === 'contact-email' ? 'email' : undefined;
    if (wanted && field.type !== wanted)
      ctx.addIssue({
        code: 'custom',
        path: ['mapTo'],
        message: say(wanted === 'phone' ? 'formPhoneField' : 'formEmailField'),
      });
    if (field.mapTo?.type === 'deal-amount' && field.type !== 'text')
      ctx.addIssue({ code: 'custom', path: ['mapTo'], message: say('formAmountField') });
  });
export type FormField = z.output<typeof formFieldSchema>;

/** One mapping target is filled by one field at most; a custom field is named by its key. */
const targetOf = (mapping: FieldMapping) =>
  mapping.type === 'contact-custom' || mapping.type === 'deal-custom' ? `${mapping.type}:${mapping.key}` : mapping.type;

const fieldsSchema = z
  .array(formFieldSchema)
  .min(1, say('formFieldsSome'))
  .max(30, say('formFieldsMost'))
  .superRefine((fields, ctx) => {
    const keys = fields.map((field) => field.key);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', message: say('formKeysUnique') });
    const targets = fields.flatMap((field) => (field.mapTo ? [targetOf(field.mapTo)] : []));
    const twice = targets.filter((target, i) => targets.indexOf(target) !== i);
    if (twice.length > 0)
      ctx.addIssue({
        code: 'custom',
        ...sayWith('formTargetTwice', { targets: [...new Set(twice)].join(', ') }),
      });
    const reachable = fields.some((f) => f.mapTo?.type === 'contact-phone' || f.mapTo?.type === 'contact-email');
    if (!reachable)
      ctx.addIssue({
        code: 'custom',
        message: say('formReachable'),
      });
  });

/** `https://Shop.Example/catalog` → `https://shop.example`: a browser's Origin header is compared with this. */
const originSchema = z
  .string()
  .trim()
  .min(1)
  .max(300)
  .transform((value, ctx) => {
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
      ctx.addIssue({ code: 'custom', ...sayWith('formSite', { value }) });
      return z.NEVER;
    }
    return url.origin;
  });

const textsSchema = (defaults: { ru: string; en: string }, max: number) =>
  z
    .strictObject({
      ru: z.string().trim().min(1).max(max).default(defaults.ru),
      en: z.string().trim().min(1).max(max).default(defaults.en),
    })
    .default(defaults);

const formShape = {
  name: z.string().trim().min(1).max(100),
  fields: fieldsSchema,
  /** The deal starts here: the stage given, else the pipeline's first open stage. */
  pipelineId: objectIdSchema,
  stageId: stageIdSchema.optional(),
  /** Who gets the deals (and new contacts); the form's author unless named. */
  ownerId: objectIdSchema.optional(),
  thankYou: textsSchema(DEFAULT_THANK_YOU, 1000),
  submitLabel: textsSchema(DEFAULT_SUBMIT_LABEL, 60),
  /** The sites the form runs on: a browser elsewhere is refused. */
  allowedOrigins: z
    .array(originSchema)
    .min(1, say('formSitesSome'))
    .max(20, say('formSitesMost'))
    .transform((origins) => [...new Set(origins)]),
  active: z.boolean().default(true),
};

export const formInputSchema = z.strictObject(formShape);
export type FormInput = z.output<typeof formInputSchema>;

const textsPatchSchema = (max: number) =>
  z.strictObject({ ru: z.string().trim().min(1).max(max), en: z.string().trim().min(1).max(max) }).partial();

/**
 * Given properties replace the stored ones (`fields` as a whole list; `thankYou` and `submitLabel`
 * per language); `stageId: null` goes back to the pipeline's first open stage.
 */
export const formPatchSchema = z.strictObject({
  name: formShape.name.optional(),
  fields: fieldsSchema.optional(),
  pipelineId: objectIdSchema.optional(),
  stageId: stageIdSchema.nullable().optional(),
  ownerId: objectIdSchema.optional(),
  thankYou: textsPatchSchema(1000).optional(),
  submitLabel: textsPatchSchema(60).optional(),
  allowedOrigins: formShape.allowedOrigins.optional(),
  active: z.boolean().optional(),
});
export type FormPatch = z.output<typeof formPatchSchema>;

export const formIdParamsSchema = z.strictObject({ id: objectIdSchema });
export const formListQuerySchema = listQuerySchema;

const bilingualView = z.object({ ru: z.string(), en: z.string() });

export const formViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  fields: z.array(
    z.object({
      key: z.string(),
      label: z.object({ ru: z.string(), en: z.string().optional() }),
      type: z.enum(FORM_FIELD_TYPES),
      required: z.boolean(),
      options: z.array(optionSchema).optional(),
      mapTo: fieldMappingSchema.optional(),
    }),
  ),
  pipelineId: z.string(),
  stageId: z.string().optional(),
  ownerId: z.string(),
  thankYou: bilingualView,
  submitLabel: bilingualView,
  allowedOrigins: z.array(z.string()),
  active: z.boolean(),
  /** Where a site posts submissions (JSON or an HTML form). */
  submitUrl: z.string(),
  embedUrl: z.string(),
  /** HTML to paste into a site page where the form should appear. */
  snippet: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type FormView = z.infer<typeof formViewSchema>;

/**
 * A submission as a site sends it, JSON or an HTML form alike: one flat map of names to values
 * (the form's field keys, the honeypot, and SUBMISSION_META_FIELDS). Other names (a CMS's own
 * hidden inputs) are ignored rather than refused, so a lead is not lost to them.
 */
export const submissionBodySchema = z
  .record(z.string().max(100), z.union([z.string().max(10_000), z.array(z.string().max(10_000)).max(20)]))
  .refine((body) => Object.keys(body).length <= 100, say('submissionFieldsMost'));
export type SubmissionBody = z.output<typeof submissionBodySchema>;
