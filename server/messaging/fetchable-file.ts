import type { StoredContent, StoredMedia } from './message-model.js';

/**
 * The provider file a message's content holds, with where it sits in the message: a received
 * file, or a call's recording. The media fetch worker keeps it and marks it at that place.
 */
export function fetchableFile(content: StoredContent): { field: string; media: StoredMedia } | undefined {
  if (content.kind === 'media') return { field: 'content.media', media: content.media };
  if (content.kind === 'call' && content.recording) return { field: 'content.recording', media: content.recording };
  return undefined;
}
