import type { DomainFlowEvent } from '../engine/flow-event-schema.js';
import type { SimAction } from './simulation-schema.js';
import type { SimWorld, WorldDeal, WorldEvent } from './sim-world.js';

/** A scripted action: changes the world and returns the events it causes, with extra snapshot parts. */
export function applySimAction(world: SimWorld, action: SimAction, now: Date): WorldEvent[] {
  const iso = now.toISOString();
  switch (action.type) {
    case 'message.received': {
      const conversation = world.conversationOf(action.contact, action.conversation);
      if (!conversation) throw new Error(`No conversation for contact ${action.contact}`);
      conversation.lastInboundAt = iso;
      conversation.inbound += 1;
      const event: DomainFlowEvent = {
        type: 'message.received',
        subject: world.subject(action.contact, world.openDealOf(action.contact), conversation.id),
        channel: conversation.channel,
        text: action.text,
        buttonId: action.buttonId,
        first: conversation.inbound === 1,
      };
      return [{ event }];
    }
    case 'message.sent': {
      const conversation = world.conversations.get(action.conversation);
      if (!conversation) throw new Error(`No conversation ${action.conversation}`);
      conversation.lastOutboundAt = iso;
      const subject = world.subject(conversation.contactId, world.openDealOf(conversation.contactId), conversation.id);
      return [{ event: { type: 'message.sent', subject, channel: conversation.channel, by: action.by } }];
    }
    case 'move':
      return world.move(action.deal, action.pipeline, action.stage, iso);
    case 'update': {
      if (action.deal)
        return Object.entries(action.set).flatMap(([field, value]) =>
          world.setField('deal', action.deal ?? '', field, value),
        );
      return Object.entries(action.set).flatMap(([field, value]) =>
        world.setField('contact', action.contact ?? '', field, value),
      );
    }
    case 'form.submitted':
      return [
        {
          event: {
            type: 'form.submitted',
            subject: world.subject(action.contact, action.deal),
            form: action.form,
            values: action.values,
          },
          extra: { lead: { source: 'form', form: action.form, values: action.values } },
        },
      ];
    case 'lead.created':
      return [
        {
          event: { type: 'lead.created', subject: world.subject(action.contact, action.deal), source: action.source },
          extra: { lead: { source: action.source } },
        },
      ];
    case 'payment.received': {
      const deal = world.mustDeal(action.deal);
      const before = world.installments(deal, now).find((item) => item.remaining > 0);
      deal.paid += action.amount;
      const after = world.installments(deal, now);
      const remaining = after.reduce((sum, item) => sum + item.remaining, 0);
      const overdue = after.filter((item) => item.state === 'overdue').reduce((sum, item) => sum + item.remaining, 0);
      const payment = {
        amount: action.amount,
        paidAt: iso,
        method: 'bank',
        installment: before?.n,
        remaining,
        overdue,
      };
      return [{ event: { type: 'payment.received', subject: world.dealSubject(deal.id) }, extra: { payment } }];
    }
    case 'webhook':
      return [
        {
          event: {
            type: 'webhook',
            subject: world.subject(action.contact, action.deal),
            key: action.key,
            body: action.body,
          },
        },
      ];
    case 'manual':
      return [
        {
          event: {
            type: 'manual',
            subject: world.subject(action.contact, action.deal),
            flowId: action.flow,
            by: action.by,
          },
        },
      ];
    case 'task.completed': {
      const task = action.task
        ? world.tasks.get(action.task)
        : [...world.tasks.values()]
            .reverse()
            .find(
              (candidate) =>
                !candidate.done && candidate.dealId === action.deal && (!action.kind || candidate.kind === action.kind),
            );
      if (!task) throw new Error(`No open task ${action.task ?? `for deal ${action.deal ?? '?'}`}`);
      task.done = true;
      const event: DomainFlowEvent = {
        type: 'task.completed',
        subject: world.subject(task.contactId, task.dealId),
        taskId: task.id,
        kind: task.kind,
      };
      return [
        {
          event,
          extra: { task: { id: task.id, title: task.title, kind: task.kind, done: true, result: action.result } },
        },
      ];
    }
    case 'conversation.takenOver': {
      const conversation = world.conversations.get(action.conversation);
      if (!conversation) throw new Error(`No conversation ${action.conversation}`);
      conversation.botActive = false;
      conversation.assigneeId = action.by;
      const subject = world.subject(conversation.contactId, world.openDealOf(conversation.contactId), conversation.id);
      return [{ event: { type: 'conversation.takenOver', subject, by: action.by } }];
    }
    case 'contact.optedOut': {
      const contact = world.contacts.get(action.contact);
      if (contact) contact.optedOut = true;
      return [
        {
          event: { type: 'contact.optedOut', subject: world.subject(action.contact, world.openDealOf(action.contact)) },
        },
      ];
    }
    case 'appointment.booked':
      world.appointments.set(action.appointment.id, action.appointment);
      return [];
    case 'convert': {
      const lead = world.mustDeal(action.lead);
      const won = world.pipeline(lead.pipeline).stages.find((stage) => stage.kind === 'won');
      const events = won ? world.move(lead.id, lead.pipeline, won.id, iso) : [];
      const deal: WorldDeal = {
        ...action.deal,
        contactId: lead.contactId,
        status: 'open',
        paid: 0,
        stageEnteredAt: iso,
      };
      world.deals.set(deal.id, deal);
      const entered: DomainFlowEvent = {
        type: 'stage.entered',
        subject: world.dealSubject(deal.id),
        pipeline: deal.pipeline,
        stage: deal.stage,
        existing: false,
      };
      return [...events, { event: entered }];
    }
    case 'schedule.created':
      world.mustDeal(action.deal).installments = action.installments;
      return [];
  }
}
