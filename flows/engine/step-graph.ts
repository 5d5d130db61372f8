import type { Flow } from '../schema/flow-schema.js';
import type { Step } from '../schema/step-schema.js';

/** An edge out of a step: where it may go, and which key of the step says so (for error positions). */
export interface StepEdge {
  target: string;
  key: PropertyKey[];
}

/** Steps that stop the run until time passes or something happens: the only ones a loop may go through. */
export const WAITING_STEP_TYPES: ReadonlySet<Step['type']> = new Set(['wait', 'waitFor', 'ask', 'book']);

/** The step after `step` in the list, where a step without `next` goes. */
export function followingStepId(flow: Pick<Flow, 'steps'>, stepId: string): string | undefined {
  const index = flow.steps.findIndex((step) => step.id === stepId);
  return index < 0 ? undefined : flow.steps[index + 1]?.id;
}

/** Every step `step` may continue with, the implicit "following step" included. */
export function stepEdges(step: Step, following: string | undefined): StepEdge[] {
  const orFollowing = (target: string | undefined, key: PropertyKey[]): StepEdge[] => {
    if (target !== undefined) return [{ target, key }];
    return following === undefined ? [] : [{ target: following, key: ['id'] }];
  };
  const explicit = (target: string | undefined, key: PropertyKey[]): StepEdge[] =>
    target === undefined ? [] : [{ target, key }];
  switch (step.type) {
    case 'end':
      return [];
    case 'branch':
      return [
        ...step.branches.map((branch, index) => ({ target: branch.next, key: ['branches', index, 'next'] })),
        ...orFollowing(step.otherwise, ['otherwise']),
      ];
    case 'split':
      return step.variants.map((variant, index) => ({ target: variant.next, key: ['variants', index, 'next'] }));
    case 'waitFor':
      return [...orFollowing(step.next, ['next']), { target: step.onTimeout, key: ['onTimeout'] }];
    case 'ask':
      return [
        ...orFollowing(step.next, ['next']),
        ...explicit(step.onTimeout, ['onTimeout']),
        ...explicit(step.onInvalid, ['onInvalid']),
      ];
    case 'book':
      return [
        ...orFollowing(step.next, ['next']),
        ...explicit(step.onTimeout, ['onTimeout']),
        ...explicit(step.onNoSlots, ['onNoSlots']),
      ];
    default:
      return orFollowing(step.next, ['next']);
  }
}
