import type { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { z } from 'zod';
import type { OutboundMedia } from '../channels/channel-events.js';
import { callVkApi, FILE_TIMEOUT_MS, type VkTarget } from './call-vk-api.js';
import { VkApiError } from './vk-api-error.js';

/** Image types VK takes as message photos; any other image goes as a document. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif']);

const uploadServerSchema = z.object({ upload_url: z.url() });
const uploadedPhotoSchema = z.object({ server: z.number().int(), photo: z.string(), hash: z.string() });
const uploadedFileSchema = z.object({ file: z.string().min(1) });
const savedObjectSchema = z.object({
  id: z.number().int(),
  owner_id: z.number().int(),
  access_key: z.string().optional(),
});
const savedPhotosSchema = z.array(savedObjectSchema).min(1);
const savedDocSchema = z.object({
  type: z.string(),
  doc: savedObjectSchema.optional(),
  audio_message: savedObjectSchema.optional(),
});

export interface VkUpload {
  /** The `attachment` value for messages.send: photo<owner>_<id>[_<access key>] or doc…. */
  attachment: string;
  kind: 'photo' | 'doc' | 'audio_message';
}

/**
 * Puts a file at VK for a message to `peerId` in VK's three steps (https://vk.com/dev/upload_files,
 * "Uploading Photos into a Private Message" and "Uploading Documents"): ask for an upload address,
 * post the bytes there, save what the upload server answered. JPEG, PNG
 * and GIF go as photos, an OGG voice note as a voice message, everything else as a document: a
 * community token cannot upload videos or music. Failures throw VkApiError.
 */
export async function uploadVkMedia(
  target: VkTarget,
  peerId: string,
  media: OutboundMedia,
  file: Readable,
): Promise<VkUpload> {
  const bytes = await buffer(file);
  const mimeType = media.mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  if (media.kind === 'image' && PHOTO_TYPES.has(mimeType)) return uploadPhoto(target, peerId, media, bytes);
  const type = media.kind === 'voice' && mimeType === 'audio/ogg' ? 'audio_message' : 'doc';
  return uploadDoc(target, peerId, media, bytes, type);
}

async function uploadPhoto(target: VkTarget, peerId: string, media: OutboundMedia, bytes: Buffer): Promise<VkUpload> {
  const server = await uploadServer(target, 'photos.getMessagesUploadServer', { peer_id: peerId });
  const uploaded = uploadedPhotoSchema.safeParse(await postFile(server, 'photo', media, bytes));
  // VK answers an unreadable picture with an empty photo list rather than an error.
  if (!uploaded.success || uploaded.data.photo === '' || uploaded.data.photo === '[]') {
    throw new VkApiError(`VK did not take ${media.fileName} as a photo`, { httpStatus: 200 });
  }
  const saved = savedPhotosSchema.safeParse(await callVkApi(target, 'photos.saveMessagesPhoto', uploaded.data));
  if (!saved.success) throw new VkApiError('photos.saveMessagesPhoto answered without a photo', { httpStatus: 200 });
  return { attachment: attachmentOf('photo', saved.data[0]!), kind: 'photo' };
}

async function uploadDoc(
  target: VkTarget,
  peerId: string,
  media: OutboundMedia,
  bytes: Buffer,
  type: 'doc' | 'audio_message',
): Promise<VkUpload> {
  const server = await uploadServer(target, 'docs.getMessagesUploadServer', { type, peer_id: peerId });
  const uploaded = uploadedFileSchema.safeParse(await postFile(server, 'file', media, bytes));
  if (!uploaded.success) throw new VkApiError(`VK did not take ${media.fileName} as a file`, { httpStatus: 200 });
  const saved = savedDocSchema.safeParse(
    await callVkApi(target, 'docs.save', { file: uploaded.data.file, title: media.fileName }),
  );
  const object = saved.success ? (saved.data.doc ?? saved.data.audio_message) : undefined;
  if (!object) throw new VkApiError('docs.save answered without a document', { httpStatus: 200 });
  return { attachment: attachmentOf('doc', object), kind: type };
}

async function uploadServer(target: VkTarget, method: string, params: Record<string, string>): Promise<string> {
  const answer = uploadServerSchema.safeParse(await callVkApi(target, method, params));
  if (!answer.success) throw new VkApiError(`${method} answered without an upload_url`, { httpStatus: 200 });
  return answer.data.upload_url;
}

/** The upload address is signed by VK: the bytes go there as multipart/form-data, without the token. */
async function postFile(url: string, field: string, media: OutboundMedia, bytes: Buffer): Promise<unknown> {
  const form = new FormData();
  form.set(field, new Blob([bytes], { type: media.mimeType }), media.fileName);
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', body: form, signal: AbortSignal.timeout(FILE_TIMEOUT_MS) });
  } catch (error) {
    throw new VkApiError('The VK upload server did not answer', { cause: error });
  }
  const text = await response.text().catch(() => '');
  if (!response.ok)
    throw new VkApiError(`The VK upload server answered HTTP ${response.status}`, { httpStatus: response.status });
  try {
    return JSON.parse(text);
  } catch {
    throw new VkApiError('The VK upload server answered something other than JSON', { httpStatus: response.status });
  }
}

function attachmentOf(type: 'photo' | 'doc', object: z.infer<typeof savedObjectSchema>): string {
  const base = `${type}${object.owner_id}_${object.id}`;
  return object.access_key ? `${base}_${object.access_key}` : base;
}
