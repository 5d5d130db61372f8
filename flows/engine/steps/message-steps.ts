import type { AskStep, Button, SendStep } from '../../schema/message-step-schemas.js';
import type { LocalizedText } from '../../schema/primitive-schemas.js';
import { isQuiet, nextOpening } from '../calendar-rules.js';
import { addDuration } from '../duration.js';
import type { EffectOf } from '../effect-schema.js';
import type { DomainFlowEvent } from '../flow-event-schema.js';
import { parseAnswer } from '../parse-answer.js';
import type { RunContext } from '../run-context.js';
import { isSet } from '../resolve-path.js';
import type { PendingWait } from '../run-state-schema.js';
import { localDate } from '../zoned-time.js';
import { continueTo, WAIT, type StepOutcome } from './step-outcome.js';
import { writeValue } from './record-steps.js';

/**
 * Whether a client message must wait for the end of quiet hours. Replies to a message the client
 * just sent are never held back: nobody is woken by an answer they are waiting for.
 */
export function heldByQuietHours(ctx: RunContext, respect: 'respect' | 'ignore'): boolean {
  const quiet = ctx.definition.quietHours;
  if (!quiet || respect === 'ignore' || ctx.event?.type === 'message.received') return false;
  return isQuiet(ctx.now, quiet, ctx.definition.timeZone);
}

function deferToOpening(ctx: RunContext, stepId: string, kind: PendingWait['kind']): StepOutcome {
  const quiet = ctx.definition.quietHours;
  const at = quiet ? nextOpening(ctx.now, quiet, ctx.definition.timeZone) : ctx.now;
  ctx.scheduleWait(stepId, kind, at);
  ctx.record(stepId, 'quietHours', { at: at.toISOString() });
  return WAIT;
}

interface MessageParts {
  text: LocalizedText;
  buttons?: readonly Button[];
  channel: SendStep['channel'];
  render?: SendStep['render'];
  whatsappTemplate?: SendStep['whatsappTemplate'];
}

/** The sendMessage effect for a text, or undefined when WhatsApp would refuse it (window closed, no template). */
export function message(
  ctx: RunContext,
  stepId: string,
  parts: MessageParts,
  purpose: EffectOf<'sendMessage'>['purpose'],
): EffectOf<'sendMessage'> | undefined {
  const language = ctx.clientLanguage();
  const conversation = ctx.state.context.conversation;
  const channel = parts.channel === 'conversation' ? (conversation?.channel ?? 'preferred') : parts.channel;
  const inConversation = parts.channel === 'conversation' || parts.channel === conversation?.channel;
  if (channel === 'whatsapp' && !parts.whatsappTemplate && ctx.whatsappWindowOpen() === false) return undefined;
  const render = parts.render;
  return {
    type: 'sendMessage',
    ...ctx.ids(stepId),
    contactId: ctx.state.subject.contactId,
    conversationId: inConversation ? ctx.conversationId() : undefined,
    channel,
    language,
    purpose,
    text: ctx.render(parts.text, language),
    buttons: (parts.buttons ?? []).map((button) => ({
      id: button.id,
      text: ctx.render(button.text, language),
      url: button.url,
    })),
    render: render && {
      telegram: render.telegram,
      whatsapp: render.whatsapp && {
        asList: render.whatsapp.asList,
        listTitle: render.whatsapp.listTitle && ctx.render(render.whatsapp.listTitle, language),
      },
      email: render.email && { subject: ctx.render(render.email.subject, language) },
      sms: render.sms && { text: ctx.render(render.sms.text, language) },
    },
    whatsappTemplate: parts.whatsappTemplate && {
      name: parts.whatsappTemplate.name,
      language: parts.whatsappTemplate.language,
      params: parts.whatsappTemplate.params.map((param) => ctx.renderString(param, language)),
    },
  };
}

export function executeSend(ctx: RunContext, step: SendStep, afterQuietHours: boolean): StepOutcome {
  if (!afterQuietHours && heldByQuietHours(ctx, step.quietHours)) return deferToOpening(ctx, step.id, 'quiet-hours');
  const effect = message(ctx, step.id, step, 'message');
  if (effect) ctx.emit(effect);
  if (effect) ctx.record(step.id, 'sent', { channel: effect.channel });
  else ctx.record(step.id, 'notSentWindow');
  return continueTo(ctx.after(step));
}

/** Whether the step's answer is known already, so the client is not asked again. */
function answeredBefore(ctx: RunContext, step: AskStep): boolean {
  return step.skipIfAnswered && step.saveTo !== undefined && isSet(ctx.read(step.saveTo));
}

/**
 * Saves the answers to later questions that the client's message already gave (`event.found`,
 * by step id): only to ask steps that skip when answered, and never over a value already there.
 */
export function saveFoundAnswers(ctx: RunContext, event: DomainFlowEvent | undefined): void {
  if (event?.type !== 'message.received' || !event.found) return;
  for (const [stepId, value] of Object.entries(event.found)) {
    const step = ctx.stepById(stepId);
    if (step?.type !== 'ask' || !step.saveTo || answeredBefore(ctx, step)) continue;
    if (writeValue(ctx, step.id, step.saveTo, value))
      ctx.record(step.id, 'answeredInAdvance', { value: String(value) });
  }
}

