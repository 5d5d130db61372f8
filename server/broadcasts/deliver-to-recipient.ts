import { DelayedError, RateLimitError, Worker, type Job } from 'bullmq';
import { Types } from 'mongoose';
import { ApiError } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { contactModels, type ContactRecord } from '../contacts/contact-models.js';
import { conversationForContact } from '../messaging/conversation-for-contact.js';
import { messageModel } from '../messaging/message-model.js';
import { outboundQueueName } from '../messaging/outbound-queue.js';
import { queueMessage } from '../messaging/queue-message.js';
import { unsubscribeLink } from '../consent/unsubscribe-link.js';
import { broadcastMedia } from './broadcast-media.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import type { RecipientJob } from './broadcast-queues.js';
import { WITHDRAWN } from './control-broadcast.js';
import { broadcastRecipientModel, type BroadcastRecipientRecord } from './broadcast-recipient-model.js';
import { overFrequencyCap } from './over-frequency-cap.js';
import { quietHoursEnd } from './quiet-hours-end.js';
import { renderVariant } from './render-variant.js';
import { trackLinks } from './tracked-links.js';

export type DeliveryServices = Pick<
  ApiServices,
  'db' | 'events' | 'queues' | 'channels' | 'config' | 'logger' | 'redis'
>;

type ContactForDelivery = Pick<
  ContactRecord,
  '_id' | 'status' | 'name' | 'phones' | 'emails' | 'region' | 'tags' | 'customFields' | 'language' | 'consent'
>;

/** Seconds of sending an account's channel queue may hold of broadcast messages before the broadcast waits. */
const BACKLOG_SECONDS = 2;
const MIN_BACKLOG = 10;

// A broadcast is read by every one of its jobs; a second of staleness is fine (cancel also empties the queues).
const BROADCAST_CACHE_MS = 1000;
const cache = new Map<string, { broadcast: BroadcastRecord | null; until: number }>();

async function loadBroadcast(services: Pick<ApiServices, 'db'>, id: string): Promise<BroadcastRecord | null> {
  const cached = cache.get(id);
  if (cached && cached.until > Date.now()) return cached.broadcast;
  const broadcast = await broadcastModel(services.db).findById(id).lean<BroadcastRecord>();
  cache.set(id, { broadcast, until: Date.now() + BROADCAST_CACHE_MS });
  if (cache.size > 1000) cache.delete(cache.keys().next().value ?? id);
  return broadcast;
}

/** Moves a recipient out of `planned` and counts it, once: a replayed job finds it moved already. */
async function leavePlanned(
  services: Pick<ApiServices, 'db'>,
  recipient: BroadcastRecipientRecord,
  update: Partial<BroadcastRecipientRecord> & { status: 'skipped' | 'queued' | 'cancelled' },
): Promise<boolean> {
  const moved = await broadcastRecipientModel(services.db).updateOne(
    { _id: recipient._id, status: 'planned' },
    { $set: update },
  );
  if (moved.modifiedCount === 0) return false;
  if (update.status === 'cancelled') return true;
  await broadcastModel(services.db).updateOne(
    { _id: recipient.broadcastId },
    { $inc: { [`counts.${update.status}`]: 1, [`countsByChannel.${recipient.channel}.${update.status}`]: 1 } },
  );
  return true;
}

/** A refusal's short reason: the one a conflict names (opted_out, unreachable), else its code. */
function reasonOf(error: ApiError): string {
  const details: unknown = error.details;
  if (details && typeof details === 'object' && 'reason' in details && typeof details.reason === 'string')
    return details.reason;
  return error.code;
}

/**
 * One recipient's job, on its broadcast's queue for its account: checks consent, the frequency
 * cap and the quiet hours again at sending time, renders the channel's variant and hands the
 * message to the one outbound path (`queueMessage`), keyed so a replay queues nothing new.
 */
