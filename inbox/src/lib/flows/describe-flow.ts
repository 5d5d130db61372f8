import type { FlowPart } from './flow-views';
import { localName } from './local-name';

/** A trigger's parameters as the file gives them (what tells it apart from others of its type). */
export function describeTrigger(trigger: FlowPart): string {
  return Object.entries(trigger)
    .filter(([key]) => key !== 'type')
    .map(([key, value]) => `${key}: ${Array.isArray(value) ? value.join(', ') : String(value)}`)
    .join('; ');
}

/** A text from the file (`{ ru, en }`) in the inbox's language. */
const textOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'ru' in value && typeof value.ru === 'string'
    ? localName({ ru: value.ru, ...('en' in value && typeof value.en === 'string' ? { en: value.en } : {}) })
    : undefined;

/** What a step does, in a few words taken from its own keys (the text it sends, the stage, the wait). */
export function describeStep(step: FlowPart): string {
  const text = textOf(step.text) ?? textOf(step.question) ?? textOf(step.title) ?? textOf(step.message);
  const parts = [
    typeof step.stage === 'string'
      ? `${typeof step.pipeline === 'string' ? `${step.pipeline}/` : ''}${step.stage}`
      : '',
    typeof step.for === 'string' ? step.for : '',
    typeof step.timeout === 'string' ? `≤ ${step.timeout}` : '',
    typeof step.flow === 'string' ? step.flow : '',
    typeof step.path === 'string' ? step.path : '',
    Array.isArray(step.tags) ? step.tags.join(', ') : '',
    typeof step.event === 'object' && step.event !== null && 'type' in step.event ? String(step.event.type) : '',
    text ? `«${text.length > 90 ? `${text.slice(0, 89)}…` : text}»` : '',
  ];
  return parts.filter(Boolean).join(' · ');
}

export interface StepExit {
  kind: 'next' | 'branch' | 'otherwise' | 'timeout' | 'invalid' | 'variant';
  label?: string;
  to: string;
}

/** Where a step can go besides the step below it: branches, variants, timeouts. */
export function stepExits(step: FlowPart): StepExit[] {
  const exits: StepExit[] = [];
  if (Array.isArray(step.branches))
    for (const branch of step.branches as { next?: string; when?: { path?: string; op?: string; value?: unknown } }[])
      if (branch.next)
        exits.push({
          kind: 'branch',
          label: branch.when?.path
            ? `${branch.when.path} ${branch.when.op ?? ''} ${String(branch.when.value ?? '')}`
            : '…',
          to: branch.next,
        });
  if (Array.isArray(step.variants))
    for (const variant of step.variants as { id: string; weight: number; next?: string }[])
      if (variant.next) exits.push({ kind: 'variant', label: `${variant.id} ${variant.weight}%`, to: variant.next });
  if (typeof step.otherwise === 'string') exits.push({ kind: 'otherwise', to: step.otherwise });
  if (typeof step.onTimeout === 'string') exits.push({ kind: 'timeout', to: step.onTimeout });
  if (typeof step.onInvalid === 'string') exits.push({ kind: 'invalid', to: step.onInvalid });
  if (typeof step.next === 'string') exits.push({ kind: 'next', to: step.next });
  return exits;
}
