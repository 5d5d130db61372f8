import { computeScheduleState } from './compute-schedule-state.js';
import type { PaymentScheduleRecord } from './payment-schedule-model.js';
import type { PaymentScheduleView } from './payment-schedule-schema.js';

/** A stored schedule as the API shows it, with its state computed at `now`. */
export function toPaymentScheduleView(schedule: PaymentScheduleRecord, now: Date): PaymentScheduleView {
  return {
    id: String(schedule._id),
    dealId: String(schedule.dealId),
    ...(schedule.contactId ? { contactId: String(schedule.contactId) } : {}),
    currency: schedule.currency,
    ...computeScheduleState(schedule.installments, schedule.payments, now),
    payments: schedule.payments.map((payment) => ({
      paidAt: payment.paidAt,
      amount: payment.amount,
      method: payment.method,
      ...(payment.reference ? { reference: payment.reference } : {}),
      recordedBy: { kind: payment.recordedBy.kind, id: payment.recordedBy.id },
    })),
    createdAt: schedule.createdAt,
    updatedAt: schedule.updatedAt,
  };
}
