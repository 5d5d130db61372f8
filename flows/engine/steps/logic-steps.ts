import type { StepOf } from '../../schema/step-schema.js';
import { resolveMoment } from '../calendar-rules.js';
import { addDuration } from '../duration.js';
import { evaluateCondition } from '../evaluate-condition.js';
import type { RunContext } from '../run-context.js';
import { seededFraction } from '../seeded-fraction.js';
import { continueTo, WAIT, type StepOutcome } from './step-outcome.js';

export function executeBranch(ctx: RunContext, step: StepOf<'branch'>): StepOutcome {
  const scope = ctx.scope();
  const conditionContext = { now: ctx.now, timeZone: ctx.definition.timeZone };
  const chosen = step.branches.find((branch) => evaluateCondition(branch.when, scope, conditionContext));
  const next = chosen?.next ?? step.otherwise ?? ctx.after(step);
  ctx.record(step.id, 'branch', { next: next ?? 'end' });
  return continueTo(next);
}

/**
 * Picks a variant by weight from a hash, not Math.random: a sticky split hashes the flow, the
 * step and the contact (the same contact always lands in the same variant), otherwise the run.
 */
export function executeSplit(ctx: RunContext, step: StepOf<'split'>): StepOutcome {
  const seed = step.sticky
    ? `${ctx.definition.id}.${step.id}.${ctx.state.subject.contactId}`
    : `${ctx.state.runId}.${step.id}`;
  const total = step.variants.reduce((sum, variant) => sum + variant.weight, 0);
  let point = seededFraction(seed) * total;
  const chosen =
    step.variants.find((variant) => {
      point -= variant.weight;
      return variant.weight > 0 && point < 0;
    }) ?? step.variants.findLast((variant) => variant.weight > 0);
  ctx.record(step.id, 'variant', { variant: chosen?.id ?? '?' });
  return continueTo(chosen?.next);
}

export function executeWait(ctx: RunContext, step: StepOf<'wait'>): StepOutcome {
  const { timeZone } = ctx.definition;
  let at: Date;
  if (step.for !== undefined) {
    at = resolveMoment({ in: step.for, at: step.at, weekdays: step.weekdays }, ctx.now, timeZone);
  } else {
    const value = step.until?.field ? ctx.read(step.until.field) : step.until?.date;
    if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
      ctx.record(step.id, 'noDate', { field: step.until?.field ?? 'until' });
      return continueTo(ctx.after(step));
    }
    at = resolveMoment(
      {
        anchor: new Date(value),
        before: step.until?.before,
        after: step.until?.after,
        at: step.at,
        weekdays: step.weekdays,
      },
      ctx.now,
      timeZone,
    );
  }
  if (at.getTime() <= ctx.now.getTime()) {
    ctx.record(step.id, 'timeCame');
    return continueTo(ctx.after(step));
  }
  ctx.scheduleWait(step.id, 'delay', at);
  ctx.record(step.id, 'waitingUntil', { at: at.toISOString() });
  return WAIT;
}

export function executeWaitFor(ctx: RunContext, step: StepOf<'waitFor'>): StepOutcome {
  const at = addDuration(ctx.now, step.timeout, ctx.definition.timeZone);
  ctx.scheduleWait(step.id, 'timeout', at);
  ctx.record(step.id, 'waitingFor', { event: step.event.type, at: at.toISOString() });
  return WAIT;
}
