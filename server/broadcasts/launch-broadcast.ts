import { Types } from 'mongoose';
import { ApiError, conflict, notFound, type ErrorMessage } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { errorTexts } from '../api/error-texts.js';
import { fileModel } from '../files/file-model.js';
import { segmentModel, type SegmentRecord } from '../segments/segment-model.js';
import { broadcastAccounts } from './broadcast-accounts.js';
import { broadcastModel, type BroadcastRecord } from './broadcast-model.js';
import { enqueueLaunch } from './enqueue-launch.js';
import { planAudience } from './plan-audience.js';

const { say, sayWith } = errorTexts;

const cannotLaunch = (code: string, message: ErrorMessage, details?: unknown) =>
  new ApiError(422, code, message, details);

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
  if (broadcast.status !== 'draft') throw conflict(sayWith('draftOnlyLaunched', { status: broadcast.status }));
  const segment = await segmentModel(services.db).findById(broadcast.segmentId).lean<SegmentRecord>();
  if (!segment || segment.deletedAt) throw cannotLaunch('segment_gone', say('broadcastSegmentGone'));
  const accounts = await broadcastAccounts(services, broadcast);
  if (accounts.size === 0) {
    throw cannotLaunch('no_channel_account', say('broadcastNoAccount'));
  }
  const mediaFileId = broadcast.variants.telegram?.mediaFileId;
  if (mediaFileId && !(await fileModel(services.db).exists({ _id: new Types.ObjectId(mediaFileId) })))
    throw cannotLaunch('media_gone', say('broadcastMediaGone'));
  if (broadcast.variants.whatsapp && !broadcast.variants.whatsapp.template && accounts.has('whatsapp')) {
    let outsideWindow = 0;
    for await (const batch of planAudience(services, broadcast, segment, accounts))
      outsideWindow += batch.filter((recipient) => recipient.plan.whatsappWindowClosed).length;
    if (outsideWindow > 0) {
      throw cannotLaunch('whatsapp_template_required', sayWith('whatsappTemplateRequired', { count: outsideWindow }), {
        outsideWindow,
      });
    }
  }
  const now = new Date();
  const later = broadcast.schedule && broadcast.schedule.at > now ? broadcast.schedule.at : undefined;
  const launched = await Broadcast.findOneAndUpdate(
    { _id: broadcast._id, status: 'draft' },
    { $set: later ? { status: 'scheduled' } : { status: 'running', launchedAt: now } },
    { returnDocument: 'after' },
  ).lean<BroadcastRecord>();
  if (!launched) throw conflict(say('broadcastChangedMeanwhile'));
  await enqueueLaunch(services.queues, broadcastId, later);
  return launched;
}
