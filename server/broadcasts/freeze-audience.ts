import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { segmentModel, type SegmentRecord } from '../segments/segment-model.js';
import { insertNewDocuments } from '../db/insert-new-documents.js';
import { broadcastAccounts } from './broadcast-accounts.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import { enqueueRecipients } from './broadcast-queues.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { planAudience, type PlannedRecipient } from './plan-audience.js';

type FreezeServices = Pick<ApiServices, 'db' | 'queues' | 'channels' | 'logger'>;

/**
 * The source's items, the next one asked for as soon as one is handed out: the next page of the
 * audience is read (the store's thread, and decoding here) while this one is written and queued.
 */
async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  let next = iterator.next();
  try {
    for (;;) {
      const result = await next;
      if (result.done) return;
      next = iterator.next();
      // Settled below or dropped with an early return: never an unhandled rejection.
      next.catch(() => undefined);
      yield result.value;
    }
  } finally {
    await iterator.return?.(undefined);
  }
}

/** Contacts frozen per store round trip: fewer, larger writes than the default page of a thousand. */
const FREEZE_BATCH = 2000;

/** Inserts the rows not there yet; answers the ones it inserted (a relaunch finds most already in). */
async function insertNew(
  services: Pick<ApiServices, 'db'>,
  rows: BroadcastRecipientRecord[],
): Promise<BroadcastRecipientRecord[]> {
  // Only "already there" is expected; anything else fails the launch job, which is retried.
  const refused = await insertNewDocuments(broadcastRecipientModel(services.db).collection, rows);
  return rows.filter((_row, index) => !refused.has(index));
}

/**
 * Jobs for every planned row of a batch, inserted now or before a crash: a job for a recipient
 * already past `planned` does nothing. Only after the rows are stored, or a job could find none.
 */
async function enqueueBatch(
  services: Pick<ApiServices, 'queues'>,
  broadcastId: string,
  rows: BroadcastRecipientRecord[],
): Promise<void> {
  const byAccount = new Map<string, string[]>();
  for (const row of rows) {
    if (!row.accountId) continue;
    const accountId = row.accountId.toHexString();
    const list = byAccount.get(accountId) ?? [];
    list.push(row.contactId.toHexString());
    byAccount.set(accountId, list);
  }
  for (const [accountId, contactIds] of byAccount)
    await enqueueRecipients(services.queues, broadcastId, accountId, contactIds);
}

function rowOf(broadcastId: Types.ObjectId, planned: PlannedRecipient): BroadcastRecipientRecord {
  const { plan } = planned;
  const base = { _id: new Types.ObjectId(), broadcastId, contactId: planned.contactId };
  if ('skipReason' in plan) return { ...base, status: 'skipped', skipReason: plan.skipReason };
  return {
    ...base,
    channel: plan.channel,
    accountId: new Types.ObjectId(plan.account.id),
    chatId: plan.chatId,
    status: 'planned',
  };
}

/** `$inc` of the freeze's milestones for rows it inserted, overall and per channel. */
function countsOf(rows: BroadcastRecipientRecord[]): Record<string, number> {
  const inc: Record<string, number> = {};
  const add = (field: string) => (inc[field] = (inc[field] ?? 0) + 1);
  for (const row of rows) {
    add('counts.audience');
    add(row.status === 'planned' ? 'counts.planned' : 'counts.skipped');
    if (row.channel) add(`countsByChannel.${row.channel}.${row.status === 'planned' ? 'planned' : 'skipped'}`);
  }
  return inc;
}

/**
 * A launch: the segment is resolved once and frozen into one recipient per contact, each with
 * its channel and account, and one delivery job per recipient is queued. It can run again after a
 * crash: (broadcast, contact) is unique and job ids are contact ids, so nobody is added twice.
 * Jobs of early batches are sent while later batches are still being frozen.
 */
export async function freezeAudience(services: FreezeServices, broadcastId: string): Promise<void> {
  const Broadcast = broadcastModel(services.db);
  const id = new Types.ObjectId(broadcastId);
  const broadcast = await Broadcast.findById(id).lean<BroadcastRecord>();
  if (!broadcast || broadcast.frozenAt || !['running', 'paused'].includes(broadcast.status)) return;
  const segment = await segmentModel(services.db).findById(broadcast.segmentId).lean<SegmentRecord>();
  const accounts = await broadcastAccounts(services, broadcast);
  const accountIds = [...accounts.values()].map((account) => new Types.ObjectId(account.id));
  await Broadcast.updateOne({ _id: id }, { $addToSet: { accountIds: { $each: accountIds } } });

  if (segment) {
    // One batch's jobs go to Redis while the next batch is read and written to the store.
    let enqueued: Promise<void> = Promise.resolve();
    // A batch's counts are written with the next batch's look at the status (one write, not two).
    let counted: Record<string, number> = {};
    for await (const batch of readAhead(planAudience(services, broadcast, segment, accounts, FREEZE_BATCH))) {
      const current: Pick<BroadcastRecord, 'status'> | null =
        Object.keys(counted).length > 0
          ? await Broadcast.findOneAndUpdate({ _id: id }, { $inc: counted }, { projection: { status: 1 } }).lean()
          : await Broadcast.findById(id, { status: 1 }).lean();
      if (current?.status === 'cancelled') return;
      const rows = batch.map((planned) => rowOf(id, planned));
      counted = countsOf(await insertNew(services, rows));
      await enqueued;
      enqueued = enqueueBatch(services, broadcastId, rows);
      // Awaited above or below; until then a failure must not count as unhandled.
      enqueued.catch(() => undefined);
    }
    await enqueued;
    if (Object.keys(counted).length > 0) await Broadcast.updateOne({ _id: id }, { $inc: counted });
  } else {
    services.logger.warn({ broadcastId }, 'the segment of a launched broadcast is gone: it goes to nobody');
  }
  await Broadcast.updateOne({ _id: id, frozenAt: { $exists: false } }, { $set: { frozenAt: new Date() } });
}
