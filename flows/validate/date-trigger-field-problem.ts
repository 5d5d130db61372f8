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
const INSTEAD: Record<string, string> = {
  task: 'use a task.overdue trigger (or a wait until the task date in a flow)',
  conversation: 'use a noReply trigger',
  payment: 'use a payment.received trigger followed by a wait',
};

/** Why a date trigger cannot watch `field`, or nothing when it can. */
export function dateTriggerFieldProblem(field: string, workspace: Pick<Workspace, 'fields'>): string | undefined {
  const [root = '', property = '', key, ...rest] = field.split('.');
  if ((root === 'deal' || root === 'contact') && property === 'fields' && key !== undefined && rest.length === 0) {
    const declared = workspace.fields.find((candidate) => candidate.entity === root && candidate.key === key);
    if (!declared || declared.type === 'date') return undefined;
    return `A date trigger needs a date field; "${field}" is a ${declared.type} field`;
  }
  if ((DATE_TRIGGER_PATHS as readonly string[]).includes(field)) return undefined;
  const hint = INSTEAD[root];
  return `A date trigger cannot watch "${field}"${hint ? `: ${hint}` : ''}; it watches ${DATE_TRIGGER_PATHS.join(', ')}`;
}
