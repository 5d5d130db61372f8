import { z } from 'zod';
import { channelSchema, durationSchema, TASK_KINDS } from '../schema/primitive-schemas.js';
import { parsedAnswerSchema } from './parse-answer.js';
import { appointmentSnapshotSchema, snapshotSchema } from './snapshot-schema.js';

/** Whom an event is about; a run belongs to the contact or, for `runsPer: deal`, to the deal. */
export const subjectSchema = z.strictObject({
  contactId: z.string().min(1),
  dealId: z.string().min(1).optional(),
  conversationId: z.string().min(1).optional(),
});

/**
 * Every event carries its subject and, optionally, a fresh snapshot of the records it concerns
 * (the executor reads them right before calling the engine, so conditions see current values).
 * `id` lets the executor drop a redelivered event.
 */
const base = { id: z.string().optional(), subject: subjectSchema, snapshot: snapshotSchema.optional() };
const stageRef = z.strictObject({ pipeline: z.string(), stage: z.string() });

export const flowEventSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...base,
    type: z.literal('message.received'),
    channel: channelSchema,
    text: z.string().default(''),
    /** The id of the button the client pressed. */
    buttonId: z.string().optional(),
    /** Telegram `/start <payload>`; parsed from the text when not given. */
    startPayload: z.string().optional(),
    /** The contact's first message in this conversation. */
    first: z.boolean().default(false),
    /**
     * The answer to the ask step the run waits on, as the executor's AnswerParser read it (set per
     * run, never by the intake); without it the engine parses the text with the built-in parser.
     */
    answer: parsedAnswerSchema.optional(),
    /**
     * Answers to the flow's other open ask steps found in the same message, by step id (set per
     * run by the executor's AnswerParser.findAnswers); the engine saves them where the steps say.
     */
    found: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    /**
     * The bot answered the message itself (a question from the knowledge base): a waiting ask step
     * asks its question again instead of reading an answer, and no retry is counted; a waiting book
     * step offers its slots again instead of reading a choice.
     */
    answered: z.boolean().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('message.sent'),
    channel: channelSchema,
    by: z.enum(['operator', 'bot']),
  }),
  z.strictObject({
    ...base,
    type: z.literal('stage.entered'),
    ...stageRef.shape,
    from: stageRef.optional(),
    /** The deal was already in the stage when the flow was switched on. */
    existing: z.boolean().default(false),
  }),
  z.strictObject({ ...base, type: z.literal('stage.left'), ...stageRef.shape, to: stageRef.optional() }),
  z.strictObject({
    ...base,
    type: z.literal('field.changed'),
    field: z.string(),
    from: z.unknown().optional(),
    to: z.unknown().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('form.submitted'),
    form: z.string(),
    values: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({ ...base, type: z.literal('lead.created'), source: z.string() }),
  z.strictObject({ ...base, type: z.literal('payment.received') }),
  z.strictObject({ ...base, type: z.literal('payment.overdue') }),
  /** A date trigger's moment came; carries the trigger's parameters (see timedTriggerKey). */
  z.strictObject({
    ...base,
    type: z.literal('date.reached'),
    field: z.string(),
    before: durationSchema.optional(),
    after: durationSchema.optional(),
    at: z.string().optional(),
  }),
  z.strictObject({
    ...base,
    type: z.literal('task.overdue'),
    taskId: z.string(),
    kind: z.enum(TASK_KINDS).default('other'),
  }),
  z.strictObject({
    ...base,
    type: z.literal('task.completed'),
    taskId: z.string(),
    kind: z.enum(TASK_KINDS).default('other'),
  }),
  z.strictObject({
    ...base,
    type: z.literal('noReply'),
    waiting: z.enum(['client', 'operator']),
    after: durationSchema,
  }),
  z.strictObject({ ...base, type: z.literal('appointment.upcoming'), before: durationSchema }),
  z.strictObject({
    ...base,
    type: z.literal('manual'),
    /** The flow to enroll into: a manual event concerns that flow only. */
    flowId: z.string(),
    /** The user who started it (allowed when the flow has a manual trigger). */
    by: z.string().optional(),
    /** The flow whose enroll step started it (always allowed). */
    fromFlow: z.string().optional(),
    /** The follow-up campaign that enrolled the subject (server/campaigns); its run keeps it. */
    campaignId: z.string().optional(),
  }),
  z.strictObject({ ...base, type: z.literal('webhook'), key: z.string(), body: z.unknown().optional() }),
  z.strictObject({ ...base, type: z.literal('conversation.takenOver'), by: z.string().optional() }),
  z.strictObject({ ...base, type: z.literal('contact.optedOut') }),
  /** A book step's slot was booked (the executor sends it after its bookSlot effect). */
  z.strictObject({
    ...base,
    type: z.literal('appointment.booked'),
    /** The book step that asked for it. */
    stepId: z.string(),
    appointment: appointmentSnapshotSchema,
  }),
  /** A book step found no free slot to offer. */
  z.strictObject({ ...base, type: z.literal('booking.noSlots'), stepId: z.string() }),
  /** A wait the run scheduled (scheduleWait) is due; the executor sends it with the wait's id. */
  z.strictObject({ type: z.literal('wait.elapsed'), waitId: z.string(), snapshot: snapshotSchema.optional() }),
]);

export type FlowEvent = z.infer<typeof flowEventSchema>;
export type FlowEventInput = z.input<typeof flowEventSchema>;
export type FlowEventType = FlowEvent['type'];
export type DomainFlowEvent = Exclude<FlowEvent, { type: 'wait.elapsed' }>;
