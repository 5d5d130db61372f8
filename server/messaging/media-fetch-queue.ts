import type { Job } from 'bullmq';
import { Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { FileRejectedError, keepFile } from '../files/keep-file.js';
import { fetchableFile } from './fetchable-file.js';
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

/** Sets fields of the file at `field` (content.media, content.recording) while it is still pending. */
async function markMedia(
  services: MediaServices,
  messageId: Types.ObjectId,
  field: string,
  values: Record<string, unknown>,
): Promise<void> {
  const set = Object.fromEntries(Object.entries(values).map(([key, value]) => [`${field}.${key}`, value]));
  const updated = await messageModel(services.db)
    .findOneAndUpdate({ _id: messageId, [`${field}.state`]: 'pending' }, { $set: set }, { returnDocument: 'after' })
    .lean<MessageRecord>();
  if (updated) services.events.emit({ type: 'message.updated', message: toMessageView(updated) });
}

/** Downloads and keeps one inbound file; a file refused by size or type is marked, not retried. */
export async function fetchInboundMedia(services: MediaServices, job: Job<MediaFetchJob>): Promise<void> {
  const messageId = new Types.ObjectId(job.data.messageId);
  const message = await messageModel(services.db).findById(messageId).lean<MessageRecord>();
  const file = message ? fetchableFile(message.content) : undefined;
  if (!message || !file || file.media.state !== 'pending') return;
  const { field, media } = file;
  const account = await services.channels.get(message.channelAccountId.toHexString());
  if (!account || !media.fileRef) {
    await markMedia(services, messageId, field, { state: 'failed', error: 'The channel is disconnected' });
    return;
  }
  try {
    const download = await account.adapter.downloadMedia(media.fileRef, account);
    const kept = await keepFile(
      { db: services.db, files: services.files, maxBytes: services.config.FILES_MAX_BYTES },
      {
        body: download.body,
        fileName: media.fileName ?? download.fileName ?? `${media.kind}`,
        declaredType: media.mimeType ?? download.mimeType,
        conversationId: message.conversationId,
        contactId: message.contactId,
        sourceKey: `message|${messageId.toHexString()}|${field}`,
      },
    );
    await markMedia(services, messageId, field, {
      state: 'kept',
      fileId: kept._id,
      mimeType: kept.mimeType,
      size: kept.size,
      fileName: kept.fileName,
    });
  } catch (error) {
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    // A provider's "this file is gone / too big to fetch" (retryable: false) will not change on retry.
    const permanent = (error as { retryable?: unknown } | null)?.retryable === false;
    if (error instanceof FileRejectedError || permanent || last) {
      await markMedia(services, messageId, field, {
        state: 'failed',
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    throw error;
  }
}
