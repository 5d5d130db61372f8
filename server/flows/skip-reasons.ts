import { ApiError } from '../api/api-error.js';

/**
 * Why a flow effect was not performed. Like the history notes (flows/engine/history-notes.ts),
 * each reason keeps its code and values so the inbox words it in the reader's language; the
 * English line goes to logs and to inboxes that do not know the code yet.
 */
const SKIP_REASONS = {
  dealGone: () => 'the deal is gone',
  contactGone: () => 'the contact is gone',
  conversationGone: () => 'the conversation is gone',
  noPipeline: (p: { pipeline: string }) => `no pipeline "${p.pipeline}"`,
  nobodyToNotify: () => 'nobody to notify',
  nobodyForTask: () => 'nobody to assign the task to',
  nobodyToAssign: () => 'nobody to assign to',
  noConversationToHandOver: () => 'the contact has no conversation to hand over',
  noConversation: (p: { channel: string }) => `the contact has no ${p.channel ? `${p.channel} ` : ''}conversation`,
  notAPhone: (p: { value: string }) => `not a phone number: ${p.value}`,
  notAnEmail: (p: { value: string }) => `not an e-mail: ${p.value}`,
  keyTaken: (p: { field: string }) => `another contact has this ${p.field}`,
  fieldNotSettable: (p: { field: string }) => `${p.field} cannot be set by a flow`,
  badFieldName: (p: { field: string }) => `bad field name ${p.field}`,
  appointmentButton: () => 'an appointment button, not a slot',
  /** The action was refused as a person's would be (an API rule): its error code and message. */
  refused: (p: { code: string; message: string }) => p.message,
} satisfies Record<string, (params: never) => string>;

export type SkipCode = keyof typeof SKIP_REASONS;

export interface SkipReason {
  code: SkipCode;
  params?: Record<string, string>;
  /** The English line. */
  text: string;
}

type ParamsOf<C extends SkipCode> =
  Parameters<(typeof SKIP_REASONS)[C]> extends [] ? [] : [params: Parameters<(typeof SKIP_REASONS)[C]>[0]];

/** An effect's outcome when it was not performed, e.g. `return skip('noPipeline', { pipeline })`. */
export function skip<C extends SkipCode>(code: C, ...params: ParamsOf<C>): { skipped: SkipReason } {
  const note = SKIP_REASONS[code] as (params?: unknown) => string;
  const values = params[0] as Record<string, string> | undefined;
  return { skipped: { code, ...(values ? { params: values } : {}), text: note(values) } };
}

/** A refusal the API would give a person (4xx) becomes a skip; anything else is a fault to retry. */
export function skipIfRefused(error: unknown): { skipped: SkipReason } {
  if (error instanceof ApiError && error.status < 500)
    return skip('refused', { code: error.code, message: error.message });
  throw error;
}
