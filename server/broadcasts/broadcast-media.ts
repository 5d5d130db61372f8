import { MEDIA_KINDS, type OutboundMedia } from '../../bot/channels/channel-events.js';
import type { ApiServices } from '../api/api-services.js';
import { fileModel } from '../files/file-model.js';

/** The kept file of a Telegram variant as the outbound message carries it; undefined when it is gone. */
export async function broadcastMedia(
  services: Pick<ApiServices, 'db'>,
  fileId: string | undefined,
): Promise<OutboundMedia | undefined> {
  if (!fileId) return undefined;
  const file = await fileModel(services.db).findById(fileId).lean();
  if (!file) return undefined;
  const family = file.mimeType.split('/')[0];
  const kind = MEDIA_KINDS.find((candidate) => candidate === family) ?? 'document';
  return { fileId, kind, mimeType: file.mimeType, fileName: file.fileName, size: file.size };
}
