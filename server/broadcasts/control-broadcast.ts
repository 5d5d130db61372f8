import { Types } from 'mongoose';
import { conflict, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { messageModel } from '../messaging/message-model.js';
import { broadcastModel, type BroadcastRecord, type BroadcastStatus } from './broadcast-model.js';
import { BROADCAST_LAUNCH_QUEUE, recipientQueueName } from './broadcast-queues.js';
import { broadcastRecipientModel } from './broadcast-recipient-model.js';

export type BroadcastAction = 'pause' | 'resume' | 'cancel';

/** The failure of a broadcast message withdrawn from its channel's queue by a cancel. */
export const WITHDRAWN = { code: 'broadcast_cancelled', reason: 'The broadcast was cancelled' } as const;

const FROM: Record<BroadcastAction, BroadcastStatus[]> = {
  pause: ['running'],
  resume: ['paused'],
  cancel: ['scheduled', 'running', 'paused'],
};
const TO: Record<BroadcastAction, BroadcastStatus> = { pause: 'paused', resume: 'running', cancel: 'cancelled' };
const REFUSAL = {
  pause: 'broadcastCannotPause',
  resume: 'broadcastCannotResume',
  cancel: 'broadcastCannotCancel',
} as const satisfies Record<BroadcastAction, string>;

/**
 * Pause, resume or cancel a broadcast. Pausing pauses its queues in Redis (BullMQ's queue pause:
 * no worker anywhere takes a new job; messages already handed to a channel still go). Cancelling
 * empties its queues, marks everyone not yet queued `cancelled` and withdraws the messages still
 * waiting in the channel queues.
 */
export async function controlBroadcast(
  services: Pick<ApiServices, 'db' | 'queues'>,
  broadcastId: string,
  action: BroadcastAction,
): Promise<BroadcastRecord> {
  const Broadcast = broadcastModel(services.db);
  const id = new Types.ObjectId(broadcastId);
  const changed = await Broadcast.findOneAndUpdate(
    { _id: id, status: { $in: FROM[action] } },
    { $set: { status: TO[action] } },
    { returnDocument: 'after' },
  ).lean<BroadcastRecord>();
  if (!changed) {
    const current = await Broadcast.findById(id, { status: 1 }).lean<Pick<BroadcastRecord, 'status'>>();
    if (!current) throw notFound('Broadcast');
    throw conflict(errorTexts.sayWith(REFUSAL[action], { status: current.status }));
  }
  const queues = changed.accountIds.map((accountId) =>
    services.queues.queue(recipientQueueName(broadcastId, accountId.toHexString())),
  );
  switch (action) {
    case 'pause':
      for (const queue of queues) await queue.pause();
      break;
    case 'resume':
      for (const queue of queues) await queue.resume();
      break;
    case 'cancel': {
      await services.queues
        .queue(BROADCAST_LAUNCH_QUEUE)
        .remove(broadcastId)
        .catch(() => 0);
      for (const queue of queues) await queue.obliterate({ force: true });
      await broadcastRecipientModel(services.db).updateMany(
        { broadcastId: id, status: 'planned' },
        { $set: { status: 'cancelled' } },
      );
      // Still waiting in a channel's queue: the outbound worker sends only `queued` messages.
      const withdrawn = await messageModel(services.db).find({ broadcastId: id, status: 'queued' }, { _id: 1 }).lean();
      await messageModel(services.db).updateMany(
        { _id: { $in: withdrawn.map((message) => message._id) }, status: 'queued' },
        { $set: { status: 'failed', failure: WITHDRAWN } },
      );
      // Only those really withdrawn: one a worker took meanwhile goes out and is counted as sent.
      const stopped = await messageModel(services.db)
        .find({ broadcastId: id, status: 'failed', 'failure.code': WITHDRAWN.code }, { _id: 1 })
        .lean();
      await broadcastRecipientModel(services.db).updateMany(
        { broadcastId: id, status: 'queued', messageId: { $in: stopped.map((message) => message._id) } },
        { $set: { status: 'cancelled' } },
      );
      break;
    }
  }
  return changed;
}
