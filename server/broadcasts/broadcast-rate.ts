import type { BroadcastRecord } from './broadcast-model.js';

// The rate is the slope over this much recent history: long enough to smooth, short enough to follow a pause.
const RATE_WINDOW_MS = 10_000;

/** A broadcast's current rate (recipients done a second) and the ETA of the rest, from its counts over time. */
export class BroadcastRate {
  private readonly samples = new Map<string, { at: number; done: number }[]>();

  /** `pending`: recipients still planned or queued. */
  live(broadcast: BroadcastRecord, pending: number): { eta: Date | null; ratePerSecond: number } {
    const id = broadcast._id.toHexString();
    const now = Date.now();
    const { sent = 0, failed = 0, skipped = 0 } = broadcast.counts;
    const done = sent + failed + skipped;
    const history = (this.samples.get(id) ?? []).filter((sample) => sample.at > now - RATE_WINDOW_MS);
    history.push({ at: now, done });
    this.samples.set(id, history);
    const first = history[0]!;
    const elapsed = (now - first.at) / 1000;
    const ratePerSecond = elapsed > 0 ? Math.max(0, (done - first.done) / elapsed) : 0;
    const eta = pending > 0 && ratePerSecond > 0 ? new Date(now + (pending / ratePerSecond) * 1000) : null;
    return { eta, ratePerSecond: Math.round(ratePerSecond * 10) / 10 };
  }

  forget(broadcastId: string): void {
    this.samples.delete(broadcastId);
  }
}
