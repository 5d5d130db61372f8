import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { ROLES } from '../auth/permissions.js';

const { say } = validationTexts;

/** Lower-cased and trimmed, so one person cannot end up with two accounts by typing a capital. */
export const emailSchema = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email(say('email')));

/** What the API accepts as a new password; the demo seed writes shorter ones directly. */
export const passwordSchema = z.string().min(8, say('passwordLength')).max(256);

export const objectIdSchema = z.string().regex(/^[0-9a-f]{24}$/, say('objectId'));

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().max(64).refine(isTimeZone, say('timeZone'));

const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, say('clockTime'));

/** One working interval on an ISO weekday (1 = Monday … 7 = Sunday), in the user's time zone. */
export const workingHoursSchema = z
  .array(
    z
      .strictObject({ weekday: z.number().int().min(1).max(7), from: clockTime, to: clockTime })
      .refine((interval) => interval.from < interval.to, say('intervalOrder')),
  )
  .max(21);

export const roleSchema = z.enum(ROLES);
export const languageSchema = z.enum(['ru', 'en']);

export const newUserSchema = z.strictObject({
  name: z.string().trim().min(1).max(120),
  email: emailSchema,
  password: passwordSchema,
  role: roleSchema,
  teamIds: z.array(objectIdSchema).max(50).optional(),
  active: z.boolean().optional(),
  workingHours: workingHoursSchema.optional(),
  timeZone: timeZoneSchema.optional(),
  language: languageSchema.optional(),
});

export const userPatchSchema = newUserSchema.partial();

export const publicUserSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string(),
  role: roleSchema,
  teamIds: z.array(z.string()),
  active: z.boolean(),
  workingHours: workingHoursSchema,
  timeZone: z.string(),
  language: languageSchema,
  createdAt: z.string(),
});

export type PublicUser = z.infer<typeof publicUserSchema>;
