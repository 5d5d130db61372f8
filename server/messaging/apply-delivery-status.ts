import { Types } from 'mongoose';
import type { InboundStatusEvent } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import type { LoadedAccount } from '../channels/channel-accounts.js';
import { messageModel, type MessageRecord, type MessageStatus } from './message-model.js';
import { toMessageView } from './message-views.js';
import { orphanStatusModel } from './orphan-status-model.js';

/** The states a status may move a message from: statuses only go forward, whatever order they arrive in. */
const MAY_FOLLOW: Record<InboundStatusEvent['status'], MessageStatus[]> = {
  sent: ['queued', 'sending'],
  delivered: ['queued', 'sending', 'sent'],
  read: ['queued', 'sending', 'sent', 'delivered'],
  failed: ['queued', 'sending', 'sent'],
};

const TIMESTAMP_FIELD = { sent: 'sentAt', delivered: 'deliveredAt', read: 'readAt', failed: undefined } as const;

/**
 * A provider's delivery status on our outbound message. A status can overtake the send it
 * belongs to (WhatsApp posts `sent` while our worker is still recording the id), so one for a
 * message we cannot find yet is kept and replayed when the worker records the provider id.
 */
export async function applyDeliveryStatus(
  services: Pick<ApiServices, 'db' | 'events'>,
  account: Pick<LoadedAccount, 'id'>,
  event: InboundStatusEvent,
): Promise<boolean> {
  const channelAccountId = new Types.ObjectId(account.id);
  const field = TIMESTAMP_FIELD[event.status];
  const updated = await messageModel(services.db)
    .findOneAndUpdate(
      {
        channelAccountId,
        externalId: event.externalMessageId,
        direction: 'out',
        status: { $in: MAY_FOLLOW[event.status] },
      },
      {
        $set: {
          status: event.status,
          ...(field ? { [field]: event.at } : {}),
          ...(event.error ? { failure: event.error } : {}),
        },
      },
      { returnDocument: 'after' },
    )
    .lean<MessageRecord>();
  if (updated) {
    services.events.emit({ type: 'message.updated', message: toMessageView(updated) });
    return true;
  }
  const known = await messageModel(services.db).exists({ channelAccountId, externalId: event.externalMessageId });
  if (!known) {
    await orphanStatusModel(services.db).updateOne(
      { channelAccountId, externalId: event.externalMessageId, status: event.status },
      { $setOnInsert: { at: event.at, error: event.error, createdAt: new Date() } },
      { upsert: true },
    );
  }
  return false;
}

/** Replays statuses that arrived before the worker recorded this message's provider id. */
export async function replayOrphanStatuses(
  services: Pick<ApiServices, 'db' | 'events'>,
  accountId: string,
  externalId: string,
): Promise<void> {
  const Orphan = orphanStatusModel(services.db);
  const orphans = await Orphan.find({ channelAccountId: new Types.ObjectId(accountId), externalId })
    .sort({ at: 1 })
    .lean();
  for (const orphan of orphans) {
    await applyDeliveryStatus(
      services,
      { id: accountId },
      {
        type: 'status',
        externalMessageId: externalId,
        status: orphan.status,
        at: orphan.at,
        ...(orphan.error ? { error: orphan.error } : {}),
      },
    );
  }
  if (orphans.length > 0) await Orphan.deleteMany({ _id: { $in: orphans.map((orphan) => orphan._id) } });
}
