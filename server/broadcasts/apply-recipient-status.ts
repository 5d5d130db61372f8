import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { broadcastModel } from './broadcast-model.js';
import {
  broadcastRecipientModel,
  type BroadcastRecipientRecord,
  type RecipientStatus,
} from './broadcast-recipient-model.js';

type Outcome = 'sent' | 'delivered' | 'read' | 'failed';

/** The statuses a message's status may move its recipient from: only forward, whatever the arrival order. */
const MAY_FOLLOW: Record<Outcome, RecipientStatus[]> = {
  // `planned` too: the send can finish before the delivery job has marked its recipient `queued`;
  // `cancelled` too: a message whose send had begun when the broadcast was cancelled still went.
  sent: ['planned', 'cancelled', 'queued'],
  delivered: ['planned', 'cancelled', 'queued', 'sent'],
  read: ['planned', 'cancelled', 'queued', 'sent', 'delivered'],
  failed: ['planned', 'cancelled', 'queued', 'sent'],
};

const LADDER = ['planned', 'queued', 'sent', 'delivered', 'read'] as const;

/** The milestones passed between two statuses (planned → read passes queued, sent, delivered and read). */
function milestonesBetween(from: RecipientStatus, to: Outcome): string[] {
  const unqueued = from === 'planned' || from === 'cancelled';
  if (to === 'failed') return unqueued ? ['queued', 'failed'] : ['failed'];
  const start = unqueued ? 0 : LADDER.indexOf(from as (typeof LADDER)[number]);
  const end = LADDER.indexOf(to);
  return LADDER.slice(start + 1, end + 1);
}

const isOutcome = (status: string): status is Outcome => status in MAY_FOLLOW;

/**
 * A broadcast message's status reaches its recipient: the recipient moves on and the broadcast's
 * counts (overall and for the channel) grow by the milestones passed, only when the conditional
 * update moved it, so a replayed or late status counts once.
 */
export async function applyRecipientStatus(
  services: Pick<ApiServices, 'db'>,
  message: {
    _id: Types.ObjectId | string;
    contactId: Types.ObjectId | string;
    broadcastId?: Types.ObjectId | string;
    status: string;
    sentAt?: Date | string;
  },
): Promise<void> {
  if (!message.broadcastId || !isOutcome(message.status)) return;
  const status = message.status;
  const broadcastId = new Types.ObjectId(String(message.broadcastId));
  const reached = status === 'failed' ? undefined : new Date(message.sentAt ?? Date.now());
  const before = await broadcastRecipientModel(services.db)
    .findOneAndUpdate(
      { broadcastId, contactId: new Types.ObjectId(String(message.contactId)), status: { $in: MAY_FOLLOW[status] } },
      {
        $set: { status, messageId: new Types.ObjectId(String(message._id)) },
        ...(reached ? { $min: { sentAt: reached } } : {}),
      },
      { returnDocument: 'before' },
    )
    .lean<BroadcastRecipientRecord>();
  if (!before) return;
  const inc: Record<string, number> = {};
  for (const milestone of milestonesBetween(before.status, status)) {
    inc[`counts.${milestone}`] = 1;
    if (before.channel) inc[`countsByChannel.${before.channel}.${milestone}`] = 1;
  }
  await broadcastModel(services.db).updateOne({ _id: broadcastId }, { $inc: inc });
}
