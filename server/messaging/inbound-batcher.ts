import type { IngestServices } from './ingest-events.js';
import { storeInboundMessages, type InboundItem } from './store-inbound-messages.js';

type Outcome = Awaited<ReturnType<typeof storeInboundMessages>>[number];

// Past this a batch's round trips grow slower than the requests waiting for it.
const MAX_BATCH = 256;

/**
 * Group commit for inbound messages: the messages of requests that arrive while a batch is being
 * stored are stored together in the next one. Under a trickle every message is a batch of one
 * (no added wait); under load the store's round trips are shared by many webhooks.
 */
export class InboundBatcher {
  private pending: {
    item: InboundItem;
    resolve: (outcome: Exclude<Outcome, Error>) => void;
    reject: (error: Error) => void;
  }[] = [];
  private running = false;

  constructor(private readonly services: () => IngestServices) {}

  store(item: InboundItem): Promise<Exclude<Outcome, Error>> {
    return new Promise((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    // Let the requests already parsed in this turn of the event loop join the first batch.
    await new Promise((resolve) => setImmediate(resolve));
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0, MAX_BATCH);
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
      }
    }
    this.running = false;
  }
}
