import type { BroadcastCounts, BroadcastView } from './campaign-views.js';

export interface BroadcastProgress {
  /** Recipients whose message has gone out or failed for good. */
  done: number;
  /** Recipients given a channel at launch (the audience less those skipped). */
  total: number;
  percent: number;
}

/*
 * The counts are milestones, each counted once per recipient when first reached
 * (server/broadcasts/broadcast-model.ts): `sent` includes the delivered and read, `delivered` the read.
 */

/** Everyone a message went out to, whatever happened to it after. */
export function reached(counts: BroadcastCounts): number {
  return counts.sent;
}

/** Everyone whose channel confirmed the message arrived, read or not. */
export function delivered(counts: BroadcastCounts): number {
  return counts.delivered;
}

/** How far a broadcast has got: a finished one is whole, however many its recipients. */
export function progressOf(view: Pick<BroadcastView, 'counts' | 'status'>): BroadcastProgress {
  const { counts } = view;
  const total = counts.planned;
  const done = Math.min(total, counts.sent + counts.failed);
  if (view.status === 'completed') return { done, total, percent: 100 };
  return { done, total, percent: total > 0 ? Math.floor((done / total) * 100) : 0 };
}

/** Share of `part` in `whole` as a whole percent, for the results ("42 %"); 0 of nothing is 0. */
export function share(part: number, whole: number): number {
  return whole > 0 ? Math.round((part / whole) * 100) : 0;
}

/**
 * Channels whose provider tells us a message arrived and was read (WhatsApp and SMS statuses;
 * the server's adapters declare it as `reportsDeliveryStatus`, e-mail only for bounces). Elsewhere
 * "delivered" and "read" are unknown, not zero.
 */
export function confirmsDelivery(channel: string): boolean {
  return channel === 'whatsapp' || channel === 'sms';
}

/**
 * Messages sent on channels that confirm delivery: the base of the delivered and read shares.
 * Null when none of the broadcast's channels confirms, so the results say "—" rather than "0 %".
 */
export function confirmableSends(view: Pick<BroadcastView, 'countsByChannel'>): number | null {
  const confirming = Object.entries(view.countsByChannel).filter(([channel]) => confirmsDelivery(channel));
  if (confirming.length === 0) return null;
  return confirming.reduce((sum, [, counts]) => sum + (counts?.sent ?? 0), 0);
}
