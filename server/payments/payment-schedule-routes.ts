import { z } from 'zod';
import { badRequest, notFound } from '../api/api-error.js';
import { defineRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { decodeCursor, pageOf } from '../api/pagination.js';
import { recordAudit } from '../audit/record-audit.js';
import { actorOf } from '../deals/actor-schema.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { dealScope } from '../deals/deal-scope.js';
import { paymentScheduleModel, type PaymentScheduleRecord } from './payment-schedule-model.js';
import {
  createPaymentScheduleSchema,
  paymentScheduleListQuerySchema,
  paymentScheduleViewSchema,
  recordPaymentSchema,
  scheduleIdParamsSchema,
} from './payment-schedule-schema.js';
import { paymentScheduleScope } from './payment-schedule-scope.js';
import { toPaymentScheduleView } from './to-payment-schedule-view.js';

export const paymentScheduleRoutes = [
  defineRoute({
    method: 'get',
    path: '/payment-schedules',
    summary: 'List installment schedules (by deal or contact) with their paid / overdue state',
    tag: 'payments',
    access: 'payments.read',
    query: paymentScheduleListQuerySchema,
    response: z.object({ items: z.array(paymentScheduleViewSchema), nextCursor: z.string().optional() }),
    handler: async ({ query, user, services }) => {
      const Schedule = await paymentScheduleModel(services.db);
      const after = decodeCursor(query.cursor);
      const filters = [
        await paymentScheduleScope(services.db, user),
        ...(query.dealId ? [{ dealId: query.dealId }] : []),
        ...(query.contactId ? [{ contactId: query.contactId }] : []),
        ...(after ? [{ _id: { $lt: after } }] : []),
      ];
      const rows = await Schedule.find({ $and: filters })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<PaymentScheduleRecord[]>();
      const now = new Date();
      return pageOf(
        rows.map((row) => toPaymentScheduleView(row, now)),
        query.limit,
      );
    },
  }),
  defineRoute({
    method: 'post',
    path: '/payment-schedules',
    summary: 'Create the installment schedule of a deal (one per deal: a second answers 409)',
    tag: 'payments',
    access: 'payments.write',
    status: 201,
    body: createPaymentScheduleSchema,
    response: paymentScheduleViewSchema,
    handler: async ({ body, user, services }) => {
      const Deal = await dealModel(services.db);
      const deal = await Deal.findOne({ ...dealScope(user), _id: body.dealId }).lean<DealRecord>();
      if (!deal) throw badRequest(errorTexts.say('noSuchDeal'), { dealId: body.dealId });
      const Schedule = await paymentScheduleModel(services.db);
      const created = await Schedule.create({
        ...body,
        contactId: body.contactId ?? deal.contactId,
        currency: body.currency ?? deal.currency,
        payments: [],
        createdBy: actorOf(user),
      });
      const view = toPaymentScheduleView(created.toObject<PaymentScheduleRecord>(), new Date());
      await recordAudit(services, {
        actor: user,
        action: 'payment-schedule.create',
        entity: 'payment-schedule',
        entityId: view.id,
        after: view,
      });
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/payment-schedules/:id',
    summary: 'One installment schedule with the state of each installment',
    tag: 'payments',
    access: 'payments.read',
    params: scheduleIdParamsSchema,
    response: paymentScheduleViewSchema,
    handler: async ({ params, user, services }) => {
      const Schedule = await paymentScheduleModel(services.db);
      const scope = await paymentScheduleScope(services.db, user);
      const schedule = await Schedule.findOne({ $and: [scope, { _id: params.id }] }).lean<PaymentScheduleRecord>();
      if (!schedule) throw notFound('Payment schedule');
      return toPaymentScheduleView(schedule, new Date());
    },
  }),
  defineRoute({
    method: 'post',
    path: '/payment-schedules/:id/payments',
    summary: 'Record a payment received; with a reference, repeating it records it once',
    tag: 'payments',
    access: 'payments.write',
    status: 201,
    params: scheduleIdParamsSchema,
    body: recordPaymentSchema,
    response: paymentScheduleViewSchema,
    handler: async ({ params, body, user, services }) => {
      const Schedule = await paymentScheduleModel(services.db);
      const scope = await paymentScheduleScope(services.db, user);
      const before = await Schedule.findOne({ $and: [scope, { _id: params.id }] }).lean<PaymentScheduleRecord>();
      if (!before) throw notFound('Payment schedule');
      const payment = { ...body, paidAt: body.paidAt ?? new Date(), recordedBy: actorOf(user) };
      // The reference condition and the push are one atomic update: a retried request cannot add the payment twice.
      await Schedule.updateOne(
        { _id: before._id, ...(body.reference ? { 'payments.reference': { $ne: body.reference } } : {}) },
        { $push: { payments: payment } },
      );
      const after = await Schedule.findById(before._id).lean<PaymentScheduleRecord>();
      if (!after) throw notFound('Payment schedule');
      const now = new Date();
      const view = toPaymentScheduleView(after, now);
      if (after.payments.length !== before.payments.length) {
        await recordAudit(services, {
          actor: user,
          action: 'payment-schedule.payment',
          entity: 'payment-schedule',
          entityId: view.id,
          before: toPaymentScheduleView(before, now),
          after: view,
          meta: { amount: body.amount, method: body.method, ...(body.reference ? { reference: body.reference } : {}) },
        });
        services.events.emit({ type: 'payment.recorded', schedule: view, index: after.payments.length - 1 });
      }
      return view;
    },
  }),
];
