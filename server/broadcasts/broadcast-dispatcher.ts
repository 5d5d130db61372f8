import { Types } from 'mongoose';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { messageModel, type MessageRecord } from '../messaging/message-model.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import { BroadcastProgress } from './broadcast-progress.js';
import { BROADCAST_LAUNCH_QUEUE, recipientQueueName, type LaunchJob, type RecipientJob } from './broadcast-queues.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { deliverToRecipient, type DeliveryServices } from './deliver-to-recipient.js';
import { enqueueLaunch } from './enqueue-launch.js';
import { freezeAudience } from './freeze-audience.js';
import { pendingRecipients } from './pending-recipients.js';
import { recountBroadcast } from './recount-broadcast.js';
import { applyRecipientStatus } from './apply-recipient-status.js';

const PASS_EVERY_MS = 1000;
// A delivery job reads and writes the store a dozen times; a few at once keep up with fast accounts.
const MAX_CONCURRENCY = 8;

/**
 * Keeps one delivery worker per (running broadcast, account) queue in a worker process, limited
 * to the account's rate, like the OutboundDispatcher does for replies. Every second it also
 * re-queues a launch that lost its job, pushes progress, and completes broadcasts with nothing
 * planned or queued any more.
 */
export class BroadcastDispatcher {
  private readonly rates = new Map<string, number>();
  private readonly progress: BroadcastProgress;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(private readonly services: DeliveryServices) {
    this.progress = new BroadcastProgress(services);
  }

  start(): void {
    this.services.queues.process<LaunchJob>(
      BROADCAST_LAUNCH_QUEUE,
      async (job) => {
        // A scheduled broadcast starts now; a paused or cancelled one keeps its status.
        await broadcastModel(this.services.db).updateOne(
          { _id: new Types.ObjectId(job.data.broadcastId), status: 'scheduled' },
          { $set: { status: 'running', launchedAt: new Date() } },
        );
        await freezeAudience(this.services, job.data.broadcastId);
      },
      { concurrency: 2, lockDuration: 30_000, stalledInterval: 10_000 },
    );
    void this.reconcile();
    this.timer = setInterval(() => void this.reconcile(), PASS_EVERY_MS);
    this.timer.unref();
  }

  /** Serialised: passes never overlap. */
  reconcile(): Promise<void> {
    const previous = this.running ?? Promise.resolve();
    this.running = previous
      .then(() => this.pass())
      .catch((error: unknown) => this.services.logger.error({ err: error }, 'broadcast reconcile failed'));
    return this.running;
  }

  private async pass(): Promise<void> {
    const broadcasts = await broadcastModel(this.services.db)
      .find({ status: { $in: ['running', 'paused'] } })
      .lean<BroadcastRecord[]>();
    const wanted = new Map<string, string>();
    for (const broadcast of broadcasts)
      for (const accountId of broadcast.accountIds)
        wanted.set(recipientQueueName(broadcast._id.toHexString(), accountId.toHexString()), accountId.toHexString());
    for (const name of this.rates.keys()) {
      if (wanted.has(name)) continue;
      await this.services.queues.stopProcessing(name);
      this.rates.delete(name);
    }
    for (const [name, accountId] of wanted) {
      const account = await this.services.channels.get(accountId);
      if (account) await this.ensureWorker(name, account);
    }
    for (const broadcast of broadcasts) await this.follow(broadcast);
  }

  private async ensureWorker(name: string, account: LoadedAccount): Promise<void> {
    if (this.rates.get(name) === account.ratePerSecond && this.services.queues.isProcessing(name)) return;
    await this.services.queues.stopProcessing(name);
    const worker = this.services.queues.process<RecipientJob>(
      name,
      (job, token, worker) => deliverToRecipient(this.services, worker, job, token),
      {
        concurrency: Math.min(MAX_CONCURRENCY, Math.max(1, Math.ceil(account.ratePerSecond / 10))),
        // Feeds the account's outbound queue no faster than it sends; the outbound worker's send
        // slots keep the exact rolling limit.
        limiter: { max: account.ratePerSecond, duration: 1000 },
        lockDuration: 10_000,
        stalledInterval: 5_000,
      },
    );
    if (worker) this.rates.set(name, account.ratePerSecond);
  }

  private async follow(broadcast: BroadcastRecord): Promise<void> {
    const id = broadcast._id.toHexString();
    if (!broadcast.frozenAt) {
      // The launch job is there unless a crash came between the status change and the enqueue.
      await enqueueLaunch(this.services.queues, id);
      return;
    }
    const Recipient = broadcastRecipientModel(this.services.db);
    // Existence, not counts: one index entry each, whatever the size of the broadcast.
    const [planned, queued] = await Promise.all([
      Recipient.exists({ broadcastId: broadcast._id, status: 'planned' }),
      Recipient.exists({ broadcastId: broadcast._id, status: 'queued' }),
    ]);
    if (!planned && queued) await this.settleStragglers(broadcast._id);
    if (broadcast.status === 'running' && !planned && !queued) {
      await recountBroadcast(this.services, broadcast._id);
      const completed = await broadcastModel(this.services.db)
        .findOneAndUpdate(
          { _id: broadcast._id, status: 'running' },
          { $set: { status: 'completed', completedAt: new Date() } },
          { returnDocument: 'after' },
        )
        .lean<BroadcastRecord>();
      if (completed) await this.progress.push(completed, 0, { force: true });
      this.progress.forget(id);
      return;
    }
    await this.progress.push(broadcast, pendingRecipients(broadcast));
  }

  /**
   * Recipients still `queued` whose message has moved on: a process died between the message's
   * status and the recipient's, so the status is applied again (it counts once either way).
   */
  private async settleStragglers(broadcastId: Types.ObjectId): Promise<void> {
    const rows = await broadcastRecipientModel(this.services.db)
      .find({ broadcastId, status: 'queued', messageId: { $exists: true } }, { messageId: 1 })
      .limit(500)
      .lean<Pick<BroadcastRecipientRecord, 'messageId'>[]>();
    const messages = await messageModel(this.services.db)
      .find(
        {
          _id: { $in: rows.flatMap((row) => row.messageId ?? []) },
          status: { $in: ['sent', 'delivered', 'read', 'failed'] },
        },
        { contactId: 1, broadcastId: 1, status: 1, sentAt: 1 },
      )
      .lean<Pick<MessageRecord, '_id' | 'contactId' | 'broadcastId' | 'status' | 'sentAt'>[]>();
    for (const message of messages) await applyRecipientStatus(this.services, message);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
