import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { optedOutOf } from '../contacts/opted-out-of.js';
import type { MessageView } from '../messaging/message-views.js';
import { broadcastModel } from './broadcast-model.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { ATTRIBUTION_DAYS } from './record-broadcast-opt-out.js';

/**
 * A message from a contact after a broadcast reached them: the latest broadcast within the
 * attribution window counts a reply, once per recipient; a STOP that opted them out does not.
 */
export async function recordBroadcastReply(services: Pick<ApiServices, 'db'>, message: MessageView): Promise<void> {
  if (message.direction !== 'in') return;
  const contactId = new Types.ObjectId(message.contactId);
  const at = new Date(message.createdAt);
  const latest = await broadcastRecipientModel(services.db)
    .findOne({ contactId, sentAt: { $gte: new Date(at.getTime() - ATTRIBUTION_DAYS * 86_400_000), $lte: at } })
    .sort({ sentAt: -1 })
    .lean<BroadcastRecipientRecord>();
  if (!latest) return;
  // A STOP is no reply: the opt-out it made is counted from its consent event.
  if (await optedOutOf(services, contactId, message.channel)) return;
  if (latest.repliedAt) return;
  const marked = await broadcastRecipientModel(services.db).updateOne(
    { _id: latest._id, repliedAt: { $exists: false } },
    { $set: { repliedAt: at } },
  );
  if (marked.modifiedCount === 0) return;
  await broadcastModel(services.db).updateOne(
    { _id: latest.broadcastId },
    { $inc: { 'counts.replied': 1, ...(latest.channel ? { [`countsByChannel.${latest.channel}.replied`]: 1 } : {}) } },
  );
}
