import { Types } from 'mongoose';
import type { InboundRecordingEvent } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import { isDuplicateKeyError } from '../contacts/is-duplicate-key-error.js';
import { MEDIA_FETCH_QUEUE, mediaFetchJob } from '../messaging/media-fetch-queue.js';
import { messageModel, type MessageRecord, type StoredMedia } from '../messaging/message-model.js';
import { toMessageView } from '../messaging/message-views.js';
import { pendingRecordingModel } from './pending-recording-model.js';

type RecordingServices = Pick<ApiServices, 'db' | 'events' | 'queues'>;

/**
 * Gives a call entry its recording, once: the recording is set only where there is none, then
 * fetched into the file store by the media worker like any received file, after the webhook's 200.
 */
async function setRecording(
  services: RecordingServices,
  channelAccountId: Types.ObjectId,
  callId: string,
  recording: Omit<StoredMedia, 'state'>,
): Promise<boolean> {
  const updated = await messageModel(services.db)
    .findOneAndUpdate(
      {
        channelAccountId,
        externalId: callId,
        direction: 'in',
        'content.kind': 'call',
        'content.recording': { $exists: false },
      },
      { $set: { 'content.recording': { ...recording, state: 'pending' } } },
      { returnDocument: 'after' },
    )
    .lean<MessageRecord>();
  const settled =
    updated !== null || (await messageModel(services.db).exists({ channelAccountId, externalId: callId })) !== null;
  if (settled) await pendingRecordingModel(services.db).deleteOne({ channelAccountId, externalId: callId });
  if (!updated) return false;
  const job = mediaFetchJob(updated._id.toHexString());
  await services.queues.queue(MEDIA_FETCH_QUEUE).add(job.name, job.data, job.opts);
  services.events.emit({ type: 'message.updated', message: toMessageView(updated) });
  return true;
}

/**
 * A provider's recording event (Twilio's recording callback, Zadarma's NOTIFY_RECORD). It is
 * parked before the call is looked for, and a call is looked for in parking after it is stored
 * (claimPendingRecording): whichever of the two webhooks comes second, it finds the other.
 */
export async function attachCallRecording(
  services: RecordingServices,
  accountId: string,
  event: InboundRecordingEvent,
): Promise<boolean> {
  const channelAccountId = new Types.ObjectId(accountId);
  const { kind, fileRef, mimeType, fileName, size } = event.recording;
  // Written with the driver, which would store an undefined field as null: only set fields.
  const recording = {
    kind,
    fileRef,
    ...(mimeType ? { mimeType } : {}),
    ...(fileName ? { fileName } : {}),
    ...(size === undefined ? {} : { size }),
  };
  try {
    await pendingRecordingModel(services.db).updateOne(
      { channelAccountId, externalId: event.externalMessageId },
      { $setOnInsert: { recording, createdAt: new Date() } },
      { upsert: true },
    );
  } catch (error) {
    // The same recording delivered twice at once: the other request parked it.
    if (!isDuplicateKeyError(error)) throw error;
  }
  return setRecording(services, channelAccountId, event.externalMessageId, recording);
}

/** After a call is stored (or found again on a redelivery): a recording that came first joins it. */
export async function claimPendingRecording(
  services: RecordingServices,
  accountId: string,
  callId: string,
): Promise<void> {
  const channelAccountId = new Types.ObjectId(accountId);
  const pending = await pendingRecordingModel(services.db).findOne({ channelAccountId, externalId: callId }).lean();
  if (pending) await setRecording(services, channelAccountId, callId, pending.recording);
}
