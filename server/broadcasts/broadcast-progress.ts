import type { ApiServices } from '../api/api-services.js';
import type { BroadcastRecord } from './broadcast-model.js';
import { BroadcastRate } from './broadcast-rate.js';
import { toBroadcastView } from './to-broadcast-view.js';

const EMIT_EVERY_MS = 900;

/**
 * Live progress of broadcasts being sent, pushed as `broadcast.progress` with the current rate
 * and ETA at most about once a second per broadcast across every process (a Redis key marks the
 * last push).
 */
export class BroadcastProgress {
  private readonly rate = new BroadcastRate();

  constructor(private readonly services: Pick<ApiServices, 'events' | 'redis'>) {}

  /** `pending`: recipients still planned or queued; `force` pushes a final state whatever the last push. */
  async push(broadcast: BroadcastRecord, pending: number, options: { force?: boolean } = {}): Promise<void> {
    const live = this.rate.live(broadcast, pending);
    if (!options.force) {
      const redis = await this.services.redis.commands();
      const first = await redis.set(
        `broadcast:progress:${broadcast._id.toHexString()}`,
        '1',
        'PX',
        EMIT_EVERY_MS,
        'NX',
      );
      if (first !== 'OK') return;
    }
    this.services.events.emit({ type: 'broadcast.progress', broadcast: toBroadcastView(broadcast, live) });
  }

  forget(broadcastId: string): void {
    this.rate.forget(broadcastId);
  }
}
