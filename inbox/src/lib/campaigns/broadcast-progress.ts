import type { BroadcastCounts, BroadcastView } from './campaign-views';

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
