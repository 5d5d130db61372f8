import type { Connection } from 'mongoose';
import type { DomainFlowEvent, Snapshot, TimedTrigger, TimedTriggerSpec } from '../../flows/index.js';
import { timedTriggerAnchorRange, timedTriggerFireAt } from '../../flows/index.js';
import { dealModel, type DealRecord } from '../deals/deal-model.js';
import { computeScheduleState } from '../payments/compute-schedule-state.js';
import { paymentScheduleModel, type PaymentScheduleRecord } from '../payments/payment-schedule-model.js';

export type TimerEvent = DomainFlowEvent & { id: string };
type Installment = NonNullable<Snapshot['installment']>;

/**
 * The deals a schedule's events concern: its own deal and that deal's open copies. A sale with
 * installments is copied into "installment control", where the payments are followed (the
 * simulator hands the schedule to the copy for the same reason).
 */
export async function scheduleDeals(
  db: Connection,
  schedule: Pick<PaymentScheduleRecord, 'dealId' | 'contactId'>,
): Promise<{ dealId: string; contactId: string }[]> {
  const Deal = await dealModel(db);
  const deal = await Deal.findById(schedule.dealId).lean<DealRecord>();
  if (!deal) return [];
  const copies = await Deal.find({ _id: { $in: deal.copies.map((copy) => copy.dealId) }, status: 'open' })
    .sort({ createdAt: 1 })
    .lean<DealRecord[]>();
  return [deal, ...copies].flatMap((record) => {
    const contactId = record.contactId ?? schedule.contactId;
    return contactId ? [{ dealId: String(record._id), contactId: String(contactId) }] : [];
  });
}

/** The schedule's installments as flows read them (`installment.n` counts in due order from 1), at `now`. */
export function installmentsOf(schedule: PaymentScheduleRecord, now: Date): Installment[] {
  return computeScheduleState(schedule.installments, schedule.payments, now).installments.map((item, index) => ({
    n: index + 1,
    dueAt: item.dueAt.toISOString(),
    amount: item.amount,
    paid: item.paid,
    remaining: item.remaining,
    state: item.state,
  }));
}

/** `payment.overdue` for every installment whose due time passed in (from, to] and is still unpaid at `to`. */
export async function overduePaymentEvents(db: Connection, from: Date, to: Date): Promise<TimerEvent[]> {
  const Schedule = await paymentScheduleModel(db);
  const schedules = await Schedule.find({ installments: { $elemMatch: { dueAt: { $gt: from, $lte: to } } } })
    .limit(5_000)
    .lean<PaymentScheduleRecord[]>();
  const events: TimerEvent[] = [];
  for (const schedule of schedules) {
    const overdue = installmentsOf(schedule, to).filter((installment) => {
      const due = Date.parse(installment.dueAt);
      return due > from.getTime() && due <= to.getTime() && (installment.remaining ?? 0) > 0;
    });
    if (overdue.length === 0) continue;
    for (const { dealId, contactId } of await scheduleDeals(db, schedule))
      for (const installment of overdue)
        events.push({
          id: `pay-overdue-${String(schedule._id)}-${installment.n}-${Date.parse(installment.dueAt)}-${dealId}`,
          type: 'payment.overdue',
          subject: { contactId, dealId },
          snapshot: { installment },
        });
  }
  return events;
}

/** `date.reached` for a date trigger on `installment.<date>`: each unpaid installment whose moment came in (from, to]. */
export async function installmentDateEvents(
  db: Connection,
  spec: TimedTriggerSpec & { trigger: Extract<TimedTrigger, { type: 'date' }> },
  from: Date,
  to: Date,
): Promise<TimerEvent[]> {
  const { trigger } = spec;
  const property = trigger.field.split('.')[1];
  if (property !== 'dueAt') return [];
  const range = timedTriggerAnchorRange(trigger, from, to);
  const Schedule = await paymentScheduleModel(db);
  const schedules = await Schedule.find({
    installments: { $elemMatch: { dueAt: { $gte: range.from, $lte: range.to } } },
  })
    .limit(5_000)
    .lean<PaymentScheduleRecord[]>();
  const events: TimerEvent[] = [];
  for (const schedule of schedules) {
    const due = installmentsOf(schedule, to).filter((installment) => {
      const fireAt = timedTriggerFireAt(trigger, new Date(installment.dueAt), spec.timeZone).getTime();
      return fireAt > from.getTime() && fireAt <= to.getTime() && (installment.remaining ?? 0) > 0;
    });
    if (due.length === 0) continue;
    for (const { dealId, contactId } of await scheduleDeals(db, schedule))
      for (const installment of due)
        events.push({
          id: `date-${spec.key}-${String(schedule._id)}-${installment.n}-${Date.parse(installment.dueAt)}-${dealId}`,
          type: 'date.reached',
          subject: { contactId, dealId },
          field: trigger.field,
          before: trigger.before,
          after: trigger.after,
          at: trigger.at,
          snapshot: { installment },
        });
  }
  return events;
}
