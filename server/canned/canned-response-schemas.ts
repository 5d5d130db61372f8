import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { objectIdSchema } from '../users/user-schemas.js';

const { say } = validationTexts;

export const CANNED_VISIBILITIES = ['personal', 'team', 'everyone'] as const;

/** What operators type after '/' in the reply box: letters, digits, '-' and '_'. */
const shortcutSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[\p{L}\p{N}_-]{1,40}$/u, say('shortcut'));

const textSchema = z
  .strictObject({
    ru: z.string().trim().min(1).max(5000).optional(),
    en: z.string().trim().min(1).max(5000).optional(),
  })
  .refine((text) => Boolean(text.ru || text.en), { message: say('cannedText') });

export const cannedResponseInputSchema = z
  .strictObject({
    shortcut: shortcutSchema,
    /** One text for every language, or one per language: `{ ru, en }`. */
    text: z.union([z.string().trim().min(1).max(5000), textSchema]),
    visibility: z.enum(CANNED_VISIBILITIES).default('personal'),
    /** Required with visibility 'team'. */
    teamId: objectIdSchema.optional(),
  })
  .refine((input) => (input.visibility === 'team') === Boolean(input.teamId), {
    message: say('cannedTeam'),
    path: ['teamId'],
  });

export const cannedResponseChangeSchema = z.strictObject({
  shortcut: shortcutSchema.optional(),
  text: z.union([z.string().trim().min(1).max(5000), textSchema]).optional(),
});

export const cannedRenderSchema = z.strictObject({
  conversationId: objectIdSchema,
  /** The language to answer in; the contact's own by default, then Russian. */
  language: z.enum(['ru', 'en']).optional(),
});

export const cannedResponseViewSchema = z.object({
  id: z.string(),
  shortcut: z.string(),
  text: z.object({ ru: z.string().optional(), en: z.string().optional() }),
  visibility: z.enum(CANNED_VISIBILITIES),
  teamId: z.string().optional(),
  ownerId: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CannedResponseInput = z.infer<typeof cannedResponseInputSchema>;
export type CannedResponseView = z.infer<typeof cannedResponseViewSchema>;

/** A single text serves both languages. */
export function toLanguages(text: string | { ru?: string; en?: string }): { ru?: string; en?: string } {
  return typeof text === 'string' ? { ru: text, en: text } : text;
}
