import type { Assignee } from '../../schema/assignee-schema.js';
import type { Json } from '../../schema/primitive-schemas.js';
import type { StepOf } from '../../schema/step-schema.js';
import { resolveMoment } from '../calendar-rules.js';
import { renderValue } from '../render-template.js';
import type { RunContext } from '../run-context.js';
import { continueTo, type StepOutcome } from './step-outcome.js';

/** Writes a value to vars (run state) or to the contact / deal (a setField effect), and to the run's view. */
export function writeValue(ctx: RunContext, stepId: string, path: string, value: unknown): boolean {
  const [root, ...rest] = path.split('.');
  const field = rest.join('.');
  if (root === 'contact') {
    ctx.emit({
      type: 'setField',
      ...ctx.ids(stepId),
      entity: 'contact',
      recordId: ctx.state.subject.contactId,
      field,
      value,
    });
  } else if (root === 'deal') {
    const dealId = ctx.dealId();
    if (!dealId) return false;
    ctx.emit({ type: 'setField', ...ctx.ids(stepId), entity: 'deal', recordId: dealId, field, value });
  }
  ctx.setContextValue(path, value);
  return true;
}

/** Strings anywhere in a JSON value get their placeholders filled; "{{path}}" alone keeps the value's type. */
export function renderJson(ctx: RunContext, value: Json): unknown {
  const options = { timeZone: ctx.definition.timeZone, language: ctx.definition.language };
  if (typeof value === 'string') return renderValue(value, ctx.scope(), options);
  if (Array.isArray(value)) return value.map((item) => renderJson(ctx, item));
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, renderJson(ctx, item)]));
  return value;
}

export function executeSetField(ctx: RunContext, step: StepOf<'setField'>): StepOutcome {
  let value: unknown;
  if (step.increment !== undefined) {
    const current = Number(ctx.read(step.path) ?? 0);
    value = (Number.isFinite(current) ? current : 0) + step.increment;
  } else {
    value = renderJson(ctx, step.value ?? null);
  }
  const written = writeValue(ctx, step.id, step.path, value);
  if (written) ctx.record(step.id, 'fieldSet', { path: step.path, value: JSON.stringify(value) });
  else ctx.record(step.id, 'noDeal');
  return continueTo(ctx.after(step));
}

export function executeTags(ctx: RunContext, step: StepOf<'addTag'> | StepOf<'removeTag'>): StepOutcome {
  const contactId = ctx.state.subject.contactId;
  const current = ctx.state.context.contact?.tags ?? [];
  if (step.type === 'addTag') {
    ctx.emit({ type: 'addTags', ...ctx.ids(step.id), contactId, tags: step.tags });
    ctx.setContextValue('contact.tags', [...new Set([...current, ...step.tags])]);
  } else {
    ctx.emit({ type: 'removeTags', ...ctx.ids(step.id), contactId, tags: step.tags });
    ctx.setContextValue(
      'contact.tags',
      current.filter((tag) => !step.tags.includes(tag)),
    );
  }
  ctx.record(step.id, step.type === 'addTag' ? 'tagsAdded' : 'tagsRemoved', { tags: step.tags.join(', ') });
  return continueTo(ctx.after(step));
}

export function executeDealStep(
  ctx: RunContext,
  step: StepOf<'moveStage'> | StepOf<'copyDeal'> | StepOf<'markWon'> | StepOf<'markLost'>,
): StepOutcome {
  const dealId = ctx.dealId();
  if (!dealId) {
    ctx.record(step.id, 'noDeal');
    return continueTo(ctx.after(step));
  }
  switch (step.type) {
    case 'moveStage': {
      ctx.emit({ type: 'moveStage', ...ctx.ids(step.id), dealId, pipeline: step.pipeline, stage: step.stage });
      const pipeline = step.pipeline ?? ctx.state.context.deal?.pipeline ?? ctx.state.stage?.pipeline;
      ctx.setContextValue('deal.stage', step.stage);
      if (pipeline) ctx.setContextValue('deal.pipeline', pipeline);
      // The run follows its own move, so exit.stageLeft does not fire on it.
      if (ctx.state.stage && pipeline) ctx.state.stage = { pipeline, stage: step.stage };
      ctx.record(step.id, 'moved', { pipeline: pipeline ?? '?', stage: step.stage });
      break;
    }
    case 'copyDeal':
      ctx.emit({ type: 'copyDeal', ...ctx.ids(step.id), dealId, pipeline: step.pipeline, stage: step.stage });
      ctx.record(step.id, 'copied', { pipeline: step.pipeline, stage: step.stage ?? '' });
      break;
    case 'markWon':
      ctx.emit({ type: 'markWon', ...ctx.ids(step.id), dealId });
      ctx.setContextValue('deal.status', 'won');
      ctx.record(step.id, 'won');
      break;
    case 'markLost': {
      const reasonName = lostReasonName(ctx, step.reason);
      ctx.emit({ type: 'markLost', ...ctx.ids(step.id), dealId, reason: step.reason, reasonName });
      ctx.setContextValue('deal.status', 'lost');
      ctx.record(step.id, 'lost', { reason: step.reason });
      break;
    }
  }
  return continueTo(ctx.after(step));
}

/** The reason's name in the deal's pipeline, else in any pipeline that has it. */
function lostReasonName(ctx: RunContext, reason: string): { ru: string; en?: string } {
  const reasons = ctx.definition.lostReasons;
  const pipeline = ctx.state.context.deal?.pipeline;
  const own = pipeline ? reasons[pipeline]?.[reason] : undefined;
  const any = Object.values(reasons).find((names) => names[reason])?.[reason];
  return own ?? any ?? { ru: reason };
}

/** An assignee with `field` read now: the user id stored there, or the owner when it is empty. */
export function resolveAssignee(ctx: RunContext, assignee: Assignee): Assignee {
  if (assignee.type !== 'field') return assignee;
  const value = ctx.read(assignee.path);
  return typeof value === 'string' && value ? { type: 'user', user: value } : { type: 'owner' };
}

export function executeCreateTask(ctx: RunContext, step: StepOf<'createTask'>): StepOutcome {
  const language = ctx.definition.language;
  let dueAt: Date | undefined;
  if (step.due) {
    const anchorValue = step.due.field ? ctx.read(step.due.field) : step.due.date;
    const anchor =
      typeof anchorValue === 'string' && !Number.isNaN(Date.parse(anchorValue)) ? new Date(anchorValue) : undefined;
    if (step.due.in || anchor) dueAt = resolveMoment({ ...step.due, anchor }, ctx.now, ctx.definition.timeZone);
  }
  ctx.emit({
    type: 'createTask',
    ...ctx.ids(step.id),
    title: ctx.render(step.title, language),
    description: step.description && ctx.render(step.description, language),
    kind: step.kind,
    assignee: resolveAssignee(ctx, step.assignee),
    dueAt: dueAt?.toISOString(),
    contactId: ctx.state.subject.contactId,
    dealId: ctx.dealId(),
  });
  const title = ctx.render(step.title, language);
  if (dueAt) ctx.record(step.id, 'taskDue', { title, due: dueAt.toISOString() });
  else ctx.record(step.id, 'task', { title });
  return continueTo(ctx.after(step));
}
