import { Types, type Connection } from 'mongoose';
import type { DomainFlowEvent } from '../../flows/index.js';
import { channelSchema } from '../../flows/schema/primitive-schemas.js';
import type { ApiServices } from '../api/api-services.js';
import { enrolStageEntry } from '../campaigns/enrol-stage-entry.js';
import { markFollowUpReplies } from '../campaigns/mark-follow-up-replies.js';
import { messageModel } from '../messaging/message-model.js';
import type { ConversationView, MessageView } from '../messaging/message-views.js';
import { enqueueFlowEvent, enqueueFlowEvents } from './flow-jobs.js';
import { anyFlowsInstalled } from './flows-installed.js';
import { paymentScheduleModel } from '../payments/payment-schedule-model.js';
import { dealModel } from '../deals/deal-model.js';
import { installmentsOf, scheduleDeals } from './schedule-flow-events.js';
import { stageFlowEvents } from './stage-flow-events.js';

type FlowServices = Pick<ApiServices, 'db' | 'events' | 'queues' | 'logger'>;

/**
 * The intake: domain events that flows react to become flow events on the `flow-events` queue,
 * each with an id derived from what it is about (the message, the lead), so an event emitted
 * twice is one job. Runs in every process that emits them; the flow worker does the rest.
 */
export function listenForFlowEvents(services: FlowServices): void {
  const hand = (event: (DomainFlowEvent & { id: string }) | undefined) => {
    if (!event) return undefined;
    return enqueueFlowEvent(services.queues, event).catch((error: unknown) =>
      services.logger.error({ err: error, event: event.id }, 'could not hand an event to the flows'),
    );
  };
  // A batch of stored inbound messages at once: one read of the counts, one write of the replies,
  // one add of the jobs, whatever its size.
  services.events.onBatch('message.received', async (received) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    const replies = received.map(({ message, conversation }) => ({
      contactId: conversation.contactId,
      at: new Date(message.createdAt),
    }));
    const flowing = received.flatMap(({ message, conversation }) => {
      const channel = channelSchema.safeParse(conversation.channel);
      return channel.success ? [{ message, conversation, channel: channel.data }] : [];
    });
    const [first] = await Promise.all([
      firstInbound(services.db, flowing),
      markFollowUpReplies(services.db, replies).catch((error: unknown) =>
        services.logger.error(
          { err: error, messages: received.map(({ message }) => message.id) },
          'could not count follow-up replies',
        ),
      ),
    ]);
    const events = flowing.map(({ message, conversation, channel }): DomainFlowEvent & { id: string } => ({
      id: `msg-${message.id}`,
      type: 'message.received',
      subject: { contactId: conversation.contactId, conversationId: conversation.id },
      channel,
      text: textOf(message),
      ...(message.content.kind === 'button' ? { buttonId: message.content.payload } : {}),
      first: first.has(message.id),
    }));
    await enqueueFlowEvents(services.queues, events).catch((error: unknown) =>
      services.logger.error(
        { err: error, events: events.map((event) => event.id) },
        'could not hand events to the flows',
      ),
    );
  });
  services.events.on('message.created', async ({ message, conversation }) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    const channel = channelSchema.safeParse(conversation.channel);
    if (message.direction !== 'out' || !channel.success) return;
    if (message.author.kind !== 'user' && message.author.kind !== 'bot') return;
    await hand({
      id: `msg-${message.id}`,
      type: 'message.sent',
      subject: { contactId: conversation.contactId, conversationId: conversation.id },
      channel: channel.data,
      by: message.author.kind === 'user' ? 'operator' : 'bot',
    });
    // A person writing in the chat has taken it from the bot: its runs with exit.takeover end.
    if (message.author.kind === 'user')
      await hand({
        id: `takeover-${message.id}`,
        type: 'conversation.takenOver',
        subject: { contactId: conversation.contactId, conversationId: conversation.id },
        by: message.author.id,
      });
  });
  services.events.on('conversation.handler', async ({ conversation, previousHandler, by }) => {
    if (conversation.handler !== 'human' || previousHandler !== 'bot' || !(await anyFlowsInstalled(services.db)))
      return;
    await hand({
      id: `takeover-${conversation.id}-${Date.now()}`,
      type: 'conversation.takenOver',
      subject: { contactId: conversation.contactId, conversationId: conversation.id },
      ...(by ? { by: by.id } : {}),
    });
  });
  services.events.on('deal.stageChanged', async ({ deal }) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    for (const event of await stageFlowEvents(services.db, deal)) await hand(event);
    // Follow-up campaigns sourced from the stage enrol the deal after its stage events.
    await enrolStageEntry(services, deal).catch((error: unknown) =>
      services.logger.error({ err: error, deal: deal.id }, 'could not enrol a deal into follow-up campaigns'),
    );
  });
  services.events.on('lead.received', async ({ lead, contact, deal }) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    const subject = { contactId: contact.id, dealId: deal.id };
    await hand({ id: `lead-${lead.id}`, type: 'lead.created', subject, source: lead.source });
    // A site form's lead is also its form sent: `form.submitted` names the form as Settings → Forms does.
    if (lead.form)
      await hand({
        id: `form-${lead.id}`,
        type: 'form.submitted',
        subject,
        form: lead.form.name,
        values: Object.fromEntries(lead.answers.map((answer) => [answer.key, answer.value])),
      });
  });
  services.events.on('payment.recorded', async ({ schedule: view, index }) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    const schedule = await (await paymentScheduleModel(services.db)).findById(view.id).lean();
    const payment = schedule?.payments[index];
    if (!schedule || !payment) return;
    // The installment this payment went to: the earliest one it left paid or partly paid.
    const installments = installmentsOf(schedule, new Date());
    const installment = installments.find((item) => item.state !== 'paid') ?? installments.at(-1);
    const snapshot = {
      payment: {
        amount: payment.amount,
        paidAt: payment.paidAt.toISOString(),
        method: payment.method,
        ...(installment ? { installment: installment.n } : {}),
        remaining: view.remaining,
        overdue: view.overdue,
      },
      ...(installment ? { installment } : {}),
    };
    for (const { dealId, contactId } of await scheduleDeals(services.db, schedule))
      await hand({
        id: `payment-${view.id}-${index}-${dealId}`,
        type: 'payment.received',
        subject: { contactId, dealId },
        snapshot,
      });
  });
  services.events.on('task.completed', async ({ task }) => {
    if (!(await anyFlowsInstalled(services.db))) return;
    const deal = task.dealId
      ? await (await dealModel(services.db)).findById(task.dealId).select({ contactId: 1 }).lean()
      : null;
    const contactId = task.contactId ?? (deal?.contactId ? String(deal.contactId) : undefined);
    if (!contactId) return;
    await hand({
      id: `task-done-${task.id}-${task.doneAt?.getTime() ?? 0}`,
      type: 'task.completed',
      subject: { contactId, ...(task.dealId ? { dealId: task.dealId } : {}) },
      taskId: task.id,
      kind: task.kind,
      snapshot: {
        task: {
          id: task.id,
          title: task.title,
          kind: task.kind,
          ...(task.dueAt ? { dueAt: task.dueAt.toISOString() } : {}),
          assigneeId: task.assigneeId,
          done: true,
          ...(task.result ? { result: task.result } : {}),
        },
      },
    });
  });
}