export function executeAsk(ctx: RunContext, step: AskStep, afterQuietHours: boolean): StepOutcome {
  if (answeredBefore(ctx, step)) {
    ctx.record(step.id, 'alreadyAnswered');
    return continueTo(ctx.after(step));
  }
  if (!afterQuietHours && heldByQuietHours(ctx, step.quietHours)) return deferToOpening(ctx, step.id, 'quiet-hours');
  const effect = message(ctx, step.id, { ...step, text: step.question }, 'question');
  if (!effect) {
    ctx.record(step.id, 'notAskedWindow');
    return continueTo(step.onTimeout ?? ctx.after(step));
  }
  ctx.emit(effect);
  ctx.state.attempts[step.id] = 0;
  if (step.timeout) {
    const timeoutAt = addDuration(ctx.now, step.timeout, ctx.definition.timeZone);
    if (step.reminder) {
      const remindAt = addDuration(ctx.now, step.reminder.after, ctx.definition.timeZone);
      if (remindAt < timeoutAt) ctx.scheduleWait(step.id, 'reminder', remindAt);
    }
    ctx.scheduleWait(step.id, 'timeout', timeoutAt);
  }
  ctx.record(step.id, 'asked', { answer: step.answer });
  return WAIT;
}

const RETRY_TEXTS: Record<AskStep['answer'], LocalizedText> = {
  phone: {
    ru: 'Не похоже на номер телефона. Напишите, пожалуйста, номер, например +7 999 123-45-67.',
    en: 'That does not look like a phone number. Please write it like +7 999 123-45-67.',
  },
  email: {
    ru: 'Не похоже на адрес почты. Напишите, пожалуйста, e-mail, например name@mail.ru.',
    en: 'That does not look like an e-mail address. Please write one like name@example.com.',
  },
  number: { ru: 'Напишите, пожалуйста, число, например 1500000.', en: 'Please write a number, e.g. 1500000.' },
  choice: { ru: 'Пожалуйста, выберите один из вариантов.', en: 'Please pick one of the options.' },
  date: { ru: 'Напишите, пожалуйста, дату в формате ДД.ММ.ГГГГ.', en: 'Please write a date as DD.MM.YYYY.' },
  text: { ru: 'Напишите, пожалуйста, ответ текстом.', en: 'Please answer in text.' },
  name: { ru: 'Напишите, пожалуйста, как к вам обращаться.', en: 'Please write how we should call you.' },
};

/** A client's message while the run waits on an ask step. */
export function answerAsk(
  ctx: RunContext,
  step: AskStep,
  event: Extract<DomainFlowEvent, { type: 'message.received' }>,
): StepOutcome {
  if (event.answered) {
    const again = message(ctx, step.id, { ...step, text: step.question }, 'question');
    if (again) ctx.emit(again);
    ctx.record(step.id, 'askedAgain');
    return WAIT;
  }
  const today = localDate(ctx.now, ctx.definition.timeZone);
  // The executor's answer parser may have read it already (see AnswerParser); else the built-in one.
  const parsed =
    event.answer ?? parseAnswer(step.answer, { text: event.text, buttonId: event.buttonId }, step.buttons ?? [], today);
  if (parsed.ok) {
    ctx.cancelWaits((wait) => wait.stepId === step.id);
    delete ctx.state.attempts[step.id];
    if (step.saveTo) writeValue(ctx, step.id, step.saveTo, parsed.value);
    ctx.record(step.id, 'answered', { value: String(parsed.value) });
    saveFoundAnswers(ctx, event);
    return continueTo(ctx.after(step));
  }
  saveFoundAnswers(ctx, event);
  const attempts = (ctx.state.attempts[step.id] ?? 0) + 1;
  ctx.state.attempts[step.id] = attempts;
  if (attempts > step.retries) {
    ctx.cancelWaits((wait) => wait.stepId === step.id);
    delete ctx.state.attempts[step.id];
    ctx.record(step.id, 'retriesUsedUp');
    return continueTo(step.onInvalid ?? ctx.after(step));
  }
  const retry = message(ctx, step.id, { ...step, text: step.retryText ?? RETRY_TEXTS[step.answer] }, 'retry');
  if (retry) ctx.emit(retry);
  ctx.record(step.id, 'answerDidNotFit', { attempt: attempts, retries: step.retries });
  return WAIT;
}

/** The ask step's reminder timer: remind once (after quiet hours if need be) and keep waiting. */
export function remindAsk(ctx: RunContext, step: AskStep): StepOutcome {
  if (!step.reminder) return WAIT;
  if (heldByQuietHours(ctx, step.quietHours)) {
    deferToOpening(ctx, step.id, 'reminder');
    return WAIT;
  }
  const reminder = message(ctx, step.id, { ...step, text: step.reminder.text }, 'reminder');
  if (reminder) ctx.emit(reminder);
  ctx.record(step.id, 'reminded');
  return WAIT;
}

export function timeOutAsk(ctx: RunContext, step: AskStep): StepOutcome {
  ctx.cancelWaits((wait) => wait.stepId === step.id);
  delete ctx.state.attempts[step.id];
  ctx.record(step.id, 'noAnswer');
  return continueTo(step.onTimeout ?? ctx.after(step));
}
