import type { QueueRegistry } from '../queues/queue-registry.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { messageModel } from './message-model.js';
import { enqueueOutbound, outboundPriority, outboundQueueName, type OutboundJob } from './outbound-queue.js';
import { sendOutboundMessage, type OutboundServices } from './send-outbound-message.js';

const RECONCILE_EVERY_MS = 10_000;
// A message still `queued` this long after it was stored lost its job (Redis was away when it was queued).
const REQUEUE_AFTER_MS = 60_000;

/**
 * Keeps one outbound worker per active channel account in a worker process, each limited to its
 * account's rate. Accounts come and go while the app runs, so the set is reconciled on every
 * channel change and every few seconds (a change made through another process).
 */
export class OutboundDispatcher {
  private readonly rates = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly services: OutboundServices,
    private readonly queues: QueueRegistry,
  ) {}

  start(): void {
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), RECONCILE_EVERY_MS);
    this.timer.unref();
  }

  /** Serialised: a burst of channel changes runs one pass after another, never two at once. */
  reconcile(): Promise<void> {
    const previous = this.running ?? Promise.resolve();
    this.running = previous
      .then(() => this.pass())
      .catch((error: unknown) => {
        this.services.logger.error({ err: error }, 'outbound reconcile failed');
      });
    return this.running;
  }

  private async pass(): Promise<void> {
    const accounts = await this.services.channels.listActive();
    const active = new Set(accounts.map((account) => account.id));
    for (const [accountId] of this.rates) {
      if (active.has(accountId)) continue;
      await this.queues.stopProcessing(outboundQueueName(accountId));
      this.rates.delete(accountId);
    }
    for (const account of accounts) await this.ensureWorker(account);
    await this.requeueStranded(accounts);
  }

  private async ensureWorker(account: LoadedAccount): Promise<void> {
    const name = outboundQueueName(account.id);
    if (this.rates.get(account.id) === account.ratePerSecond && this.queues.isProcessing(name)) return;
    await this.queues.stopProcessing(name);
    this.services.channels.invalidate(account.id);
    const worker = this.queues.process<OutboundJob>(
      name,
      (job, token, self) => sendOutboundMessage(this.services, self, job, token),
      {
        limiter: { max: account.ratePerSecond, duration: 1000 },
        // A worker killed mid-send gives its job back within seconds rather than BullMQ's default 30.
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    if (worker) this.rates.set(account.id, account.ratePerSecond);
  }

  private async requeueStranded(accounts: LoadedAccount[]): Promise<void> {
    const stranded = await messageModel(this.services.db)
      .find(
        { status: 'queued', direction: 'out', createdAt: { $lt: new Date(Date.now() - REQUEUE_AFTER_MS) } },
        { _id: 1, channelAccountId: 1, broadcastId: 1 },
      )
      .limit(1000)
      .lean();
    const active = new Set(accounts.map((account) => account.id));
    for (const message of stranded) {
      const accountId = message.channelAccountId.toHexString();
      // The job id is the message id: a message whose job is merely waiting gets no second one.
      if (!active.has(accountId)) continue;
      await enqueueOutbound(this.queues, accountId, message._id.toHexString(), outboundPriority(message));
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
