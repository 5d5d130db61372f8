import { resolvePath } from '../engine/resolve-path.js';
import { timedTriggerFireAt, type TimedTriggerSpec } from '../engine/timed-triggers.js';
import type { SimWorld, WorldEvent } from './sim-world.js';

/** A timer that follows from the records; `fire` checks again at its time and may find nothing to do. */
export interface WorldTimer {
  key: string;
  at: Date;
  fire: (now: Date) => WorldEvent | undefined;
}

/**
 * The timers the world's records call for now, as the executor would keep them: the flows' timed
 * triggers (dates, upcoming meetings, no-reply) plus overdue installments and tasks. Keys name the
 * record, so a changed anchor moves the timer instead of adding one.
 */
export function deriveWorldTimers(world: SimWorld, specs: readonly TimedTriggerSpec[], now: Date): WorldTimer[] {
  const timers = specs.flatMap((spec) => triggerTimers(world, spec, now));
  for (const deal of world.deals.values())
    for (const installment of world.installments(deal, now)) {
      if (installment.remaining <= 0) continue;
      timers.push({
        key: `overdue|${deal.id}|${installment.n}`,
        at: new Date(installment.dueAt),
        fire: (current) => {
          const due = world.installments(deal, current)[installment.n - 1];
          if (!due || due.remaining <= 0) return undefined;
          return {
            event: { type: 'payment.overdue', subject: world.dealSubject(deal.id) },
            extra: { installment: due },
          };
        },
      });
    }
  for (const task of world.tasks.values()) {
    if (task.done || !task.dueAt) continue;
    timers.push({
      key: `task|${task.id}`,
      at: new Date(task.dueAt),
      fire: () =>
        task.done
          ? undefined
          : {
              event: {
                type: 'task.overdue',
                subject: world.subject(task.contactId, task.dealId),
                taskId: task.id,
                kind: task.kind,
              },
              extra: { task: { id: task.id, title: task.title, kind: task.kind, dueAt: task.dueAt, done: false } },
            },
    });
  }
  return timers;
}

function triggerTimers(world: SimWorld, spec: TimedTriggerSpec, now: Date): WorldTimer[] {
  const { trigger, timeZone } = spec;
  if (trigger.type === 'noReply') {
    return [...world.conversations.values()].flatMap((conversation) => {
      const inbound = conversation.lastInboundAt ?? '';
      const outbound = conversation.lastOutboundAt ?? '';
      // Waiting for the operator: the client wrote last; for the client: we wrote last.
      const anchor =
        trigger.waiting === 'operator' ? (inbound > outbound ? inbound : '') : outbound > inbound ? outbound : '';
      if (!anchor) return [];
      // As live (server/flows/build-snapshot.ts): an event without a deal reads the contact's open one.
      const subject = world.subject(conversation.contactId, world.openDealOf(conversation.contactId), conversation.id);
      return [
        {
          key: `${spec.key}|${conversation.id}`,
          at: timedTriggerFireAt(trigger, new Date(anchor), timeZone),
          fire: () => ({ event: { type: 'noReply', subject, waiting: trigger.waiting, after: trigger.after } }),
        },
      ];
    });
  }
  if (trigger.type === 'appointment.upcoming') {
    return [...world.appointments.values()].map((appointment) => ({
      key: `${spec.key}|${appointment.id}`,
      at: timedTriggerFireAt(trigger, new Date(appointment.startsAt), timeZone),
      fire: () => ({
        event: {
          type: 'appointment.upcoming',
          subject: world.subject(appointment.contactId, appointment.dealId),
          before: trigger.before,
        },
        extra: { appointment },
      }),
    }));
  }
  const [root] = trigger.field.split('.');
  const reached = {
    type: 'date.reached' as const,
    field: trigger.field,
    before: trigger.before,
    after: trigger.after,
    at: trigger.at,
  };
  const timer = (key: string, anchor: unknown, fire: WorldTimer['fire']): WorldTimer[] =>
    typeof anchor === 'string' && !Number.isNaN(Date.parse(anchor))
      ? [{ key: `${spec.key}|${key}`, at: timedTriggerFireAt(trigger, new Date(anchor), timeZone), fire }]
      : [];
  if (root === 'installment') {
    return [...world.deals.values()].flatMap((deal) =>
      world
        .installments(deal, now)
        .filter((installment) => installment.remaining > 0)
        .flatMap((installment) =>
          timer(`${deal.id}|${installment.n}`, resolvePath({ installment }, trigger.field), (current) => ({
            event: { ...reached, subject: world.dealSubject(deal.id) },
            extra: { installment: world.installments(deal, current)[installment.n - 1] },
          })),
        ),
    );
  }
  if (root === 'appointment') {
    return [...world.appointments.values()].flatMap((appointment) =>
      timer(appointment.id, resolvePath({ appointment }, trigger.field), () => ({
        event: { ...reached, subject: world.subject(appointment.contactId, appointment.dealId) },
        extra: { appointment },
      })),
    );
  }
  const subjects =
    root === 'deal'
      ? [...world.deals.values()].map((deal) => world.dealSubject(deal.id))
      : [...world.contacts.values()].map((contact) => world.subject(contact.id));
  return subjects.flatMap((subject) =>
    timer(subject.dealId ?? subject.contactId, resolvePath(world.snapshot(subject, now), trigger.field), () => ({
      event: { ...reached, subject },
    })),
  );
}
