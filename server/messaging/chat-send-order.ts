import { Job } from 'bullmq';
import type { ApiServices } from '../api/api-services.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toMessageView } from './message-views.js';
import { enqueueOutbound, outboundQueueName, type OutboundJob } from './outbound-queue.js';

type OrderServices = Pick<ApiServices, 'db' | 'events' | 'queues'>;
type Ordered = Pick<MessageRecord, '_id' | 'conversationId' | 'createdAt'>;

const UNSENT: MessageRecord['status'][] = ['queued', 'sending'];

/**
 * How long a message waiting for an earlier one sleeps before it looks again. The earlier one's
 * end wakes it sooner; this covers a wake-up lost with a killed worker.
 */
export const EARLIER_WAIT_MS = 5_000;

/** The failure of a message whose job ended (stalled too often, an unexpected error) without sending it. */
const ABANDONED = { code: 'send_abandoned', reason: 'The send was given up before it reached the provider' };

/**
 * Keeps one chat's outbound messages in the order they were stored (createdAt, then _id): a
 * message goes to the provider only once every earlier one of its conversation is sent or failed.
 * The store, not Redis, says what is earlier and what is still to go, so the order survives any
 * number of worker processes, a worker killed mid-send (its message stays `sending` until its
 * stalled job is run again) and a job delayed by a limit or a retry's backoff. Other chats are
 * never held: a waiting job sleeps in the delayed set, and the worker takes the next one.
 */
export class ChatSendOrder {
  constructor(
    private readonly services: OrderServices,
    private readonly accountId: string,
  ) {}

  /** The conversation's oldest message stored before `record` that has not gone yet. */
  earlierUnsent(record: Ordered): Promise<MessageRecord | null> {
    return messageModel(this.services.db)
      .findOne({
        conversationId: record.conversationId,
        direction: 'out',
        status: { $in: UNSENT },
        $or: [{ createdAt: { $lt: record.createdAt } }, { createdAt: record.createdAt, _id: { $lt: record._id } }],
      })
      .sort({ createdAt: 1, _id: 1 })
      .lean<MessageRecord>();
  }

  /**
   * Parks `job` (already `queued` again) until `earlier` is done, and makes sure `earlier` is
   * on its way: queued again if its job is gone, given this job's priority if a broadcast's
   * lower one holds it behind other chats' backlog, failed if its job ended without sending it.
   * The caller throws DelayedError next.
   */
  async waitFor(earlier: MessageRecord, job: Job<OutboundJob>, token: string | undefined, record: Ordered) {
    await this.hurry(earlier, job.opts.priority ?? 0);
    await job.moveToDelayed(Date.now() + EARLIER_WAIT_MS, token);
    // The earlier one may have ended between the look and the park, its wake-up finding this job
    // still active: looking once more after parking leaves no gap for a wake-up to fall into.
    if (!(await this.earlierUnsent(record))) await job.promote().catch(() => undefined);
  }

  /** After `record` is sent or failed: the chat's next message, parked behind it, goes now. */
  async wakeNext(record: Pick<MessageRecord, 'conversationId'>): Promise<void> {
    const next = await messageModel(this.services.db)
      .findOne({ conversationId: record.conversationId, direction: 'out', status: { $in: UNSENT } }, { _id: 1 })
      .sort({ createdAt: 1, _id: 1 })
      .lean<Pick<MessageRecord, '_id'>>();
    if (!next) return;
    const job = await Job.fromId<OutboundJob>(this.queue(), next._id.toHexString());
    // Only a parked job is moved; one waiting, active or held by the chat's interval is left be.
    if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
  }

  private queue() {
    return this.services.queues.queue(outboundQueueName(this.accountId));
  }

  private async hurry(earlier: MessageRecord, priority: number): Promise<void> {
    const id = earlier._id.toHexString();
    const job = await Job.fromId<OutboundJob>(this.queue(), id);
    if (!job) {
      // Stored but never queued (Redis was away, or its writer is just about to queue it).
      await enqueueOutbound(this.services.queues, this.accountId, id, priority ? { priority } : {});
      return;
    }
    const state = await job.getState();
    if (state === 'prioritized' && (job.opts.priority ?? 0) > priority) {
      // A reply behind a broadcast message to the same chat: the broadcast message takes the
      // reply's place in the queue instead of the reply waiting out every other chat's backlog.
      await job.changePriority({ priority }).catch(() => undefined);
      return;
    }
    if (state !== 'completed' && state !== 'failed') return;
    const abandoned = await messageModel(this.services.db)
      .findOneAndUpdate(
        { _id: earlier._id, status: { $in: UNSENT } },
        { $set: { status: 'failed', failure: ABANDONED } },
        { returnDocument: 'after' },
      )
      .lean<MessageRecord>();
    if (abandoned) this.services.events.emit({ type: 'message.updated', message: toMessageView(abandoned) });
  }
}
