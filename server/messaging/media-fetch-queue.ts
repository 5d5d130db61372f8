import type { Job } from 'bullmq';
import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { FileRejectedError, keepFile } from '../files/keep-file.js';
import { messageModel, type MessageRecord } from './message-model.js';
import { toMessageView } from './message-views.js';

export const MEDIA_FETCH_QUEUE = 'media-fetch';

interface MediaFetchJob {
  messageId: string;
}

/**
 * The job that fetches a message's file from the provider after the webhook is acknowledged;
 * its id is the message id, so one message's file is fetched once however often it is queued.
 */
export function mediaFetchJob(messageId: string) {
  return {
    name: 'fetch',
    data: { messageId } satisfies MediaFetchJob,
    opts: {
      jobId: messageId,
      attempts: 6,
      backoff: { type: 'exponential', delay: 3000 },
      removeOnComplete: { age: 3600, count: 10_000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    },
  };
}

type MediaServices = Pick<ApiServices, 'db' | 'channels' | 'files' | 'events' | 'config'>;

async function markMedia(
  services: MediaServices,
  messageId: Types.ObjectId,
  set: Record<string, unknown>,
): Promise<void> {
  const updated = await messageModel(services.db)
    .findOneAndUpdate({ _id: messageId, 'content.media.state': 'pending' }, { $set: set }, { returnDocument: 'after' })
    .lean<MessageRecord>();
  if (updated) services.events.emit({ type: 'message.updated', message: toMessageView(updated) });
}

/** Downloads and keeps one inbound file; a file refused by size or type is marked, not retried. */
export async function fetchInboundMedia(services: MediaServices, job: Job<MediaFetchJob>): Promise<void> {
  const messageId = new Types.ObjectId(job.data.messageId);
  const message = await messageModel(services.db).findById(messageId).lean<MessageRecord>();
  if (!message || message.content.kind !== 'media' || message.content.media.state !== 'pending') return;
  const { media } = message.content;
  const account = await services.channels.get(message.channelAccountId.toHexString());
  if (!account || !media.fileRef) {
    await markMedia(services, messageId, {
      'content.media.state': 'failed',
      'content.media.error': 'The channel is disconnected',
    });
    return;
  }
  try {
    const download = await account.adapter.downloadMedia(media.fileRef, account);
    const file = await keepFile(
      { db: services.db, files: services.files, maxBytes: services.config.FILES_MAX_BYTES },
      {
        body: download.body,
        fileName: media.fileName ?? download.fileName ?? `${media.kind}`,
        declaredType: media.mimeType ?? download.mimeType,
        conversationId: message.conversationId,
        contactId: message.contactId,
      },
    );
    await markMedia(services, messageId, {
      'content.media.state': 'kept',
      'content.media.fileId': file._id,
      'content.media.mimeType': file.mimeType,
      'content.media.size': file.size,
      'content.media.fileName': file.fileName,
    });
  } catch (error) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // A provider's "this file is gone / too big to fetch" (retryable: false) will not change on retry.
    const permanent = (error as { retryable?: unknown } | null)?.retryable === false;
    if (error instanceof FileRejectedError || permanent || last) {
      await markMedia(services, messageId, {
        'content.media.state': 'failed',
        'content.media.error': error instanceof Error ? error.message : String(error),
      });
      return;
    }
    throw error;
  }
}
