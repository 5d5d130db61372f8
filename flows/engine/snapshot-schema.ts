import { z } from 'zod';
import { channelSchema, TASK_KINDS } from '../schema/primitive-schemas.js';

const isoDate = z.string().refine((value) => !Number.isNaN(Date.parse(value)), 'Expected an ISO date');
const fieldsSchema = z.record(z.string(), z.unknown());

/**
 * What the executor knows about the records an event concerns, as JSON (events cross queues).
 * Every property here is one a flow can read as `<root>.<property>`; extra ones pass through.
 */
export const contactSnapshotSchema = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  language: z.enum(['ru', 'en']).optional(),
  tags: z.array(z.string()).optional(),
  optedOut: z.boolean().optional(),
  ownerId: z.string().optional(),
  source: z.string().optional(),
  fields: fieldsSchema.optional(),
  createdAt: isoDate.optional(),
});

export const dealSnapshotSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  /** The pipeline's key (its systemKey), as flows name it. */
  pipeline: z.string().optional(),
  stage: z.string().optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  amount: z.number().optional(),
  currency: z.string().optional(),
  ownerId: z.string().optional(),
  lostReason: z.string().optional(),
  fields: fieldsSchema.optional(),
  stageEnteredAt: isoDate.optional(),
  createdAt: isoDate.optional(),
});

export const conversationSnapshotSchema = z.looseObject({
  id: z.string(),
  channel: channelSchema.optional(),
  assigneeId: z.string().optional(),
  /** Whether the bot still owns the conversation. */
  botActive: z.boolean().optional(),
  lastInboundAt: isoDate.optional(),
  lastOutboundAt: isoDate.optional(),
  /** When the executor knows better than lastInboundAt (e.g. a free-entry-point 72-hour window). */
  whatsappWindowOpen: z.boolean().optional(),
});

export const installmentSnapshotSchema = z.looseObject({
  n: z.number().int(),
  dueAt: isoDate,
  amount: z.number(),
  paid: z.number().optional(),
  remaining: z.number().optional(),
  state: z.enum(['paid', 'partly-paid', 'due', 'overdue']).optional(),
});

export const paymentSnapshotSchema = z.looseObject({
  amount: z.number(),
  paidAt: isoDate.optional(),
  method: z.string().optional(),
  installment: z.number().int().optional(),
  /** What is left to pay on the whole schedule after this payment. */
  remaining: z.number().optional(),
  /** What is overdue on the schedule after this payment. */
  overdue: z.number().optional(),
});

export const appointmentSnapshotSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  startsAt: isoDate,
  endsAt: isoDate.optional(),
  place: z.string().optional(),
  onlineUrl: z.string().optional(),
  managerId: z.string().optional(),
  status: z.string().optional(),
});

export const taskSnapshotSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  kind: z.enum(TASK_KINDS).optional(),
  dueAt: isoDate.optional(),
  assigneeId: z.string().optional(),
  done: z.boolean().optional(),
  result: z.string().optional(),
});

export const leadSnapshotSchema = z.looseObject({
  id: z.string().optional(),
  source: z.string().optional(),
  form: z.string().optional(),
  partner: z.string().optional(),
  values: fieldsSchema.optional(),
});

export const snapshotSchema = z.strictObject({
  contact: contactSnapshotSchema.optional(),
  deal: dealSnapshotSchema.optional(),
  conversation: conversationSnapshotSchema.optional(),
  installment: installmentSnapshotSchema.optional(),
  payment: paymentSnapshotSchema.optional(),
  appointment: appointmentSnapshotSchema.optional(),
  task: taskSnapshotSchema.optional(),
  lead: leadSnapshotSchema.optional(),
});

export type Snapshot = z.infer<typeof snapshotSchema>;
export type SnapshotRoot = keyof Snapshot;

/** Values the engine computes itself: `system.<name>`. */
export const SYSTEM_VALUES = [
  'now',
  'today',
  'time',
  'weekday',
  'channel',
  'businessHours',
  'whatsappWindowOpen',
] as const;

/** The properties a flow may read per root; roots not listed (vars, event, lead values) are free-form. */
export const KNOWN_PROPERTIES: Partial<Record<string, readonly string[]>> = {
  contact: Object.keys(contactSnapshotSchema.shape),
  deal: Object.keys(dealSnapshotSchema.shape),
  conversation: Object.keys(conversationSnapshotSchema.shape),
  installment: Object.keys(installmentSnapshotSchema.shape),
  payment: Object.keys(paymentSnapshotSchema.shape),
  appointment: Object.keys(appointmentSnapshotSchema.shape),
  task: Object.keys(taskSnapshotSchema.shape),
  system: SYSTEM_VALUES,
};
