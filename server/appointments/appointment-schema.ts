import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { actorSchema } from '../deals/actor-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { APPOINTMENT_STATUSES } from './appointment-model.js';

const { say } = validationTexts;

const dateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const DAY_MS = 24 * 60 * 60 * 1000;

/** Up to five reminders, at most a week ahead; stored sorted and without repeats. */
const remindersSchema = z
  .array(
    z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
  )
  .max(5)
  .transform((minutes) => [...new Set(minutes)].sort((a, b) => b - a));

const fields = {
  title: z.string().trim().min(1).max(300),
  managerId: objectIdSchema,
  contactId: objectIdSchema,
  dealId: objectIdSchema,
  startsAt: dateTime,
  endsAt: dateTime,
  place: z.string().trim().min(1).max(500),
  onlineUrl: z.url({ protocol: /^https?$/ }).max(2000),
  status: z.enum(APPOINTMENT_STATUSES),
  reminders: remindersSchema,
};

/** A meeting is at one place or online, not both. */
const onePlace = (value: { place?: string | null; onlineUrl?: string | null }) => !(value.place && value.onlineUrl);
const ONE_PLACE = { message: say('placeOrLink'), path: ['onlineUrl'] };
const ordered = (value: { startsAt?: Date; endsAt?: Date }) =>
  !value.startsAt || !value.endsAt || (value.endsAt > value.startsAt && +value.endsAt - +value.startsAt <= DAY_MS);
const ORDERED = { message: say('meetingTimes'), path: ['endsAt'] };

export const createAppointmentSchema = z
  .strictObject({
    ...fields,
    managerId: fields.managerId.optional(),
    contactId: fields.contactId.optional(),
    dealId: fields.dealId.optional(),
    place: fields.place.optional(),
    onlineUrl: fields.onlineUrl.optional(),
    status: fields.status.default('planned'),
    reminders: fields.reminders.default([60]),
  })
  .refine(onePlace, ONE_PLACE)
  .refine(ordered, ORDERED);

/** `null` clears a link, the place or the online link. */
export const updateAppointmentSchema = z
  .strictObject({
    title: fields.title.optional(),
    managerId: fields.managerId.optional(),
    contactId: fields.contactId.nullable().optional(),
    dealId: fields.dealId.nullable().optional(),
    startsAt: fields.startsAt.optional(),
    endsAt: fields.endsAt.optional(),
    place: fields.place.nullable().optional(),
    onlineUrl: fields.onlineUrl.nullable().optional(),
    status: fields.status.optional(),
    reminders: fields.reminders.optional(),
  })
  .refine(onePlace, ONE_PLACE);

export const appointmentListQuerySchema = listQuerySchema.extend({
  managerId: objectIdSchema.optional(),
  dealId: objectIdSchema.optional(),
  contactId: objectIdSchema.optional(),
  status: z.enum(APPOINTMENT_STATUSES).optional(),
  /** Appointments that end after `from` and start before `to`: a calendar window. */
  from: dateTime.optional(),
  to: dateTime.optional(),
});

export const appointmentIdParamsSchema = z.strictObject({ id: objectIdSchema });

export const appointmentViewSchema = z.object({
  id: z.string(),
  title: z.string(),
  managerId: z.string(),
  contactId: z.string().optional(),
  dealId: z.string().optional(),
  startsAt: z.date(),
  endsAt: z.date(),
  place: z.string().optional(),
  onlineUrl: z.string().optional(),
  status: z.enum(APPOINTMENT_STATUSES),
  reminders: z.array(z.number()),
  createdBy: actorSchema,
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type AppointmentView = z.infer<typeof appointmentViewSchema>;
export type NewAppointmentInput = z.output<typeof createAppointmentSchema>;
export type AppointmentPatch = z.output<typeof updateAppointmentSchema>;
