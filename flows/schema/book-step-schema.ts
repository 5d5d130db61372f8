import { z } from 'zod';
import { assigneeSchema } from './assignee-schema.js';
import { flowFileTexts } from './flow-file-texts.js';
import {
  channelSchema,
  durationSchema,
  idSchema,
  localizedTextSchema,
  TASK_KINDS,
  writablePathSchema,
} from './primitive-schemas.js';

const { say } = flowFileTexts;

/** Where the meeting happens: at the office (`place` is its address), online (`onlineUrl`), or at the client's. */
export const MEETING_FORMATS = ['office', 'online', 'visit'] as const;

/**
 * Books a consultation in a manager's calendar from the chat: free slots of the managers named by
 * `with` (their working hours minus their appointments) are offered as buttons, the client picks
 * one (or types "завтра в 15"), it is booked atomically and confirmed with "Reschedule" and
 * "Cancel" buttons; reminders go out before it. When the slot was just taken the next ones are
 * offered. The run goes on once the appointment is booked.
 */
export const bookStepSchema = z
  .strictObject({
    type: z.literal('book'),
    id: idSchema,
    next: idSchema.optional(),
    /** Whose calendars: a role (all its active users), a team (all members), the owner or one user. */
    with: assigneeSchema.default({ type: 'role', role: 'manager' }),
    /** What is booked, e.g. "Бесплатный замер": the appointment's and the manager's task's title. */
    title: localizedTextSchema,
    /** The kind of the manager's task. */
    kind: z.enum(TASK_KINDS).default('meeting'),
    format: z.enum(MEETING_FORMATS).default('office'),
    /** The office's address (format office) or a note on the place. */
    place: localizedTextSchema.optional(),
    onlineUrl: z.url({ protocol: /^https?$/, error: say('httpLink') }).optional(),
    duration: durationSchema.default('1h'),
    /** How many days ahead slots are searched, today included. */
    days: z.number().int().min(1).max(60).default(7),
    /** How many days with free slots are offered at once, and how many slots of each. */
    offerDays: z.number().int().min(1).max(5).default(3),
    perDay: z.number().int().min(1).max(5).default(3),
    /** The first slot starts at least this long after the offer. */
    minNotice: durationSchema.default('2h'),
    /** Reminders to the client before the start. */
    reminders: z.array(durationSchema).max(5).default(['1d', '1h']),
    /** The offer, e.g. "Выберите удобное время"; the slots come as buttons. */
    text: localizedTextSchema.optional(),
    /** Said before the date, time and place of the booked meeting. */
    confirmText: localizedTextSchema.optional(),
    /** When the chosen time was just taken (the next slots follow). */
    takenText: localizedTextSchema.optional(),
    /** When no manager has a free slot in `days`. */
    noSlotsText: localizedTextSchema.optional(),
    /** Where to write the booked start (an ISO date-time), e.g. deal.fields.measurement_at. */
    saveTo: writablePathSchema.optional(),
    /** How long to wait for a choice. */
    timeout: durationSchema.optional(),
    /** Where to go when nothing was chosen in time; `next` when left out. */
    onTimeout: idSchema.optional(),
    /** Where to go when there are no free slots; `next` when left out. */
    onNoSlots: idSchema.optional(),
    channel: z.union([z.literal('conversation'), channelSchema]).default('conversation'),
  })
  .superRefine((step, ctx) => {
    if (step.format === 'online' && !step.onlineUrl)
      ctx.addIssue({ code: 'custom', message: say('onlineNeedsUrl'), path: ['onlineUrl'] });
    if (step.onTimeout && !step.timeout)
      ctx.addIssue({ code: 'custom', message: say('onTimeoutNeedsTimeout'), path: ['onTimeout'] });
  });

export type BookStep = z.infer<typeof bookStepSchema>;
export type MeetingFormat = (typeof MEETING_FORMATS)[number];
