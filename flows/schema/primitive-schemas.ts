import { z } from 'zod';
import { flowFileTexts } from './flow-file-texts.js';

const { say } = flowFileTexts;

/**
 * Ids of flows, steps, stages, teams and lost reasons. Same rule as the stored stage ids
 * (server/pipelines/pipeline-schema.ts), so a template's stage ids are valid ids there; dots and
 * colons are excluded because wait ids built from them become BullMQ job ids, which reject ':'.
 */
export const idSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, say('idFormat'));

/** Weeks, days, hours, minutes, seconds in this order, each optional: 30m, 2h, 3d, 1w, 1d12h. */
export const DURATION_PATTERN = /^(?=\d)(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const durationSchema = z.string().regex(DURATION_PATTERN, say('durationFormat'));

export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, say('clockTimeFormat'));

/** Where a value lives: a record (contact, deal, …), the run's own variables, the event or the system. */
export const PATH_ROOTS = [
  'contact',
  'deal',
  'conversation',
  'installment',
  'payment',
  'appointment',
  'task',
  'lead',
  'vars',
  'event',
  'system',
] as const;
export type PathRoot = (typeof PATH_ROOTS)[number];

export const PATH_PATTERN = new RegExp(`^(${PATH_ROOTS.join('|')})(\\.[A-Za-z_][A-Za-z0-9_]*)+$`);

export const pathSchema = z.string().regex(PATH_PATTERN, say('pathFormat'));

/** Paths a flow may write: the contact's and the deal's fields and the run's variables. */
export const writablePathSchema = z
  .string()
  .regex(/^(contact|deal|vars)(\.[A-Za-z_][A-Za-z0-9_]*)+$/, say('writablePath'));

const textSchema = z.string().trim().min(1, say('notEmpty')).max(4096);

/** Russian first (the product's demo language), English optional. */
export const localizedTextSchema = z.strictObject({ ru: textSchema, en: textSchema.optional() });
export type LocalizedText = z.infer<typeof localizedTextSchema>;

export const nameSchema = z.strictObject({
  ru: z.string().trim().min(1, say('notEmpty')).max(100),
  en: z.string().trim().min(1, say('notEmpty')).max(100).optional(),
});

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, say('timeZone'));

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export const weekdaySchema = z.number().int().min(1).max(7);

export const CHANNELS = ['telegram', 'whatsapp', 'webchat', 'email', 'sms', 'vk'] as const;
export const channelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof channelSchema>;

export const ROLES = ['admin', 'manager', 'operator', 'marketer'] as const;
export const TASK_KINDS = ['call', 'meeting', 'measurement', 'other'] as const;

/** A plain value in a condition or a field: text, number, yes/no or nothing. */
export const scalarSchema = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type Scalar = z.infer<typeof scalarSchema>;

/** Any JSON value: what setField writes and webhooks send. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };
export const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([scalarSchema, z.array(jsonSchema), z.record(z.string(), jsonSchema)]),
);

export function isValidRegex(source: string): boolean {
  try {
    new RegExp(source, 'iu');
    return true;
  } catch {
    return false;
  }
}
