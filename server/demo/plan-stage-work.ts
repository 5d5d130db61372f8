import type { TaskKind } from '../tasks/task-model.js';
import type { Prng } from './create-prng.js';
import type { DemoStep } from './demo-deal-slots.js';
import { moscowTime } from './moscow-time.js';

export type DemoAssignee = 'owner' | 'manager';

export interface DemoTaskPlan {
  title: string;
  kind: TaskKind;
  assignee: DemoAssignee;
  dueAt: Date;
  description?: string;
}

export interface DemoAppointmentPlan {
  title: string;
  startsAt: Date;
  endsAt: Date;
  place?: string;
  onlineUrl?: string;
}

/** The manager's free calendar slots, booked in turn so no two demo appointments overlap. */
export interface DemoCalendar {
  free(): number;
  book(minutes: number): { startsAt: Date; endsAt: Date };
}

const SHOWROOM = 'Шоурум «Окна Эко», г. Москва, ул. Строителей, д. 8';

/**
 * The open work a deal's stage calls for in seed 001's funnel: a call to collect data or
 * discuss the proposal, assigning a measurer, the measurement itself (with its appointment),
 * the contract, production, the next contact of deferred demand. Some dues have passed, so the
 * demo has overdue tasks too.
 */
export function planStageWork(
  prng: Prng,
  now: Date,
  where: DemoStep,
  client: { name: string; address: string; windows: number },
  calendar: DemoCalendar,
): { tasks: DemoTaskPlan[]; appointment?: DemoAppointmentPlan } {
  const due = (days: number) => moscowTime(now, days, prng.int(10, 17));
  const tasks: DemoTaskPlan[] = [];
  let appointment: DemoAppointmentPlan | undefined;
  switch (`${where.pipeline}/${where.stage}`) {
    case 'sales/data-collection':
      tasks.push({
        title: 'Уточнить размеры проёмов, тип дома и профиль',
        kind: 'call',
        assignee: 'owner',
        dueAt: due(prng.int(-1, 2)),
      });
      break;
    case 'sales/proposal-sent':
      tasks.push({
        title: 'Перезвонить: обсудить коммерческое предложение',
        kind: 'call',
        assignee: 'owner',
        dueAt: due(prng.int(-2, 3)),
      });
      if (calendar.free() > 3)
        appointment = {
          title: 'Консультация в шоуруме: выбор профиля и фурнитуры',
          place: SHOWROOM,
          ...calendar.book(60),
        };
      break;
    case 'sales/measurement-scheduled':
      tasks.push({
        title: 'Назначить замерщика',
        kind: 'other',
        assignee: 'manager',
        dueAt: due(1),
        description: `Замер согласован с клиентом. Адрес: ${client.address}`,
      });
      break;
    case 'sales/measurer-assigned':
      appointment = { title: `Замер: ${client.name}`, place: client.address, ...calendar.book(90) };
      tasks.push({
        title: `Замер: ${client.address}`,
        kind: 'measurement',
        assignee: 'manager',
        dueAt: appointment.startsAt,
        description: `Окон: ${client.windows}. Взять образцы профиля и стеклопакетов.`,
      });
      break;
    case 'sales/measurement-done':
      tasks.push({
        title: 'Перенести результаты замера в сделку и подготовить договор',
        kind: 'other',
        assignee: 'owner',
        dueAt: due(prng.int(0, 2)),
      });
      break;
    case 'sales/contract-signed':
      tasks.push({
        title: 'Передать заказ в производство',
        kind: 'other',
        assignee: 'manager',
        dueAt: due(prng.int(1, 3)),
      });
      break;
    case 'deferred/next-contact-planned':
      tasks.push({
        title: 'Связаться: готов ли клиент вернуться к покупке',
        kind: 'call',
        assignee: 'owner',
        dueAt: due(prng.int(5, 30)),
      });
      break;
    case 'deferred/contacted':
      tasks.push({
        title: 'Отправить обновлённое КП со скидкой',
        kind: 'other',
        assignee: 'owner',
        dueAt: due(prng.int(1, 4)),
      });
      appointment = {
        title: 'Онлайн-консультация: окна для эко-дома',
        onlineUrl: `https://telemost.yandex.ru/j/${prng.int(10_000_000, 99_999_999)}`,
        ...calendar.book(45),
      };
      break;
  }
  return { tasks, ...(appointment ? { appointment } : {}) };
}
