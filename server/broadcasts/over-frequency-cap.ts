import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { broadcastRecipientModel } from './broadcast-recipient-model.js';

const DAY_MS = 86_400_000;

/**
 * Whether the contact already had their fill of marketing: BROADCAST_CAP broadcast
 * messages (2 by default) within BROADCAST_CAP_DAYS days (7), counting the ones sent in that
 * window and the ones queued to go now.
 */
export async function overFrequencyCap(
  services: Pick<ApiServices, 'db' | 'config'>,
  contactId: Types.ObjectId,
  broadcastId: Types.ObjectId,
  now = new Date(),
): Promise<boolean> {
  const since = new Date(now.getTime() - services.config.BROADCAST_CAP_DAYS * DAY_MS);
  const earlier = await broadcastRecipientModel(services.db).countDocuments(
    {
      contactId,
      broadcastId: { $ne: broadcastId },
      $or: [{ sentAt: { $gte: since } }, { status: 'queued' }],
    },
    { limit: services.config.BROADCAST_CAP },
  );
  return earlier >= services.config.BROADCAST_CAP;
}
