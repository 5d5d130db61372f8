import type { Prng } from './create-prng.js';
import { DEMO_COMPANIES } from './demo-companies.js';
import type { DemoStep } from './demo-deal-slots.js';
import { moscowTime } from './moscow-time.js';
import type { DemoContactPlan, DemoObject } from './plan-demo-contacts.js';
import { planStageWork, type DemoAppointmentPlan, type DemoCalendar, type DemoTaskPlan } from './plan-stage-work.js';

export interface DemoSchedulePlan {
  /** Where the installment-control copy of the deal stands. */
  stage: 'awaiting-payment' | 'overdue' | 'won';
  installments: { dueAt: Date; amount: number }[];
  /** What the client paid so far: the oldest installments, each on or just before its due date. */
  payments: { paidAt: Date; amount: number; method: 'bank-transfer' | 'card'; reference: string }[];
  task?: DemoTaskPlan;
}

export interface DemoDealPlan {
  contactIndex: number;
  title: string;
  amount: number;
  /** The stages in order with when the deal entered each; the last is where it is now. */
  steps: { step: DemoStep; at: Date }[];
  lostReason?: string;
  tasks: DemoTaskPlan[];
  appointment?: DemoAppointmentPlan;
  schedule?: DemoSchedulePlan;
}

const HOUR_MS = 3600_000;
const DAY_MS = 24 * HOUR_MS;

const TITLES: Record<DemoObject, readonly string[]> = {
  house: [
    'Окна ПВХ в частный дом',
    'Энергосберегающие окна для эко-дома',
    'Остекление дома из клеёного бруса',
    'Деревянные евроокна для загородного дома',
  ],
  flat: ['Замена окон в квартире', 'Окна с шумоизоляцией в новостройку', 'Тёплое остекление лоджии'],
  dacha: ['Окна для дачи', 'Остекление веранды'],
  townhouse: ['Окна в таунхаус', 'Мансардные окна в таунхаус'],
  company: [
    'Остекление офиса',
    'Окна для коттеджного посёлка, 1-я очередь',
    'Алюминиевые витражи входной группы',
    'Энергоэффективные окна для эко-домов',
  ],
};

/** Calendar slots for the manager, taken in turn, so no two demo appointments overlap. */
const SLOTS: readonly [days: number, hour: number][] = [
  [1, 11],
  [1, 15],
  [2, 10],
  [2, 14],
  [3, 12],
  [4, 11],
  [5, 16],
];

/** Spreads the stage entries between the first touch and the last move, at random paces. */
function stepTimes(prng: Prng, count: number, start: Date, end: Date): Date[] {
  if (count === 1) return [start];
  const weights = Array.from({ length: count - 1 }, () => prng.int(1, 5));
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const span = end.getTime() - start.getTime();
  let done = 0;
  return [start, ...weights.map((weight) => new Date(start.getTime() + (span * (done += weight)) / total))];
}

function lastMoveAt(prng: Prng, now: Date, plan: DemoContactPlan): Date {
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS - prng.int(0, 8) * HOUR_MS);
  if (plan.slot?.installments === 'paid-off') return ago(130);
  if (plan.slot?.installments) return ago(80);
  if (plan.slot?.path.at(-1)?.stage === 'won') return ago(prng.int(1, 8));
  return new Date(now.getTime() - prng.int(2, 72) * HOUR_MS);
}

function priceOf(prng: Prng, object: DemoObject): { amount: number; windows: number } {
  if (object === 'company') return { amount: prng.int(35, 240) * 10_000, windows: prng.int(20, 80) };
  const windows = object === 'flat' ? prng.int(2, 5) : prng.int(4, 14);
  return { amount: windows * prng.int(32, 76) * 500, windows };
}

/**
 * What is left after the 30% prepayment, in monthly installments of whole roubles from the sale
 * on, of which the client paid the first `paid`.
 */
function schedule(
  prng: Prng,
  stage: DemoSchedulePlan['stage'],
  sale: { amount: number; wonAt: Date },
  count: number,
  paid: number,
): DemoSchedulePlan {
  const rest = Math.round(sale.amount * 0.7);
  const part = Math.floor(rest / count);
  const installments = Array.from({ length: count }, (_, i) => ({
    dueAt: new Date(sale.wonAt.getTime() + (i + 1) * 30 * DAY_MS),
    amount: i === count - 1 ? rest - part * (count - 1) : part,
  }));
  const payments = installments.slice(0, paid).map(({ dueAt, amount }) => ({
    paidAt: new Date(dueAt.getTime() - prng.int(0, 3) * DAY_MS),
    amount,
    method: prng.pick(['bank-transfer', 'card'] as const),
    reference: `ПП-${prng.int(1000, 9999)}`,
  }));
  return { stage, installments, payments };
}

/**
 * The deal of each client that has a slot: title and price from what they glaze, stage history
 * timed between their first touch and now, the open task their stage calls for, a few
 * appointments in the manager's calendar, and payment schedules for installment sales.
 */
export function planDemoDeals(prng: Prng, now: Date, contacts: DemoContactPlan[]): DemoDealPlan[] {
  const slots = [...SLOTS];
  const calendar: DemoCalendar = {
    free: () => slots.length,
    book(minutes) {
      const slot = slots.shift();
      if (!slot) throw new Error('The demo plans more appointments than it has calendar slots for');
      const [days, hour] = slot;
      const startsAt = moscowTime(now, days, hour);
      return { startsAt, endsAt: new Date(startsAt.getTime() + minutes * 60_000) };
    },
  };
  const plans: DemoDealPlan[] = [];
  contacts.forEach((contact, contactIndex) => {
    const slot = contact.slot;
    if (!slot) return;
    const { amount, windows } = priceOf(prng, contact.object);
    const base = prng.pick(TITLES[contact.object]);
    const company = contact.companyIndex === undefined ? undefined : DEMO_COMPANIES[contact.companyIndex];
    const title = company ? `${base} — ${company.name}` : `${base}, ${windows} шт.`;
    const start = new Date(contact.firstTouchAt.getTime() + prng.int(2, 20) * HOUR_MS);
    const times = stepTimes(prng, slot.path.length, start, lastMoveAt(prng, now, contact));
    const steps = slot.path.map((step, i) => ({ step, at: times[i]! }));
    const client = { name: contact.input.name ?? '', address: contact.address, windows };
    const work = planStageWork(prng, now, slot.path.at(-1)!, client, calendar);
    const sale = { amount, wonAt: times.at(-1)! };
    let installments: DemoSchedulePlan | undefined;
    switch (slot.installments) {
      case 'on-track':
        installments = schedule(prng, 'awaiting-payment', sale, 6, 2);
        break;
      case 'overdue':
        installments = {
          ...schedule(prng, 'overdue', sale, 4, 1),
          task: {
            title: 'Позвонить клиенту: просрочен платёж по рассрочке',
            kind: 'call',
            assignee: 'owner',
            dueAt: moscowTime(now, 0, prng.int(10, 17)),
          },
        };
        break;
      case 'paid-off':
        installments = schedule(prng, 'won', sale, 3, 3);
        break;
    }
    plans.push({
      contactIndex,
      title,
      amount,
      steps,
      ...(slot.lostReason ? { lostReason: slot.lostReason } : {}),
      ...work,
      ...(installments ? { schedule: installments } : {}),
    });
  });
  return plans;
}
