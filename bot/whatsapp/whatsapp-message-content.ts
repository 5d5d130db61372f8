import { MalformedPayloadError } from '../channels/channel-errors.js';
import type { MediaKind, MessageContent } from '../channels/channel-events.js';
import type { WhatsappMedia, WhatsappMessage } from './whatsapp-webhook-schema.js';

/**
 * What one inbound message says, in the inbox's terms. Types the inbox cannot show (reactions,
 * orders, system notices, `unsupported`) become a visible placeholder rather than vanishing, so an
 * operator knows the person wrote something
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples).
 */
export function whatsappMessageContent(message: WhatsappMessage): MessageContent {
  switch (message.type) {
    case 'text':
      return { kind: 'text', text: part(message.text, message).body };
    case 'image':
    case 'video':
    case 'document':
    case 'sticker':
      return mediaContent(message.type, part(message[message.type], message));
    case 'audio': {
      const audio = part(message.audio, message);
      return mediaContent(audio.voice ? 'voice' : 'audio', audio);
    }
    case 'location': {
      const { latitude, longitude, name, address } = part(message.location, message);
      return { kind: 'location', latitude, longitude, name, address };
    }
    case 'contacts': {
      // A message may carry several cards; the inbox shows one contact per message.
      const card = part(message.contacts?.[0], message);
      const phone = card.phones?.[0];
      return { kind: 'contact', name: card.name.formatted_name, phone: phone?.phone, externalId: phone?.wa_id };
    }
    case 'interactive': {
      const interactive = part(message.interactive, message);
      const reply = interactive.button_reply ?? interactive.list_reply;
      if (!reply) return placeholder(`interactive ${interactive.type}`);
      return { kind: 'button', payload: reply.id, text: reply.title };
    }
    case 'button': {
      const button = part(message.button, message);
      return { kind: 'button', payload: button.payload ?? button.text, text: button.text };
    }
    default:
      return placeholder(message.type);
  }
}

function placeholder(type: string): MessageContent {
  return { kind: 'text', text: `[unsupported message: ${type}]` };
}

function mediaContent(kind: MediaKind, media: WhatsappMedia): MessageContent {
  return {
    kind: 'media',
    media: { kind, fileRef: media.id, mimeType: media.mime_type, fileName: media.filename },
    caption: media.caption,
  };
}

/** The object named by the message's type: a message without it is not one Meta sends. */
function part<T>(value: T | undefined, message: WhatsappMessage): T {
  if (value === undefined) {
    throw new MalformedPayloadError(
      `WhatsApp message ${message.id} of type ${message.type} has no ${message.type} object`,
    );
  }
  return value;
}
