import { Types } from 'mongoose';
import { DelayedError, Worker, type Job } from 'bullmq';
import type { OutboundMessage } from '../../bot/channels/channel-events.js';
import { SendError } from '../../bot/channels/channel-errors.js';
import type { ApiServices } from '../api/api-services.js';
import { optedOutOf } from '../contacts/opted-out-of.js';
import { fileModel } from '../files/file-model.js';
import { replayOrphanStatuses } from './apply-delivery-status.js';
import { conversationModel, type ConversationRecord } from './conversation-model.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toConversationView, toMessageView } from './message-views.js';
import { ChatSendOrder } from './chat-send-order.js';
import type { OutboundJob } from './outbound-queue.js';
import { takeSendSlot } from './take-send-slot.js';

export type OutboundServices = Pick<
  ApiServices,
  'db' | 'events' | 'channels' | 'files' | 'fileLinks' | 'redis' | 'logger' | 'config' | 'queues'
>;

function toOutbound(record: MessageRecord): OutboundMessage {
  const { content } = record;
  const text = content.kind === 'text' ? content.text : content.kind === 'media' ? content.caption : undefined;
  return {
    ...(text && !record.template ? { text } : {}),
    ...(content.kind === 'media' && content.media.fileId
      ? {
          media: {
            fileId: content.media.fileId.toHexString(),
            kind: content.media.kind as NonNullable<OutboundMessage['media']>['kind'],
            mimeType: content.media.mimeType ?? 'application/octet-stream',
            fileName: content.media.fileName ?? 'file',
            size: content.media.size ?? 0,
          },
        }
      : {}),
    ...(record.buttons?.length ? { buttons: record.buttons } : {}),
    ...(record.template ? { template: record.template } : {}),
    ...(record.email ? { email: record.email } : {}),
    ...(record.unsubscribeUrl ? { unsubscribeUrl: record.unsubscribeUrl } : {}),
  };
}

/** Ends a send (sent or failed) and lets the chat's next message go. */
async function finish(
  services: OutboundServices,
  sending: MessageRecord,
  update: Record<string, unknown>,
  conversation?: ConversationRecord,
): Promise<MessageRecord | null> {
  const record = await messageModel(services.db)
    .findOneAndUpdate({ _id: sending._id, status: 'sending' }, { $set: update }, { returnDocument: 'after' })
    .lean<MessageRecord>();
  if (record) {
    services.events.emit({
      type: 'message.updated',
      message: toMessageView(record),
      ...(conversation ? { conversation: toConversationView(conversation) } : {}),
    });
  }
  // A wake-up lost here costs the next message only its fallback wait.
  await new ChatSendOrder(services, sending.channelAccountId.toHexString())
    .wakeNext(sending)
    .catch((error: unknown) => services.logger.warn({ err: error }, "could not wake the chat's next message"));
  return record;
}

/** A send that waits (a limit, the provider's pause) is queued again and its attempt not counted. */
async function backToQueued(services: OutboundServices, messageId: Types.ObjectId): Promise<void> {
  await messageModel(services.db).updateOne(
    { _id: messageId, status: 'sending' },
    { $set: { status: 'queued' }, $inc: { attempts: -1 } },
  );
}

/**
 * The outbound worker's job: send one queued message through its channel's adapter. A message
 * already past `sending` is never sent again, so a retried or replayed job is harmless; a crash
 * after the provider accepted and before `sent` was recorded is the one case that resends
 * (providers offer no idempotency key). One chat's messages go one at a time, in the order they
 * were stored (ChatSendOrder).
 */
