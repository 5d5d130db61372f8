import { Readable } from 'node:stream';
import { z } from 'zod';
import type { DownloadedMedia } from '../channels/channel-adapter.js';
import { callGraphApi, FILE_TIMEOUT_MS, type GraphTarget } from './call-graph-api.js';
import { WhatsappApiError } from './whatsapp-api-error.js';

/** file_size is documented as a number but arrives as a string in Meta's own examples. */
const mediaInfoSchema = z.object({
  url: z.url(),
  mime_type: z.string().optional(),
  file_size: z
    .union([z.number().int().nonnegative(), z.string().regex(/^\d+$/)])
    .transform(Number)
    .optional(),
});

/**
 * Fetches an inbound file by its media id: GET /{media-id} gives a download URL valid for five
 * minutes, which itself needs the same Bearer token
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#download-media).
 * The URL is asked for on every download since a stored one would have expired. Failures throw
 * WhatsappApiError.
 */
export async function downloadWhatsappMedia(target: GraphTarget, mediaId: string): Promise<DownloadedMedia> {
  const answer = await callGraphApi(`${target.graphUrl}/${encodeURIComponent(mediaId)}`, target.accessToken, {
    method: 'GET',
  });
  const info = mediaInfoSchema.safeParse(await answer.json().catch(() => undefined));
  if (!info.success) {
    throw new WhatsappApiError(`WhatsApp media ${mediaId} has no download URL`, { httpStatus: answer.status });
  }
  const file = await callGraphApi(info.data.url, target.accessToken, { method: 'GET', timeoutMs: FILE_TIMEOUT_MS });
  if (!file.body) throw new WhatsappApiError(`WhatsApp media ${mediaId} came back empty`, { httpStatus: file.status });
  return {
    body: Readable.fromWeb(file.body),
    mimeType: info.data.mime_type ?? file.headers.get('content-type') ?? undefined,
    size: info.data.file_size,
  };
}
