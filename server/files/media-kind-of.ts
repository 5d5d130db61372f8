import type { MediaKind } from '../../bot/channels/channel-events.js';

/** How a channel should present a kept file of this type. */
export function mediaKindOf(mimeType: string): Extract<MediaKind, 'image' | 'video' | 'audio' | 'document'> {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('video/')) return 'video';
  if (mimeType.startsWith('audio/')) return 'audio';
  return 'document';
}
