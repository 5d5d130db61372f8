import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import type { DealView } from '../deals/deal-schema.js';
import { pipelineModel } from '../pipelines/pipeline-model.js';
import { broadcastAttributionModel, type BroadcastAttributionRecord } from './broadcast-attribution-model.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { countBroadcastResults } from './count-broadcast-results.js';
import { ATTRIBUTION_DAYS } from './record-broadcast-opt-out.js';

type Services = Pick<ApiServices, 'db' | 'events'>;

/** The broadcast a new record is put down to: its lead's, or the latest sent to its contact within the window before it. */
async function sourceOf(
  services: Services,
  deal: DealView,
): Promise<Pick<BroadcastAttributionRecord, 'broadcastId' | 'contactId' | 'channel' | 'fromLeadId'> | undefined> {
  if (deal.sourceLeadId) {
    const lead = await broadcastAttributionModel(services.db)
      .findOne({ dealId: new Types.ObjectId(deal.sourceLeadId) })
      .lean<BroadcastAttributionRecord>();
    if (lead)
      return {
        broadcastId: lead.broadcastId,
        contactId: lead.contactId,
        ...(lead.channel ? { channel: lead.channel } : {}),
        fromLeadId: lead.dealId,
      };
  }
  if (!deal.contactId) return undefined;
  const created = new Date(deal.createdAt);
  const latest = await broadcastRecipientModel(services.db)
    .findOne({
      contactId: new Types.ObjectId(deal.contactId),
      sentAt: { $gte: new Date(created.getTime() - ATTRIBUTION_DAYS * 86_400_000), $lte: created },
    })
    .sort({ sentAt: -1 })
    .lean<BroadcastRecipientRecord>();
  if (!latest) return undefined;
  return {
    broadcastId: latest.broadcastId,
    contactId: latest.contactId,
    ...(latest.channel ? { channel: latest.channel } : {}),
  };
}

/** The record's attribution, made (and counted, once) on first sight; undefined when no broadcast led to it. */
async function attribution(services: Services, deal: DealView): Promise<BroadcastAttributionRecord | undefined> {
  const Attribution = broadcastAttributionModel(services.db);
  const dealId = new Types.ObjectId(deal.id);
  const known = await Attribution.findOne({ dealId }).lean<BroadcastAttributionRecord>();
  if (known) return known;
  const source = await sourceOf(services, deal);
  if (!source) return undefined;
  const Pipeline = await pipelineModel(services.db);
  const pipeline = await Pipeline.findById(deal.pipelineId, { kind: 1 }).lean<{ kind?: string }>();
  const kind = pipeline?.kind === 'leads' ? 'lead' : 'deal';
  let made: BroadcastAttributionRecord;
  try {
    made = (await Attribution.create({ dealId, ...source, kind, createdAt: new Date() })).toObject();
  } catch (error) {
    // Two events of the same new deal at once: the other one counted it.
    if (!isDuplicateKeyError(error)) throw error;
    return (await Attribution.findOne({ dealId }).lean<BroadcastAttributionRecord>()) ?? undefined;
  }
  // A converted lead's deal is that lead going on: a deal, not a second lead.
  await countBroadcastResults(services, made.broadcastId, made.channel, {
    leads: made.fromLeadId ? 0 : 1,
    deals: kind === 'deal' ? 1 : 0,
  });
  return made;
}

/**
 * A lead or deal created or changed (every change publishes it): a record created for a
 * contact within ATTRIBUTION_DAYS after a broadcast reached them is put down to the latest such
 * broadcast, as replies are (record-broadcast-reply.ts), and counts `leads` (a new record,
 * unless it is a converted attributed lead) and `deals` (a record of a sales pipeline) once.
 * When such a deal is won, `won` and its amount as `revenue`, once.
 */
export async function attributeDeal(services: Services, deal: DealView): Promise<void> {
  const attributed = await attribution(services, deal);
  if (!attributed || attributed.kind !== 'deal' || deal.status !== 'won' || attributed.wonAt) return;
  const marked = await broadcastAttributionModel(services.db).updateOne(
    { _id: attributed._id, wonAt: { $exists: false } },
    { $set: { wonAt: deal.closedAt ? new Date(deal.closedAt) : new Date(), revenue: deal.amount } },
  );
  if (marked.modifiedCount === 0) return;
  await countBroadcastResults(services, attributed.broadcastId, attributed.channel, { won: 1, revenue: deal.amount });
}
