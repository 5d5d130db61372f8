import type { FlowFileWords } from '../schema/flow-file-texts.js';
import type { Workspace } from '../schema/workspace-schema.js';

/**
 * The dates a `date` trigger can watch: the executor finds the records whose moment comes by
 * asking the store for these (server/flows/record-flow-events.ts, schedule-flow-events.ts), and
 * the simulator keeps a timer for each. Custom fields count when they are of type `date`.
 */
export const DATE_TRIGGER_PATHS = [
  'installment.dueAt',
  'appointment.startsAt',
  'appointment.endsAt',
  'deal.createdAt',
  'deal.stageEnteredAt',
  'deal.fields.<date field>',
  'contact.createdAt',
  'contact.fields.<date field>',
] as const;

/** What to use instead, for dates that change too often or belong to an event. */
const INSTEAD: Record<string, 'dateHintTask' | 'dateHintConversation' | 'dateHintPayment'> = {
  task: 'dateHintTask',
  conversation: 'dateHintConversation',
  payment: 'dateHintPayment',
};

/** Why a date trigger cannot watch `field`, in `words`, or nothing when it can. */
export function dateTriggerFieldProblem(
  field: string,
  workspace: Pick<Workspace, 'fields'>,
  words: FlowFileWords,
): string | undefined {
  const [root = '', property = '', key, ...rest] = field.split('.');
  if ((root === 'deal' || root === 'contact') && property === 'fields' && key !== undefined && rest.length === 0) {
    const declared = workspace.fields.find((candidate) => candidate.entity === root && candidate.key === key);
    if (!declared || declared.type === 'date') return undefined;
    return words('dateFieldType', { field, type: declared.type });
  }
  if ((DATE_TRIGGER_PATHS as readonly string[]).includes(field)) return undefined;
  const hint = INSTEAD[root];
  const paths = DATE_TRIGGER_PATHS.join(', ');
  return hint
    ? words('dateCannotWatchHint', { field, hint: words(hint), paths })
    : words('dateCannotWatch', { field, paths });
}
