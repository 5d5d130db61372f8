import type { BroadcastRecord } from './broadcast-model.js';

/**
 * Recipients not yet done (planned, or queued and not sent or failed), read from the counts
 * rather than counted: counting a large broadcast's recipients every second would load the
 * store. Skips at launch are the audience not planned; the rest of `skipped` came later.
 */
export function pendingRecipients(broadcast: Pick<BroadcastRecord, 'counts'>): number {
  const { audience = 0, planned = 0, skipped = 0, sent = 0, failed = 0 } = broadcast.counts;
  const skippedLater = skipped - (audience - planned);
  return Math.max(0, planned - sent - failed - skippedLater);
}