export async function sendOutboundMessage(
  services: OutboundServices,
  worker: Worker,
  job: Job<OutboundJob>,
  token?: string,
): Promise<void> {
  const Message = messageModel(services.db);
  const messageId = new Types.ObjectId(job.data.messageId);
  const unsent = await Message.findOne(
    { _id: messageId, status: { $in: ['queued', 'sending'] } },
    { conversationId: 1, channelAccountId: 1, createdAt: 1 },
  ).lean<Pick<MessageRecord, '_id' | 'conversationId' | 'channelAccountId' | 'createdAt'>>();
  if (!unsent) return;
  // A chat's messages leave in the order they were stored: an earlier one still to go goes first.
  const order = new ChatSendOrder(services, unsent.channelAccountId.toHexString());
  const earlier = await order.earlierUnsent(unsent);
  if (earlier) {
    await order.waitFor(earlier, job, token, unsent);
    throw new DelayedError();
  }
  const record = await Message.findOneAndUpdate(
    { _id: messageId, status: { $in: ['queued', 'sending'] } },
    { $set: { status: 'sending' }, $inc: { attempts: 1 } },
    { returnDocument: 'after' },
  ).lean<MessageRecord>();
  if (!record) return;
  const account = await services.channels.get(record.channelAccountId.toHexString());
  if (!account) {
    await finish(services, record, {
      status: 'failed',
      failure: { code: 'channel_disconnected', reason: 'The channel account was disconnected' },
    });
    return;
  }
  const conversation = await conversationModel(services.db).findById(record.conversationId).lean<ConversationRecord>();
  if (!conversation || conversation.unreachableAt) {
    await finish(services, record, {
      status: 'failed',
      failure: { code: 'unreachable', reason: 'The person blocked the bot or left the chat' },
    });
    return;
  }
  // An opt-out (a STOP, the mail's link, a block) may arrive between queueing and sending.
  if (await optedOutOf(services, record.contactId, account.type)) {
    await finish(
      services,
      record,
      { status: 'failed', failure: { code: 'opted_out', reason: 'The person opted out before this went out' } },
      conversation,
    );
    return;
  }

  const slot = await takeSendSlot(await services.redis.commands(), {
    accountId: account.id,
    chatId: conversation.chatId,
    sendId: `${job.data.messageId}:${record.attempts}`,
    perSecond: account.ratePerSecond,
    chatIntervalMs: account.adapter.capabilities.perChatIntervalMs,
  });
  if (!slot.taken) {
    // Come back when the slot frees, without spending an attempt.
    await backToQueued(services, messageId);
    if (slot.limit === 'account') {
      // The account's second is full: the whole queue waits, not just this job.
      await worker.rateLimit(slot.waitMs);
      throw Worker.RateLimitError();
    }
    // The chat had a message less than its interval ago: only this message waits (the chat's
    // later ones wait for it, above), until the slot frees.
    await job.moveToDelayed(slot.freeAt, token);
    throw new DelayedError();
  }

  const files = fileModel(services.db);
  const publicUrl = services.config.publicUrl.replace(/\/$/, '');
  try {
    const result = await account.adapter.send(
      toOutbound(record),
      {
        chatId: conversation.chatId,
        messageId: job.data.messageId,
        async openFile(media) {
          const file = await files.findById(media.fileId).lean();
          if (!file) throw new SendError('permanent', `File ${media.fileId} is gone`);
          return services.files.get(file.storageKey);
        },
        fileUrl: (media) => `${publicUrl}${services.fileLinks.path(media.fileId)}`,
        async lastInbound() {
          const latest = await messageModel(services.db)
            // An autoresponder's mail is not the one a person's reply answers.
            .findOne(
              { conversationId: conversation._id, direction: 'in', 'content.autoReply': { $ne: true } },
              { externalId: 1, content: 1 },
            )
            .sort({ _id: -1 })
            .lean<Pick<MessageRecord, 'externalId' | 'content'>>();
          return latest?.externalId ? { externalMessageId: latest.externalId, content: latest.content } : undefined;
        },
      },
      account,
    );
    await slot.settle();
    const sent = await finish(
      services,
      record,
      {
        status: 'sent',
        externalId: result.externalMessageId,
        sentAt: new Date(),
      },
      conversation,
    );
    // Only channels that post delivery statuses can have one waiting for this send.
    if (sent && account.adapter.capabilities.reportsDeliveryStatus) {
      await replayOrphanStatuses(services, account.id, result.externalMessageId);
    }
  } catch (error) {
    // A refused send counts too: the provider saw it.
    await slot.settle();
    if (!(error instanceof SendError)) throw error;
    switch (error.kind) {
      case 'rate-limited':
        // The provider's own pause (Telegram retry_after) holds the whole account queue; the message waits its turn.
        await backToQueued(services, messageId);
        await worker.rateLimit(error.retryAfterMs ?? 1000);
        throw Worker.RateLimitError();
      case 'transient':
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
          await finish(
            services,
            record,
            {
              status: 'failed',
              failure: { code: error.providerCode ?? 'transient', reason: error.message },
            },
            conversation,
          );
          return;
        }
        throw error;
      case 'unreachable': {
        const updated = await conversationModel(services.db)
          .findOneAndUpdate(
            { _id: conversation._id },
            { $set: { unreachableAt: new Date() } },
            { returnDocument: 'after' },
          )
          .lean<ConversationRecord>();
        if (updated) services.events.emit({ type: 'conversation.updated', conversation: toConversationView(updated) });
        await finish(
          services,
          record,
          {
            status: 'failed',
            failure: { code: error.providerCode ?? 'unreachable', reason: error.message },
          },
          conversation,
        );
        return;
      }
      case 'window-closed':
      case 'permanent':
        await finish(
          services,
          record,
          {
            status: 'failed',
            failure: { code: error.providerCode ?? error.kind, reason: error.message },
          },
          conversation,
        );
        return;
    }
  }
}
