import type { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { broadcastModel, COUNT_FIELDS, RESULT_FIELDS, type CountField } from './broadcast-model.js';
import { broadcastRecipientModel, type RecipientStatus } from './broadcast-recipient-model.js';

/** The milestones a recipient in each status has passed (`cancelled` and `planned` none). */
const PASSED: Record<RecipientStatus, CountField[]> = {
  planned: [],
  cancelled: [],
  skipped: ['skipped'],
  queued: ['queued'],
  sent: ['queued', 'sent'],
  delivered: ['queued', 'sent', 'delivered'],
  read: ['queued', 'sent', 'delivered', 'read'],
  failed: ['queued', 'failed'],
};

const RESULTS: readonly CountField[] = RESULT_FIELDS;
const RECOUNTED = COUNT_FIELDS.filter((field) => !RESULTS.includes(field));

/**
 * The delivery counts recomputed from the recipients when a broadcast completes. While it runs
 * they grow by `$inc` after each recipient's conditional update, and a process killed between the
 * two writes loses that one increment; the recipients themselves are exact, so the final figures
 * come from them. Results (replies, opt-outs, clicks, attribution) keep counting afterwards.
 */
export async function recountBroadcast(services: Pick<ApiServices, 'db'>, broadcastId: Types.ObjectId): Promise<void> {
  const groups = await broadcastRecipientModel(services.db).aggregate<{
    _id: { channel?: string; status: RecipientStatus };
    n: number;
  }>([{ $match: { broadcastId } }, { $group: { _id: { channel: '$channel', status: '$status' }, n: { $sum: 1 } } }]);
  const set: Record<string, number> = {};
  const add = (channel: string | undefined, field: CountField, n: number) => {
    set[`counts.${field}`] = (set[`counts.${field}`] ?? 0) + n;
    if (channel) set[`countsByChannel.${channel}.${field}`] = (set[`countsByChannel.${channel}.${field}`] ?? 0) + n;
  };
  const channels = new Set<string>();
  for (const { _id, n } of groups) {
    if (_id.channel) channels.add(_id.channel);
    add(_id.channel, 'audience', n);
    // Only recipients given a channel at launch have one.
    if (_id.channel) add(_id.channel, 'planned', n);
    for (const field of PASSED[_id.status]) add(_id.channel, field, n);
  }
  for (const field of RECOUNTED) {
    set[`counts.${field}`] ??= 0;
    for (const channel of channels) set[`countsByChannel.${channel}.${field}`] ??= 0;
  }
  await broadcastModel(services.db).updateOne({ _id: broadcastId }, { $set: set });
}
