import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { customFieldValuesSchema } from '../custom-fields/custom-field-schemas.js';
import { emailSchema, languageSchema, objectIdSchema } from '../users/user-schemas.js';
import { normalizePhone } from './normalize-phone.js';
import { CHANNELS, identityKey, normalizeIdentityId } from './normalize-identity.js';

const { say, sayWith } = validationTexts;

export const channelSchema = z.enum(CHANNELS);

/** A phone as typed, kept beside its E.164 form: dedupe compares the latter, people read the former. */
export const phoneSchema = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .transform((raw, ctx) => {
    const e164 = normalizePhone(raw);
    if (e164) return { raw, e164 };
    ctx.addIssue({ code: 'custom', ...sayWith('phone', { value: raw }) });
    return z.NEVER;
  });

export const identitySchema = z
  .strictObject({
    channel: channelSchema,
    /** The company's own account on the channel (bot, business number, mailbox), when it has several. */
    accountId: z.string().trim().min(1).max(100).optional(),
    externalId: z.string().trim().min(1).max(200),
  })
  .transform((identity, ctx) => {
    const externalId = normalizeIdentityId(identity.channel, identity.externalId);
    if (!externalId) {
      ctx.addIssue({
        code: 'custom',
        ...sayWith('channelNumber', { channel: identity.channel, value: identity.externalId }),
      });
      return z.NEVER;
    }
    const normalized = { ...identity, externalId };
    return { ...normalized, key: identityKey(normalized) };
  });

const consentSchema = z.strictObject({
  status: z.enum(['opted-in', 'opted-out']),
  at: z.iso.datetime({ offset: true }).optional(),
});

const utmSchema = z.strictObject({
  source: z.string().trim().max(200).optional(),
  medium: z.string().trim().max(200).optional(),
  campaign: z.string().trim().max(200).optional(),
  term: z.string().trim().max(200).optional(),
  content: z.string().trim().max(200).optional(),
});

const tagSchema = z.string().trim().min(1).max(60);

const contactFields = {
  name: z.string().trim().max(200),
  phones: z.array(phoneSchema).max(20),
  emails: z.array(emailSchema).max(20),
  identities: z.array(identitySchema).max(50),
  companyId: objectIdSchema,
  ownerId: objectIdSchema,
  teamIds: z.array(objectIdSchema).max(50),
  /** Tags double as client groups ("VIP", "выставка 2024"). */
  tags: z.array(tagSchema).max(50),
  region: z.string().trim().max(120),
  customFields: customFieldValuesSchema,
  source: z.string().trim().max(120),
  utm: utmSchema,
  firstTouchAt: z.iso.datetime({ offset: true }),
  consent: z.partialRecord(channelSchema, consentSchema),
  language: languageSchema,
};

const contactInputShape = z.strictObject(contactFields).partial();

function identifiesSomeone(contact: {
  name?: string;
  phones?: unknown[];
  emails?: unknown[];
  identities?: unknown[];
}): boolean {
  return Boolean(contact.name) || [contact.phones, contact.emails, contact.identities].some((list) => list?.length);
}
const SOMEONE = { message: say('someone') };

/** What `findOrCreateContact` takes: any contact fields, at least one that identifies the person. */
export const contactInputSchema = contactInputShape.refine(identifiesSomeone, SOMEONE);

export const contactCreateSchema = contactInputShape
  .extend({
    /** 'reject' (default): a duplicate answers 409; 'return-existing': links the new keys to it and returns it. */
    onDuplicate: z.enum(['reject', 'return-existing']).optional(),
  })
  .refine(identifiesSomeone, SOMEONE);

/** Lists replace the stored list; `null` clears a single-valued field or a custom field. */
export const contactPatchSchema = z.strictObject({
  ...contactInputShape.shape,
  companyId: objectIdSchema.nullable().optional(),
  ownerId: objectIdSchema.nullable().optional(),
  region: contactFields.region.nullable().optional(),
  source: contactFields.source.nullable().optional(),
  language: languageSchema.nullable().optional(),
});

export const contactListQuerySchema = listQuerySchema.extend({
  tag: tagSchema.optional(),
  ownerId: objectIdSchema.optional(),
  companyId: objectIdSchema.optional(),
  teamId: objectIdSchema.optional(),
  source: z.string().trim().max(120).optional(),
});

export const mergeBodySchema = z.strictObject({ sourceId: objectIdSchema });

export const contactViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  phones: z.array(z.object({ raw: z.string(), e164: z.string() })),
  emails: z.array(z.string()),
  identities: z.array(z.object({ channel: channelSchema, accountId: z.string().optional(), externalId: z.string() })),
  companyId: z.string().optional(),
  ownerId: z.string().optional(),
  teamIds: z.array(z.string()),
  tags: z.array(z.string()),
  region: z.string().optional(),
  customFields: z.record(z.string(), z.unknown()),
  source: z.string().optional(),
  utm: utmSchema.optional(),
  firstTouchAt: z.string().optional(),
  consent: z.partialRecord(channelSchema, z.object({ status: z.enum(['opted-in', 'opted-out']), at: z.string() })),
  language: languageSchema.optional(),
  status: z.enum(['active', 'merged']),
  mergedInto: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type ContactInput = z.output<typeof contactInputSchema>;
export type ContactPatch = z.output<typeof contactPatchSchema>;
export type ContactListQuery = z.output<typeof contactListQuerySchema>;
export type ContactView = z.infer<typeof contactViewSchema>;
