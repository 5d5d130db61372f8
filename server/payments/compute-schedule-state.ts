import type { Installment, Payment } from './payment-schedule-model.js';

export type InstallmentState = 'paid' | 'partly-paid' | 'due' | 'overdue';

export interface InstallmentStatus {
  dueAt: Date;
  amount: number;
  paid: number;
  remaining: number;
  state: InstallmentState;
}

export interface ScheduleState {
  installments: InstallmentStatus[];
  total: number;
  paid: number;
  remaining: number;
  /** What is unpaid of installments whose due time has passed. */
  overdue: number;
  /** Paid beyond the whole schedule (a credit to return or keep). */
  overpaid: number;
  /** The earliest installment not yet fully paid and not yet overdue. */
  nextDue?: { dueAt: Date; remaining: number };
  status: 'paid' | 'overdue' | 'on-track';
}

// Money is summed in kopecks: adding 0.1 + 0.2 roubles as floats would leave a kopeck "unpaid".
const toMinor = (amount: number) => Math.round(amount * 100);
const toMajor = (minor: number) => minor / 100;

/**
 * The state of an installment schedule at `now` (a parameter, so tests and reports can ask about
 * any moment). Payments are pooled and allocated to installments in due order, oldest first, as
 * a client's money pays the oldest debt. An installment is overdue once its due time has passed
 * with anything unpaid, even when partly paid.
 */
export function computeScheduleState(installments: Installment[], payments: Payment[], now: Date): ScheduleState {
  let pool = payments.reduce((sum, payment) => sum + toMinor(payment.amount), 0);
  const paidTotal = pool;
  const ordered = [...installments].sort((a, b) => +a.dueAt - +b.dueAt);
  const statuses = ordered.map((installment) => {
    const amount = toMinor(installment.amount);
    const paid = Math.min(pool, amount);
    pool -= paid;
    const remaining = amount - paid;
    const state: InstallmentState =
      remaining === 0 ? 'paid' : installment.dueAt < now ? 'overdue' : paid > 0 ? 'partly-paid' : 'due';
    return { dueAt: installment.dueAt, amount, paid, remaining, state };
  });
  const total = statuses.reduce((sum, status) => sum + status.amount, 0);
  const overdue = statuses
    .filter((status) => status.state === 'overdue')
    .reduce((sum, status) => sum + status.remaining, 0);
  const next = statuses.find((status) => status.state === 'due' || status.state === 'partly-paid');
  const remaining = Math.max(total - paidTotal, 0);
  return {
    installments: statuses.map((status) => ({
      ...status,
      amount: toMajor(status.amount),
      paid: toMajor(status.paid),
      remaining: toMajor(status.remaining),
    })),
    total: toMajor(total),
    paid: toMajor(paidTotal),
    remaining: toMajor(remaining),
    overdue: toMajor(overdue),
    overpaid: toMajor(Math.max(paidTotal - total, 0)),
    ...(next ? { nextDue: { dueAt: next.dueAt, remaining: toMajor(next.remaining) } } : {}),
    status: remaining === 0 ? 'paid' : overdue > 0 ? 'overdue' : 'on-track',
  };
}
