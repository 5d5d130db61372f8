import type { StepOf } from '../../schema/step-schema.js';
import type { RunContext } from '../run-context.js';
import { heldByQuietHours, message } from './message-steps.js';
import { renderJson, resolveAssignee } from './record-steps.js';
import { continueTo, type StepOutcome } from './step-outcome.js';

export function executeAssign(ctx: RunContext, step: StepOf<'assign'>): StepOutcome {
  const assignee = resolveAssignee(ctx, step.assignee);
  ctx.emit({
    type: 'assign',
    ...ctx.ids(step.id),
    target: step.target,
    assignee,
    contactId: ctx.state.subject.contactId,
    conversationId: ctx.conversationId(),
    dealId: ctx.dealId(),
  });
  ctx.record(step.id, 'assigned', { to: assignee.type });
  return continueTo(ctx.after(step));
}

/**
 * Hands the conversation to a person, telling the client first if the step says what — unless it
 * is quiet hours or WhatsApp would refuse the text: then the person writes when they take over.
 */
export function executeHandoff(ctx: RunContext, step: StepOf<'handoff'>): StepOutcome {
  const contactId = ctx.state.subject.contactId;
  let told = false;
  if (step.message && !heldByQuietHours(ctx, 'respect')) {
    const notice = message(ctx, step.id, { text: step.message, channel: 'conversation' }, 'handoff');
    if (notice) ctx.emit(notice);
    told = notice !== undefined;
  }
  ctx.emit({
    type: 'handoff',
    ...ctx.ids(step.id),
    contactId,
    conversationId: ctx.conversationId(),
    assignee: step.assignee && resolveAssignee(ctx, step.assignee),
    note: step.note && ctx.render(step.note, ctx.definition.language),
  });
  ctx.record(step.id, step.message && !told ? 'handedOffUntold' : 'handedOff');
  return continueTo(ctx.after(step));
}

export function executeNotify(ctx: RunContext, step: StepOf<'notify'>): StepOutcome {
  ctx.emit({
    type: 'notify',
    ...ctx.ids(step.id),
    to: resolveAssignee(ctx, step.to),
    text: ctx.render(step.text, ctx.definition.language),
    contactId: ctx.state.subject.contactId,
    dealId: ctx.dealId(),
  });
  ctx.record(step.id, 'notified');
  return continueTo(ctx.after(step));
}

export function executeWebhook(ctx: RunContext, step: StepOf<'webhook'>): StepOutcome {
  const language = ctx.definition.language;
  ctx.emit({
    type: 'callWebhook',
    ...ctx.ids(step.id),
    url: ctx.renderString(step.url, language),
    method: step.method,
    headers: Object.fromEntries(
      Object.entries(step.headers ?? {}).map(([name, value]) => [name, ctx.renderString(value, language)]),
    ),
    body: step.body === undefined ? undefined : renderJson(ctx, step.body),
  });
  ctx.record(step.id, 'webhook', { method: step.method, url: step.url });
  return continueTo(ctx.after(step));
}

export function executeFlowLink(ctx: RunContext, step: StepOf<'enroll'> | StepOf<'leave'>): StepOutcome {
  const subject = ctx.state.subject;
  if (step.type === 'enroll') ctx.emit({ type: 'enroll', ...ctx.ids(step.id), flowId: step.flow, subject });
  else ctx.emit({ type: 'unenroll', ...ctx.ids(step.id), flowId: step.flow, subject });
  ctx.record(step.id, step.type === 'enroll' ? 'enrolled' : 'unenrolled', { flow: step.flow });
  return continueTo(ctx.after(step));
}
