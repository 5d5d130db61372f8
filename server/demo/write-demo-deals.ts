import { bookAppointment } from '../appointments/book-appointment.js';
import { createAppointmentSchema } from '../appointments/appointment-schema.js';
import { toAppointmentView } from '../appointments/to-appointment-view.js';
import { recordAudit } from '../audit/record-audit.js';
import type { Actor } from '../deals/actor-schema.js';
import { copyDeal } from '../deals/copy-deal.js';
import type { DealRecord } from '../deals/deal-model.js';
import { moveDeal } from '../deals/move-deal.js';
import { toDealView } from '../deals/to-deal-view.js';
import { paymentScheduleModel, type PaymentScheduleRecord } from '../payments/payment-schedule-model.js';
import { createPaymentScheduleSchema, recordPaymentSchema } from '../payments/payment-schedule-schema.js';
import { toPaymentScheduleView } from '../payments/to-payment-schedule-view.js';
import { createTask } from '../tasks/create-task.js';
import { createTaskSchema } from '../tasks/task-schema.js';
import { toTaskView } from '../tasks/to-task-view.js';
import type { DemoWriteContext } from './demo-write-context.js';
import type { DemoDealPlan, DemoSchedulePlan } from './plan-demo-deals.js';
import type { DemoAppointmentPlan, DemoTaskPlan } from './plan-stage-work.js';
import { writeDemoDeal } from './write-demo-deal.js';

export interface DemoDealLinks {
  contactId: string;
  ownerId: string;
  companyId?: string;
}

export interface DemoDealCounts {
  deals: number;
  tasks: number;
  appointments: number;
  paymentSchedules: number;
}

const audited = (context: DemoWriteContext, entity: string, entityId: string, after: unknown) =>
  recordAudit(context, {
    actor: null,
    action: `${entity}.create`,
    entity,
    entityId,
    after,
    meta: { via: 'demo-seed' },
  });

async function writeTask(context: DemoWriteContext, plan: DemoTaskPlan, deal: DealRecord, links: DemoDealLinks) {
  const assigneeId = plan.assignee === 'owner' ? links.ownerId : context.users.manager.id;
  // Parsed like an API request, so the demo obeys the same rules as what people type.
  const input = createTaskSchema.parse({
    title: plan.title,
    kind: plan.kind,
    ...(plan.description ? { description: plan.description } : {}),
    assigneeId,
    dueAt: plan.dueAt.toISOString(),
    contactId: links.contactId,
    dealId: String(deal._id),
  });
  const task = await createTask(context.db, { ...input, assigneeId }, { kind: 'user', id: links.ownerId });
  await audited(context, 'task', String(task._id), toTaskView(task));
}

async function writeAppointment(
  context: DemoWriteContext,
  plan: DemoAppointmentPlan,
  deal: DealRecord,
  links: DemoDealLinks,
): Promise<void> {
  const { startsAt, endsAt, ...where } = plan;
  const managerId = context.users.manager.id;
  const input = createAppointmentSchema.parse({
    ...where,
    managerId,
    contactId: links.contactId,
    dealId: String(deal._id),
    startsAt: startsAt.toISOString(),
    endsAt: endsAt.toISOString(),
    reminders: [60, 24 * 60],
  });
  const appointment = await bookAppointment(context.db, { ...input, managerId }, { kind: 'user', id: links.ownerId });
  await audited(context, 'appointment', String(appointment._id), toAppointmentView(appointment));
}

/**
 * An installment sale: the won deal is copied into installment control (linked both ways, as
 * staff do it), the copy moved to where the payments stand, and the schedule with the payments
 * received so far written for it.
 */
async function writeInstallments(
  context: DemoWriteContext,
  sale: DealRecord,
  plan: DemoSchedulePlan,
  links: DemoDealLinks,
): Promise<DealRecord> {
  const actor: Actor = { kind: 'user', id: links.ownerId };
  const installments = context.pipelines.installments!;
  let { copy } = await copyDeal(
    context.db,
    { _id: sale._id },
    { pipelineId: String(installments._id), stageId: 'awaiting-payment' },
    actor,
  );
  if (plan.stage === 'won') copy = await moveDeal(context.db, { _id: copy._id }, { type: 'won' }, actor);
  if (plan.stage === 'overdue') {
    copy = await moveDeal(context.db, { _id: copy._id }, { type: 'stage', stageId: 'overdue' }, actor);
  }
  const schedule = createPaymentScheduleSchema.parse({
    dealId: String(copy._id),
    contactId: links.contactId,
    currency: 'RUB',
    installments: plan.installments.map(({ dueAt, amount }) => ({ dueAt: dueAt.toISOString(), amount })),
  });
  const payments = plan.payments.map((payment) => ({
    ...recordPaymentSchema.parse({ ...payment, paidAt: payment.paidAt.toISOString() }),
    recordedBy: actor,
  }));
  const Schedule = await paymentScheduleModel(context.db);
  const created = await Schedule.create({ ...schedule, payments, createdBy: actor });
  const view = toPaymentScheduleView(created.toObject<PaymentScheduleRecord>(), new Date());
  await audited(context, 'payment-schedule', view.id, view);
  if (plan.task) await writeTask(context, plan.task, copy, links);
  return copy;
}

/** Writes the planned deals with their tasks, appointments and installment schedules. */
export async function writeDemoDeals(
  context: DemoWriteContext,
  plans: DemoDealPlan[],
  linksOf: (plan: DemoDealPlan) => DemoDealLinks,
): Promise<DemoDealCounts> {
  const counts: DemoDealCounts = { deals: 0, tasks: 0, appointments: 0, paymentSchedules: 0 };
  for (const plan of plans) {
    const links = linksOf(plan);
    const deal = await writeDemoDeal(context, {
      title: plan.title,
      amount: plan.amount,
      ...links,
      steps: plan.steps.map(({ step, at }) => ({ ...step, at })),
      ...(plan.lostReason ? { lostReason: plan.lostReason } : {}),
    });
    counts.deals++;
    for (const task of plan.tasks) await writeTask(context, task, deal, links);
    counts.tasks += plan.tasks.length;
    if (plan.appointment) {
      await writeAppointment(context, plan.appointment, deal, links);
      counts.appointments++;
    }
    if (plan.schedule) {
      const copy = await writeInstallments(context, deal, plan.schedule, links);
      await recordAudit(context, {
        actor: null,
        action: 'deal.copy',
        entity: 'deal',
        entityId: String(copy._id),
        after: toDealView(copy),
        meta: { via: 'demo-seed', sourceId: String(deal._id) },
      });
      counts.deals++;
      counts.paymentSchedules++;
      counts.tasks += plan.schedule.task ? 1 : 0;
    }
  }
  return counts;
}
