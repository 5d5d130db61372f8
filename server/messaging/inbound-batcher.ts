import type { IngestServices } from './ingest-events.js';
import { storeInboundMessages, type InboundItem } from './store-inbound-messages.js';

type Outcome = Awaited<ReturnType<typeof storeInboundMessages>>[number];
type Stored = Exclude<Outcome, Error>;

// Past this a batch's round trips grow slower than the requests waiting for it.
const MAX_BATCH = 256;
// A batch spends most of its time waiting on the store's round trips; a few in flight keep both
// the app's thread and the store's busy. Batches commute: counters are increments, the unique
// dedupe key guards redeliveries across batches, and conversations are opened race-safely.
const MAX_IN_FLIGHT = 3;

/**
 * Group commit for inbound messages: the messages of requests that arrive while batches are being
 * stored are stored together in the next one. Under a trickle every message is a batch of one (no
 * added wait); under load the store's round trips are shared by many webhooks.
 */
export class InboundBatcher {
  private pending: { item: InboundItem; resolve: (outcome: Stored) => void; reject: (error: Error) => void }[] = [];
  private inFlight = 0;
  private scheduled = false;

  constructor(private readonly services: () => IngestServices) {}

  store(item: InboundItem): Promise<Stored> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= MAX_IN_FLIGHT) return;
    this.scheduled = true;
    // Let the requests already parsed in this turn of the event loop join the batch.
    setImmediate(() => {
      this.scheduled = false;
      if (this.pending.length === 0 || this.inFlight >= MAX_IN_FLIGHT) return;
      void this.run(this.pending.splice(0, MAX_BATCH));
      if (this.pending.length > 0) this.schedule();
    });
  }

  private async run(batch: typeof this.pending): Promise<void> {
    this.inFlight += 1;
    try {
      const outcomes = await storeInboundMessages(
        this.services(),
        batch.map(({ item }) => item),
      );
      batch.forEach((entry, index) => {
        const outcome = outcomes[index];
        if (outcome instanceof Error || !outcome) entry.reject(outcome ?? new Error('The message was not stored'));
        else entry.resolve(outcome);
      });
    } catch (error) {
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const entry of batch) entry.reject(failure);
    } finally {
      this.inFlight -= 1;
      if (this.pending.length > 0) this.schedule();
    }
  }
}
