import { Types } from 'mongoose';
import { ApiError, conflict, notFound } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { fileModel } from '../files/file-model.js';
import { segmentModel, type SegmentRecord } from '../segments/segment-model.js';
import { broadcastAccounts } from './broadcast-accounts.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import { enqueueLaunch } from './enqueue-launch.js';
import { planAudience } from './plan-audience.js';

const cannotLaunch = (code: string, message: string, details?: unknown) => new ApiError(422, code, message, details);

/**
 * Launches a draft: checks what would make it fail (its segment, an account per channel, the
 * WhatsApp window), then starts it now or schedules it for `schedule.at`. The audience is frozen
 * by the launch job in a worker process.
 */
export async function launchBroadcast(
  services: Pick<ApiServices, 'db' | 'queues' | 'channels'>,
  broadcastId: string,
): Promise<BroadcastRecord> {
  const Broadcast = broadcastModel(services.db);
  const broadcast = await Broadcast.findById(broadcastId).lean<BroadcastRecord>();
  if (!broadcast) throw notFound('Broadcast');
  if (broadcast.status !== 'draft')
    throw conflict(`Only a draft can be launched; this broadcast is ${broadcast.status}`);
  const segment = await segmentModel(services.db).findById(broadcast.segmentId).lean<SegmentRecord>();
  if (!segment || segment.deletedAt)
    throw cannotLaunch('segment_gone', 'The segment of this broadcast was deleted: choose another one');
  const accounts = await broadcastAccounts(services, broadcast);
  if (accounts.size === 0) {
    throw cannotLaunch(
      'no_channel_account',
      'None of the channels this broadcast is written for has a connected account: connect one or write for another channel',
    );
  }
  const mediaFileId = broadcast.variants.telegram?.mediaFileId;
  if (mediaFileId && !(await fileModel(services.db).exists({ _id: new Types.ObjectId(mediaFileId) })))
    throw cannotLaunch('media_gone', 'The file of the Telegram variant is gone: attach it again');
  if (broadcast.variants.whatsapp && !broadcast.variants.whatsapp.template && accounts.has('whatsapp')) {
    let outsideWindow = 0;
    for await (const batch of planAudience(services, broadcast, segment, accounts))
      outsideWindow += batch.filter((recipient) => recipient.plan.whatsappWindowClosed).length;
    if (outsideWindow > 0) {
      throw cannotLaunch(
        'whatsapp_template_required',
        `${outsideWindow} recipients have not written on WhatsApp in the last 24 hours, and outside that window WhatsApp delivers only an approved template: add a template to the WhatsApp variant or take WhatsApp out of the channel order`,
        { outsideWindow },
      );
    }
  }
  const now = new Date();
  const later = broadcast.schedule && broadcast.schedule.at > now ? broadcast.schedule.at : undefined;
  const launched = await Broadcast.findOneAndUpdate(
    { _id: broadcast._id, status: 'draft' },
    { $set: later ? { status: 'scheduled' } : { status: 'running', launchedAt: now } },
    { returnDocument: 'after' },
  ).lean<BroadcastRecord>();
  if (!launched) throw conflict('The broadcast was launched or changed meanwhile; reload it');
  await enqueueLaunch(services.queues, broadcastId, later);
  return launched;
}
