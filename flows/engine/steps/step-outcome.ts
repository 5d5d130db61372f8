/** What a step leaves the run to do: go on (to a step, or finish when none), wait, or end. */
export type StepOutcome = { kind: 'continue'; next: string | undefined } | { kind: 'wait' } | { kind: 'end' };

export const continueTo = (next: string | undefined): StepOutcome => ({ kind: 'continue', next });
export const WAIT: StepOutcome = { kind: 'wait' };
