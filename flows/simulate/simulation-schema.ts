import { z } from 'zod';
import { channelSchema, TASK_KINDS } from '../schema/primitive-schemas.js';

const at = z.iso.datetime({
  offset: true,
  error: 'Use an ISO date-time with an offset, e.g. 2025-03-03T09:00:00+03:00',
});
const fields = z.record(z.string(), z.unknown()).default({});

export const simContactSchema = z.strictObject({
  id: z.string(),
  name: z.string().optional(),
  phone: z.string().optional(),
  email: z.string().optional(),
  language: z.enum(['ru', 'en']).optional(),
  tags: z.array(z.string()).default([]),
  ownerId: z.string().optional(),
  optedOut: z.boolean().default(false),
  fields,
});

export const simDealSchema = z.strictObject({
  id: z.string(),
  contactId: z.string(),
  title: z.string().optional(),
  pipeline: z.string(),
  stage: z.string(),
  ownerId: z.string().optional(),
  amount: z.number().optional(),
  fields,
  /** A payment schedule: each installment falls due at `dueAt`; payments pay them off in order. */
  installments: z.array(z.strictObject({ dueAt: at, amount: z.number().positive() })).default([]),
});

export const simConversationSchema = z.strictObject({ id: z.string(), contactId: z.string(), channel: channelSchema });

export const simAppointmentSchema = z.strictObject({
  id: z.string(),
  contactId: z.string(),
  dealId: z.string().optional(),
  title: z.string().optional(),
  startsAt: at,
  place: z.string().optional(),
  managerId: z.string().optional(),
});

/** What happens in the simulated world, in time order; the simulator derives the flow events. */
export const simActionSchema = z.discriminatedUnion('type', [
  z.strictObject({
    at,
    type: z.literal('message.received'),
    contact: z.string(),
    conversation: z.string().optional(),
    text: z.string().default(''),
    buttonId: z.string().optional(),
  }),
  z.strictObject({
    at,
    type: z.literal('message.sent'),
    conversation: z.string(),
    by: z.enum(['operator', 'bot']).default('operator'),
  }),
  z.strictObject({ at, type: z.literal('move'), deal: z.string(), pipeline: z.string().optional(), stage: z.string() }),
  z.strictObject({
    at,
    type: z.literal('update'),
    contact: z.string().optional(),
    deal: z.string().optional(),
    /** Paths below the record: `name`, `fields.next_contact_at`, … */
    set: z.record(z.string(), z.unknown()),
  }),
  z.strictObject({
    at,
    type: z.literal('form.submitted'),
    contact: z.string(),
    deal: z.string().optional(),
    form: z.string(),
    values: z.record(z.string(), z.unknown()).default({}),
  }),
  z.strictObject({
    at,
    type: z.literal('lead.created'),
    contact: z.string(),
    deal: z.string().optional(),
    source: z.string(),
  }),
  z.strictObject({ at, type: z.literal('payment.received'), deal: z.string(), amount: z.number().positive() }),
  z.strictObject({
    at,
    type: z.literal('webhook'),
    contact: z.string(),
    deal: z.string().optional(),
    key: z.string(),
    body: z.unknown().optional(),
  }),
  z.strictObject({
    at,
    type: z.literal('manual'),
    contact: z.string(),
    deal: z.string().optional(),
    flow: z.string(),
    by: z.string().default('user'),
  }),
  /** A task done: by id, or the newest open task of a deal (of a kind). */
  z.strictObject({
    at,
    type: z.literal('task.completed'),
    task: z.string().optional(),
    deal: z.string().optional(),
    kind: z.enum(TASK_KINDS).optional(),
    result: z.string().optional(),
  }),
  z.strictObject({
    at,
    type: z.literal('conversation.takenOver'),
    conversation: z.string(),
    by: z.string().default('operator'),
  }),
  z.strictObject({ at, type: z.literal('contact.optedOut'), contact: z.string() }),
  z.strictObject({ at, type: z.literal('appointment.booked'), appointment: simAppointmentSchema }),
  /** A qualified lead becomes a deal: the lead moves to its won stage, the new deal appears. */
  z.strictObject({
    at,
    type: z.literal('convert'),
    lead: z.string(),
    deal: simDealSchema.omit({ contactId: true }),
  }),
  z.strictObject({
    at,
    type: z.literal('schedule.created'),
    deal: z.string(),
    installments: z.array(z.strictObject({ dueAt: at, amount: z.number().positive() })).min(1),
  }),
]);

export const simulationSchema = z.strictObject({
  /** When the simulated clock starts. */
  start: at,
  /** When it stops; timers due later are left pending. Thirty days after the last action by default. */
  until: at.optional(),
  world: z
    .strictObject({
      contacts: z.array(simContactSchema).default([]),
      deals: z.array(simDealSchema).default([]),
      conversations: z.array(simConversationSchema).default([]),
      appointments: z.array(simAppointmentSchema).default([]),
    })
    .default({ contacts: [], deals: [], conversations: [], appointments: [] }),
  events: z.array(simActionSchema),
});

export type Simulation = z.infer<typeof simulationSchema>;
export type SimulationInput = z.input<typeof simulationSchema>;
export type SimAction = z.infer<typeof simActionSchema>;
export type SimContact = z.infer<typeof simContactSchema>;
export type SimDeal = z.infer<typeof simDealSchema>;
export type SimAppointment = z.infer<typeof simAppointmentSchema>;
