import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { broadcastModel, type BroadcastChannel, type BroadcastRecord, type RESULT_FIELDS } from './broadcast-model.js';
import { toBroadcastView } from './to-broadcast-view.js';

export type ResultField = (typeof RESULT_FIELDS)[number];

/**
 * Adds to a broadcast's results (overall and for the recipient's channel) and pushes the new
 * figures as `broadcast.progress`: clicks and deals come at a person's pace, mostly after the
 * send, so each is pushed as it comes.
 */
export async function countBroadcastResults(
  services: Pick<ApiServices, 'db' | 'events'>,
  broadcastId: Types.ObjectId,
  channel: BroadcastChannel | undefined,
  add: Partial<Record<ResultField, number>>,
): Promise<void> {
  const inc: Record<string, number> = {};
  for (const [field, amount] of Object.entries(add)) {
    if (!amount) continue;
    inc[`counts.${field}`] = amount;
    if (channel) inc[`countsByChannel.${channel}.${field}`] = amount;
  }
  if (Object.keys(inc).length === 0) return;
  const broadcast = await broadcastModel(services.db)
    .findOneAndUpdate({ _id: broadcastId }, { $inc: inc }, { returnDocument: 'after' })
    .lean<BroadcastRecord>();
  if (broadcast) services.events.emit({ type: 'broadcast.progress', broadcast: toBroadcastView(broadcast) });
}
