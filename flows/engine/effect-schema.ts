import { z } from 'zod';
import { assigneeSchema } from '../schema/assignee-schema.js';
import { MEETING_FORMATS } from '../schema/book-step-schema.js';
import { channelSchema, nameSchema, TASK_KINDS } from '../schema/primitive-schemas.js';
import { subjectSchema } from './flow-event-schema.js';
import { WAIT_KINDS } from './run-state-schema.js';

const isoDate = z.iso.datetime({ offset: true });

/**
 * `id` is deterministic (run id, step id, a counter): the executor uses it as the idempotency key
 * (outbound message key, task external id, job id), so replaying a step never doubles an effect.
 * `stepId` says which step asked for it.
 */
const base = { id: z.string(), stepId: z.string() };

/** The step's per-channel hints with their texts rendered in the client's language. */
export const renderedHintsSchema = z.strictObject({
  telegram: z
    .strictObject({
      parseMode: z.enum(['HTML', 'MarkdownV2']).optional(),
      disablePreview: z.boolean().optional(),
      buttonsPerRow: z.number().int().optional(),
    })
    .optional(),
  whatsapp: z.strictObject({ asList: z.boolean().optional(), listTitle: z.string().optional() }).optional(),
  email: z.strictObject({ subject: z.string() }).optional(),
  sms: z.strictObject({ text: z.string() }).optional(),
});

/** What a book step books, resolved for the executor (texts rendered in the client's language). */
export const bookingSpecSchema = z.strictObject({
  calendar: assigneeSchema,
  title: z.string(),
  kind: z.enum(TASK_KINDS),
  format: z.enum(MEETING_FORMATS),
  place: z.string().optional(),
  onlineUrl: z.string().optional(),
  durationMinutes: z.number().int().min(5),
  days: z.number().int().min(1),
  offerDays: z.number().int().min(1),
  perDay: z.number().int().min(1),
  minNoticeMinutes: z.number().int().min(0),
  reminderMinutes: z.array(z.number().int().min(0)),
  /** The zone times are shown in (the flow's). */
  timeZone: z.string(),
  texts: z.strictObject({
    offer: z.string().optional(),
    confirm: z.string().optional(),
    taken: z.string().optional(),
    noSlots: z.string().optional(),
  }),
});
export type BookingSpec = z.infer<typeof bookingSpecSchema>;

/** Who the booking is for and where the chat is. */
const bookingTarget = {
  contactId: z.string(),
  conversationId: z.string().optional(),
  dealId: z.string().optional(),
  channel: z.union([channelSchema, z.literal('preferred')]),
  language: z.enum(['ru', 'en']),
  booking: bookingSpecSchema,
};

export const effectSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('sendMessage'),
    contactId: z.string(),
    conversationId: z.string().optional(),
    /** `preferred`: the channel the contact last wrote from. */
    channel: z.union([channelSchema, z.literal('preferred')]),
    language: z.enum(['ru', 'en']),
    purpose: z.enum(['message', 'question', 'retry', 'reminder', 'handoff']),
    text: z.string(),
    buttons: z.array(z.strictObject({ id: z.string().optional(), text: z.string(), url: z.string().optional() })),
    render: renderedHintsSchema.optional(),
    /** Rendered; to be sent instead of the text when the WhatsApp window is closed at send time. */
    whatsappTemplate: z
      .strictObject({ name: z.string(), language: z.string(), params: z.array(z.string()) })
      .optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('createTask'),
    title: z.string(),
    description: z.string().optional(),
    kind: z.enum(TASK_KINDS),
    assignee: assigneeSchema,
    dueAt: isoDate.optional(),
    contactId: z.string(),
    dealId: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('moveStage'),
    dealId: z.string(),
    /** The deal's own pipeline when absent. */
    pipeline: z.string().optional(),
    stage: z.string(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('copyDeal'),
    dealId: z.string(),
    pipeline: z.string(),
    stage: z.string().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('markWon'), dealId: z.string() }),
  z.strictObject({
    ...base,
    type: z.literal('markLost'),
    dealId: z.string(),
    reason: z.string(),
    /** The reason's name (stored deals keep the text). */
    reasonName: nameSchema,
  }),
  z.strictObject({
    ...base,
    type: z.literal('setField'),
    entity: z.enum(['contact', 'deal']),
    recordId: z.string(),
    /** Below the record: `name`, `phone`, `fields.budget`, … */
    field: z.string(),
    value: z.unknown(),
  }),
  z.strictObject({ ...base, type: z.literal('addTags'), contactId: z.string(), tags: z.array(z.string()) }),
  z.strictObject({ ...base, type: z.literal('removeTags'), contactId: z.string(), tags: z.array(z.string()) }),
  z.strictObject({
    ...base,
    type: z.literal('assign'),
    target: z.enum(['conversation', 'deal', 'both']),
    assignee: assigneeSchema,
    contactId: z.string(),
    conversationId: z.string().optional(),
    dealId: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('handoff'),
    contactId: z.string(),
    conversationId: z.string().optional(),
    assignee: assigneeSchema.optional(),
    note: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('notify'),
    to: assigneeSchema,
    text: z.string(),
    contactId: z.string(),
    dealId: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('callWebhook'),
    url: z.string(),
    method: z.enum(['POST', 'PUT', 'PATCH', 'GET']),
    headers: z.record(z.string(), z.string()),
    body: z.unknown().optional(),
  }),
  /** Offer the free slots as buttons, or say there are none and send `booking.noSlots`. */
  z.strictObject({ ...base, type: z.literal('offerSlots'), ...bookingTarget }),
  /**
   * Book the time the client chose (a slot button or a typed time), atomically; confirm it and send
   * `appointment.booked`, or offer the next slots when it was taken (the slots again when the
   * answer named no time).
   */
  z.strictObject({
    ...base,
    type: z.literal('bookSlot'),
    ...bookingTarget,
    choice: z.strictObject({ text: z.string(), buttonId: z.string().optional() }),
  }),
  z.strictObject({ ...base, type: z.literal('enroll'), flowId: z.string(), subject: subjectSchema }),
  z.strictObject({ ...base, type: z.literal('unenroll'), flowId: z.string(), subject: subjectSchema }),
  /** Deliver `wait.elapsed` with this id at `at` (a delayed job whose job id is `id`). */
  z.strictObject({ ...base, type: z.literal('scheduleWait'), kind: z.enum(WAIT_KINDS), at: isoDate }),
  /** Drop the delayed job of the wait `waitId` (a no-op when it already ran); `id` is this cancel's own. */
  z.strictObject({ ...base, type: z.literal('cancelWait'), waitId: z.string() }),
]);

export type Effect = z.infer<typeof effectSchema>;
export type EffectType = Effect['type'];
export type EffectOf<T extends EffectType> = Extract<Effect, { type: T }>;
