import type { MediaKind } from '../channels/channel-events.js';

/** The inbox's kind of file for a provider's content type; anything unusual is a document. */
export function mediaKindOfType(contentType: string | undefined): MediaKind {
  if (contentType?.startsWith('image/')) return 'image';
  if (contentType?.startsWith('video/')) return 'video';
  if (contentType?.startsWith('audio/')) return 'audio';
  return 'document';
}
