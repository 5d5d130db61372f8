import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { broadcastModel, type BroadcastChannel } from './broadcast-model.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';

/** How long after a broadcast message a reply or an opt-out is put down to it. */
export const ATTRIBUTION_DAYS = 7;

/**
 * A contact opted out of a channel (STOP, the unsubscribe link, a blocked bot): the latest
 * broadcast that reached them there within the attribution window counts one opt-out, once.
 */
export async function recordBroadcastOptOut(
  services: Pick<ApiServices, 'db'>,
  contactId: Types.ObjectId | string,
  channel: BroadcastChannel,
  at = new Date(),
): Promise<boolean> {
  const latest = await broadcastRecipientModel(services.db)
    .findOne({
      contactId: new Types.ObjectId(String(contactId)),
      channel,
      sentAt: { $gte: new Date(at.getTime() - ATTRIBUTION_DAYS * 86_400_000), $lte: at },
    })
    .sort({ sentAt: -1 })
    .lean<BroadcastRecipientRecord>();
  if (!latest || latest.optedOutAt) return false;
  const marked = await broadcastRecipientModel(services.db).updateOne(
    { _id: latest._id, optedOutAt: { $exists: false } },
    { $set: { optedOutAt: at } },
  );
  if (marked.modifiedCount === 0) return false;
  await broadcastModel(services.db).updateOne(
    { _id: latest.broadcastId },
    { $inc: { 'counts.optedOut': 1, [`countsByChannel.${channel}.optedOut`]: 1 } },
  );
  return true;
}
