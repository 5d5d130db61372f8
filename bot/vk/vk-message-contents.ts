import { MalformedPayloadError } from '../channels/channel-errors.js';
import type { MessageContent } from '../channels/channel-events.js';
import type { VkAttachment, VkMessage, VkPhoto } from './vk-callback-schema.js';
import { buttonIdOf } from './vk-keyboard.js';

/** What an inbox message keeps of a button reply and a file name; longer ones are cut, not refused. */
const MAX_BUTTON_FIELD = 1000;
const MAX_FILE_NAME = 300;

/**
 * What one VK message says, in the inbox's terms. A VK message may carry text and up to ten
 * attachments at once while an inbox message holds one thing, so it becomes several contents: the
 * text rides as the first file's caption (or stands first on its own), then one content per
 * attachment. Attachments the inbox cannot keep (wall posts, polls, gifts) become a visible
 * placeholder rather than vanishing, so an operator knows the person sent something.
 */
export function vkMessageContents(message: VkMessage): MessageContent[] {
  // A tap on one of our keyboard buttons sends the button's label as text with its payload
  // (https://dev.vk.com/api/bots/development/keyboard).
  const buttonId = message.payload === undefined ? undefined : buttonIdOf(message.payload);
  if (buttonId !== undefined) {
    return [
      { kind: 'button', payload: buttonId.slice(0, MAX_BUTTON_FIELD), text: message.text.slice(0, MAX_BUTTON_FIELD) },
    ];
  }

  const parts = message.attachments.map((attachment) => attachmentContent(attachment, message));
  if (message.geo) {
    const { coordinates, place } = message.geo;
    parts.push({
      kind: 'location',
      latitude: coordinates.latitude,
      longitude: coordinates.longitude,
      name: place?.title,
      address: place?.city,
    });
  }
  const text = message.text;
  const [first] = parts;
  if (!first) {
    if (text) return [{ kind: 'text', text }];
    return [placeholder(message.fwd_messages?.length ? 'forwarded messages' : (message.action?.type ?? 'empty'))];
  }
  if (!text) return parts;
  if (first.kind === 'media' && first.caption === undefined) return [{ ...first, caption: text }, ...parts.slice(1)];
  return [{ kind: 'text', text }, ...parts];
}

function attachmentContent(attachment: VkAttachment, message: VkMessage): MessageContent {
  switch (attachment.type) {
    case 'photo': {
      const photo = part(attachment.photo, attachment, message);
      return {
        kind: 'media',
        media: { kind: 'image', fileRef: largestPhotoUrl(photo, message), mimeType: 'image/jpeg' },
      };
    }
    case 'doc': {
      const doc = part(attachment.doc, attachment, message);
      return {
        kind: 'media',
        media: { kind: 'document', fileRef: doc.url, fileName: doc.title.slice(0, MAX_FILE_NAME), size: doc.size },
      };
    }
    case 'audio_message': {
      const voice = part(attachment.audio_message, attachment, message);
      // OGG/Opus is what VK records; the MP3 is its transcoding.
      const link = voice.link_ogg ?? voice.link_mp3;
      if (!link) throw malformed(message, 'an audio_message without a link');
      return {
        kind: 'media',
        media: { kind: 'voice', fileRef: link, mimeType: voice.link_ogg ? 'audio/ogg' : 'audio/mpeg' },
      };
    }
    case 'sticker': {
      const image = largest(part(attachment.sticker, attachment, message).images ?? []);
      if (!image) return placeholder('sticker');
      return { kind: 'media', media: { kind: 'sticker', fileRef: image.url } };
    }
    case 'video': {
      const video = part(attachment.video, attachment, message);
      const page = `https://vk.com/video${video.owner_id}_${video.id}`;
      return { kind: 'text', text: video.title ? `[video] ${video.title} ${page}` : `[video] ${page}` };
    }
    case 'audio': {
      const audio = attachment.audio;
      const title = [audio?.artist, audio?.title].filter(Boolean).join(' — ');
      return placeholder(title ? `audio: ${title}` : 'audio');
    }
    default:
      return placeholder(attachment.type);
  }
}

function largestPhotoUrl(photo: VkPhoto, message: VkMessage): string {
  const image = photo.orig_photo ?? largest(photo.sizes ?? []);
  if (!image) throw malformed(message, `photo ${photo.owner_id}_${photo.id} without sizes`);
  return image.url;
}

/** VK lists sizes from small to large and gives some of them as 0×0, so a tie goes to the later one. */
function largest<T extends { width: number; height: number }>(images: T[]): T | undefined {
  return images.reduce<T | undefined>(
    (best, image) => (!best || image.width * image.height >= best.width * best.height ? image : best),
    undefined,
  );
}

function placeholder(what: string): MessageContent {
  return { kind: 'text', text: `[unsupported message: ${what}]` };
}

/** The object named by the attachment's type: an attachment without it is not one VK sends. */
function part<T>(value: T | undefined, attachment: VkAttachment, message: VkMessage): T {
  if (value === undefined)
    throw malformed(message, `a ${attachment.type} attachment without its ${attachment.type} object`);
  return value;
}

function malformed(message: VkMessage, what: string): MalformedPayloadError {
  return new MalformedPayloadError(`VK message ${message.id} in ${message.peer_id} has ${what}`);
}
