import type { ConversationView } from './inbox-views.js';

/** A client waiting this long shows amber, then red: the first answer should come within minutes. */
export const SLA_WARN_MS = 15 * 60_000;
export const SLA_LATE_MS = 60 * 60_000;

export type SlaLevel = 'fresh' | 'warn' | 'late';

/**
 * How long the client has been waiting for an answer: the time since their last message, while
 * that message is the conversation's latest and the conversation is ours to answer (open or
 * pending). Undefined when nobody is waiting: we wrote last, or it is snoozed or resolved.
 */
export function slaAge(conversation: ConversationView, now: Date): number | undefined {
  if (conversation.status !== 'open' && conversation.status !== 'pending') return undefined;
  if (conversation.lastMessage?.direction !== 'in' || !conversation.lastInboundAt) return undefined;
  return Math.max(0, now.getTime() - new Date(conversation.lastInboundAt).getTime());
}

export function slaLevel(age: number): SlaLevel {
  if (age >= SLA_LATE_MS) return 'late';
  return age >= SLA_WARN_MS ? 'warn' : 'fresh';
}

/** A waiting time in its largest whole unit: «12 мин», «3 ч», «2 дн» / "12 min", "3 hr", "2 days". */
export function formatAge(age: number, locale: string): string {
  const minutes = Math.floor(age / 60_000);
  const [value, unit] =
    minutes < 60
      ? [minutes, 'minute']
      : minutes < 24 * 60
        ? [Math.floor(minutes / 60), 'hour']
        : [Math.floor(minutes / 1440), 'day'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(value);
}