function textOf(message: MessageView): string {
  switch (message.content.kind) {
    case 'text':
      return message.content.text;
    case 'button':
      return message.content.text;
    case 'media':
      return message.content.caption ?? '';
    default:
      return '';
  }
}

/**
 * The messages that are their conversation's first inbound one. The count read after the batch was
 * stored includes all of it: a conversation's earliest message in the batch (by time, then by
 * order) is first when the batch holds every inbound message the conversation has; the others
 * never are.
 */
async function firstInbound(
  db: Connection,
  received: { message: MessageView; conversation: ConversationView }[],
): Promise<Set<string>> {
  const batch = new Map<string, { earliest: MessageView; ids: Set<string> }>();
  for (const { message, conversation } of received) {
    const entry = batch.get(conversation.id);
    if (!entry) {
      batch.set(conversation.id, { earliest: message, ids: new Set([message.id]) });
      continue;
    }
    entry.ids.add(message.id);
    if (Date.parse(message.createdAt) < Date.parse(entry.earliest.createdAt)) entry.earliest = message;
  }
  if (batch.size === 0) return new Set();
  const counts = await messageModel(db).aggregate<{ _id: Types.ObjectId; inbound: number }>([
    { $match: { conversationId: { $in: [...batch.keys()].map((id) => new Types.ObjectId(id)) }, direction: 'in' } },
    { $group: { _id: '$conversationId', inbound: { $sum: 1 } } },
  ]);
  const inbound = new Map(counts.map((count) => [count._id.toHexString(), count.inbound]));
  return new Set(
    [...batch].filter(([id, { ids }]) => inbound.get(id) === ids.size).map(([, { earliest }]) => earliest.id),
  );
}