export async function deliverToRecipient(
  services: DeliveryServices,
  worker: Worker<RecipientJob>,
  job: Job<RecipientJob>,
  token: string | undefined,
): Promise<void> {
  const Recipient = broadcastRecipientModel(services.db);
  const broadcastId = new Types.ObjectId(job.data.broadcastId);
  const contactId = new Types.ObjectId(job.data.contactId);
  const recipient = await Recipient.findOne({ broadcastId, contactId }).lean<BroadcastRecipientRecord>();
  if (!recipient || recipient.status !== 'planned' || !recipient.channel || !recipient.accountId || !recipient.chatId)
    return;
  const broadcast = await loadBroadcast(services, job.data.broadcastId);
  if (!broadcast || broadcast.status === 'cancelled') {
    await leavePlanned(services, recipient, { status: 'cancelled' });
    return;
  }
  // Backpressure: while the account's channel queue holds a few seconds of this broadcast's
  // messages, the broadcast waits instead of piling more on, so a pause or a cancel takes effect
  // within seconds and the store is not loaded ahead of the sends.
  const account = await services.channels.get(recipient.accountId.toHexString());
  const backlog = account ? await services.queues.queue(outboundQueueName(account.id)).getPrioritizedCount() : 0;
  if (account && backlog >= Math.max(MIN_BACKLOG, account.ratePerSecond * BACKLOG_SECONDS)) {
    await worker.rateLimit(1000);
    throw Worker.RateLimitError();
  }
  const skip = async (skipReason: string) => {
    await leavePlanned(services, recipient, { status: 'skipped', skipReason });
  };
  try {
    if (!account) return await skip('channel_disconnected');
    // Both reads at once; the cap matters only for a contact who may still be sent to.
    const [contact, overCap] = await Promise.all([
      contactModels(services.db)
        .Contact.findById(contactId, {
          status: 1,
          name: 1,
          phones: 1,
          emails: 1,
          region: 1,
          tags: 1,
          customFields: 1,
          language: 1,
          consent: 1,
        })
        .lean<ContactForDelivery>(),
      overFrequencyCap(services, contactId, broadcastId),
    ]);
    if (!contact || contact.status !== 'active') return await skip('contact_gone');
    if (contact.consent?.[recipient.channel]?.status === 'opted-out') return await skip('opted_out');
    if (overCap) return await skip('frequency_cap');
    const quietUntil = broadcast.quietHours && quietHoursEnd(new Date(), broadcast.quietHours, broadcast.timeZone);
    if (quietUntil) {
      // Waits without holding the worker; the job comes back when the quiet hours end.
      await job.moveToDelayed(quietUntil.getTime(), token);
      throw new DelayedError();
    }
    const conversation = await conversationForContact(services, account, contactId, recipient.chatId);
    const windowHours = account.adapter.capabilities.serviceWindowHours;
    const media =
      recipient.channel === 'telegram'
        ? await broadcastMedia(services, broadcast.variants.telegram?.mediaFileId)
        : undefined;
    const rendered = renderVariant(broadcast.variants, recipient.channel, contact, {
      timeZone: broadcast.timeZone,
      language: contact.language ?? 'ru',
      whatsappWindowOpen: Boolean(
        windowHours &&
        conversation.lastInboundAt &&
        conversation.lastInboundAt.getTime() > Date.now() - windowHours * 3600_000,
      ),
      ...(media ? { media } : {}),
      ...(recipient.channel === 'email'
        ? { unsubscribeUrl: unsubscribeLink(services.config, contactId.toHexString(), 'email') }
        : {}),
    });
    const message = await trackLinks(services, rendered, { broadcastId, contactId, channel: recipient.channel });
    const queued = await queueMessage(services, {
      conversationId: conversation._id.toHexString(),
      message,
      author: { kind: 'system', name: broadcast.name },
      dedupeKey: `broadcast:${job.data.broadcastId}:${job.data.contactId}`,
      broadcastId: job.data.broadcastId,
      conversation,
    });
    const messageId = new Types.ObjectId(queued.id);
    if (await leavePlanned(services, recipient, { status: 'queued', messageId })) return;
    // Cancelled while this job ran: the message is withdrawn unless its send has begun.
    const now = await Recipient.findById(recipient._id, { status: 1 }).lean<Pick<BroadcastRecipientRecord, 'status'>>();
    if (now?.status === 'cancelled')
      await messageModel(services.db).updateOne(
        { _id: messageId, status: 'queued' },
        { $set: { status: 'failed', failure: WITHDRAWN } },
      );
  } catch (error) {
    if (error instanceof DelayedError || error instanceof RateLimitError) throw error;
    // The channel refuses this message for good (opted out, blocked, window closed): retrying would not help.
    if (error instanceof ApiError && error.status < 500) return await skip(reasonOf(error));
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
      services.logger.error(
        { err: error, broadcastId: job.data.broadcastId },
        'a broadcast recipient could not be queued',
      );
      await skip('error');
    }
    throw error;
  }
}
