import type { ApiServices } from '../api/api-services.js';
import { broadcastLinkModels, type BroadcastLinkRecord } from './broadcast-link-model.js';
import { broadcastRecipientModel } from './broadcast-recipient-model.js';
import { countBroadcastResults } from './count-broadcast-results.js';

/**
 * A click on a tracked link: kept with its time, and the first click of a recipient on any of
 * the broadcast's links counts them `clicked` once (a conditional update on the recipient, so
 * two clicks at once count one). Answers the link, or undefined for an unknown code.
 */
export async function recordLinkClick(
  services: Pick<ApiServices, 'db' | 'events'>,
  code: string,
  at = new Date(),
): Promise<BroadcastLinkRecord | undefined> {
  const { Link, Click } = broadcastLinkModels(services.db);
  const link = await Link.findOneAndUpdate(
    { code },
    { $inc: { clicks: 1 } },
    { returnDocument: 'before' },
  ).lean<BroadcastLinkRecord>();
  if (!link) return undefined;
  await Click.create({ code, broadcastId: link.broadcastId, contactId: link.contactId, at });
  if (!link.firstClickAt)
    await Link.updateOne({ _id: link._id, firstClickAt: { $exists: false } }, { $set: { firstClickAt: at } });
  const marked = await broadcastRecipientModel(services.db).updateOne(
    { broadcastId: link.broadcastId, contactId: link.contactId, clickedAt: { $exists: false } },
    { $set: { clickedAt: at } },
  );
  if (marked.modifiedCount === 1) await countBroadcastResults(services, link.broadcastId, link.channel, { clicked: 1 });
  return link;
}
