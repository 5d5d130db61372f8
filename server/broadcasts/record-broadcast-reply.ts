import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { optedOutOf } from '../contacts/opted-out-of.js';
import type { MessageView } from '../messaging/message-views.js';
import { broadcastModel } from './broadcast-model.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { ATTRIBUTION_DAYS } from './record-broadcast-opt-out.js';

const ATTRIBUTION_MS = ATTRIBUTION_DAYS * 86_400_000;

/**
 * Messages from contacts after a broadcast reached them: the latest broadcast within the
 * attribution window counts a reply, once per recipient; a STOP that opted them out does not.
 * Takes the messages of one batch together: one read of the recipients for all of them (almost
 * always none), so a burst of inbound messages does not cost a read each.
 */
export async function recordBroadcastReplies(
  services: Pick<ApiServices, 'db'>,
  messages: MessageView[],
): Promise<void> {
  const inbound = messages.filter((message) => message.direction === 'in');
  if (inbound.length === 0) return;
  const times = inbound.map((message) => new Date(message.createdAt).getTime());
  const reached = await broadcastRecipientModel(services.db)
    .find({
      contactId: { $in: [...new Set(inbound.map((message) => message.contactId))].map((id) => new Types.ObjectId(id)) },
      sentAt: { $gte: new Date(Math.min(...times) - ATTRIBUTION_MS), $lte: new Date(Math.max(...times)) },
    })
    .sort({ sentAt: -1 })
    .lean<BroadcastRecipientRecord[]>();
  if (reached.length === 0) return;
  for (const [index, message] of inbound.entries()) {
    const at = times[index]!;
    const latest = reached.find(
      (recipient) =>
        recipient.contactId.toHexString() === message.contactId &&
        recipient.sentAt !== undefined &&
        recipient.sentAt.getTime() <= at &&
        recipient.sentAt.getTime() >= at - ATTRIBUTION_MS,
    );
    if (!latest || latest.repliedAt) continue;
    // A later message of the same contact in this batch is no second reply.
    latest.repliedAt = new Date(at);
    await recordReply(services, latest, message, new Date(at));
  }
}

async function recordReply(
  services: Pick<ApiServices, 'db'>,
  recipient: BroadcastRecipientRecord,
  message: MessageView,
  at: Date,
): Promise<void> {
  // A STOP is no reply: the opt-out it made is counted from its consent event.
  if (await optedOutOf(services, recipient.contactId, message.channel)) return;
  const marked = await broadcastRecipientModel(services.db).updateOne(
    { _id: recipient._id, repliedAt: { $exists: false } },
    { $set: { repliedAt: at } },
  );
  if (marked.modifiedCount === 0) return;
  await broadcastModel(services.db).updateOne(
    { _id: recipient.broadcastId },
    {
      $inc: {
        'counts.replied': 1,
        ...(recipient.channel ? { [`countsByChannel.${recipient.channel}.replied`]: 1 } : {}),
      },
    },
  );
}
