import { z } from 'zod';
import { listQuerySchema } from '../api/pagination.js';
import { validationTexts } from '../api/validation-texts.js';
import { actorSchema } from '../deals/actor-schema.js';
import { amountSchema, currencySchema } from '../deals/deal-schema.js';
import { objectIdSchema } from '../users/user-schemas.js';
import { PAYMENT_METHODS } from './payment-schedule-model.js';

const { say } = validationTexts;

const dateTime = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
const positiveAmount = amountSchema.refine((amount) => amount > 0, say('moreThanZero'));

export const createPaymentScheduleSchema = z.strictObject({
  dealId: objectIdSchema,
  contactId: objectIdSchema.optional(),
  currency: currencySchema.optional(),
  /** Due time and amount of each instalment; overdue starts the moment `dueAt` passes. */
  installments: z
    .array(z.strictObject({ dueAt: dateTime, amount: positiveAmount }))
    .min(1)
    .max(240),
});

export const recordPaymentSchema = z.strictObject({
  amount: positiveAmount,
  paidAt: dateTime.optional(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().trim().min(1).max(100).optional(),
});

export const paymentScheduleListQuerySchema = listQuerySchema.extend({
  dealId: objectIdSchema.optional(),
  contactId: objectIdSchema.optional(),
});

export const scheduleIdParamsSchema = z.strictObject({ id: objectIdSchema });

const installmentStatusSchema = z.object({
  dueAt: z.date(),
  amount: z.number(),
  paid: z.number(),
  remaining: z.number(),
  state: z.enum(['paid', 'partly-paid', 'due', 'overdue']),
});

export const paymentScheduleViewSchema = z.object({
  id: z.string(),
  dealId: z.string(),
  contactId: z.string().optional(),
  currency: z.string(),
  installments: z.array(installmentStatusSchema),
  payments: z.array(
    z.object({
      paidAt: z.date(),
      amount: z.number(),
      method: z.enum(PAYMENT_METHODS),
      reference: z.string().optional(),
      recordedBy: actorSchema,
    }),
  ),
  total: z.number(),
  paid: z.number(),
  remaining: z.number(),
  overdue: z.number(),
  overpaid: z.number(),
  nextDue: z.object({ dueAt: z.date(), remaining: z.number() }).optional(),
  status: z.enum(['paid', 'overdue', 'on-track']),
  createdAt: z.date(),
  updatedAt: z.date(),
});

export type PaymentScheduleView = z.infer<typeof paymentScheduleViewSchema>;
