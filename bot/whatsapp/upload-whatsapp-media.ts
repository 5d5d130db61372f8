import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import type { OutboundMedia } from '../channels/channel-events.js';
import { callGraphApi, FILE_TIMEOUT_MS, type GraphTarget } from './call-graph-api.js';
import { WhatsappApiError } from './whatsapp-api-error.js';

const uploadResponseSchema = z.object({ id: z.string().min(1) });

/**
 * Uploads a file to Meta and returns its media id, which a message then refers to
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/media#upload-media).
 * Uploading rather than linking keeps our files off the public internet. The file is read into
 * memory because fetch's FormData takes a Blob; WhatsApp caps files at 100 MB.
 */
export async function uploadWhatsappMedia(
  target: GraphTarget,
  phoneNumberId: string,
  media: OutboundMedia,
  file: Readable,
): Promise<string> {
  const bytes = await buffer(file);
  const form = new FormData();
  form.set('messaging_product', 'whatsapp');
  // `type` is the file's MIME type here, not the message type.
  form.set('type', media.mimeType);
  form.set('file', new Blob([bytes], { type: media.mimeType }), media.fileName);
  const response = await callGraphApi(`${target.graphUrl}/${phoneNumberId}/media`, target.accessToken, {
    method: 'POST',
    body: form,
    timeoutMs: FILE_TIMEOUT_MS,
  });
  const body = uploadResponseSchema.safeParse(await response.json().catch(() => undefined));
  if (!body.success) {
    throw new WhatsappApiError('The WhatsApp media upload answered without a media id', {
      httpStatus: response.status,
    });
  }
  return body.data.id;
}
