import { z } from 'zod';
import { validationTexts } from '../api/validation-texts.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { CONVERSATION_HANDLERS, CONVERSATION_PRIORITIES, CONVERSATION_STATUSES } from './conversation-model.js';

const { say } = validationTexts;

/** A label as stored: trimmed and lower-cased, so 'VIP' and 'vip ' are one label. */
export const labelSchema = z.string().trim().toLowerCase().min(1).max(50);

/** What an operator may change on a conversation; every field is optional, null clears. */
export const conversationChangeSchema = z
  .strictObject({
    status: z.enum(CONVERSATION_STATUSES).optional(),
    /** Required with status 'snoozed': when it opens again by itself. */
    snoozedUntil: z.iso.datetime({ offset: true }).optional(),
    priority: z.enum(CONVERSATION_PRIORITIES).optional(),
    addLabels: z.array(labelSchema).max(20).optional(),
    removeLabels: z.array(labelSchema).max(20).optional(),
    /** A user who may see the conversation; null leaves it unassigned. */
    assigneeId: objectIdSchema.nullable().optional(),
    /** The one team that works it; null takes it out of every team's queue. */
    teamId: objectIdSchema.nullable().optional(),
    /** 'bot' hands the conversation back to the front-door bot; 'human' takes it over without a reply. */
    handler: z.enum(CONVERSATION_HANDLERS).optional(),
  })
  .refine((change) => (change.status === 'snoozed') === (change.snoozedUntil !== undefined), {
    message: say('snoozedUntil'),
    path: ['snoozedUntil'],
  });

export type ConversationChange = z.infer<typeof conversationChangeSchema>;
