import { SendError } from '../channels/channel-errors.js';
import type { OutboundMedia, OutboundMessage } from '../channels/channel-events.js';

type MediaType = 'image' | 'video' | 'audio' | 'document' | 'sticker';
interface MediaObject {
  id: string;
  caption?: string;
  filename?: string;
  /** Audio only: shown as a voice note with transcript rather than as an audio file. */
  voice?: boolean;
}
type MediaMessageBody = { type: MediaType } & { [T in MediaType]?: MediaObject };

interface ReplyButton {
  type: 'reply';
  reply: { id: string; title: string };
}
interface ListRow {
  id: string;
  title: string;
  description?: string;
}
type InteractiveHeader = { type: 'image' | 'video' | 'document' } & {
  [T in 'image' | 'video' | 'document']?: MediaObject;
};
type Interactive =
  | { type: 'button'; header?: InteractiveHeader; body: { text: string }; action: { buttons: ReplyButton[] } }
  | { type: 'list'; body: { text: string }; action: { button: string; sections: { rows: ListRow[] }[] } };

/** The type-specific part of a POST /{phone-number-id}/messages body (messaging_product and `to` are added on send). */
export type WhatsappMessageBody =
  | { type: 'text'; text: { body: string; preview_url: boolean } }
  | { type: 'interactive'; interactive: Interactive }
  | {
      type: 'template';
      template: {
        name: string;
        language: { code: string };
        components?: { type: 'body'; parameters: { type: 'text'; text: string }[] }[];
      };
    }
  | MediaMessageBody;

/** Limits from https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages. */
const MAX_TEXT = 4096;
const MAX_CAPTION = 1024;
/** Body text of a reply-button message; a list message allows as much as plain text (interactive-list-messages doc). */
const MAX_BUTTONS_BODY = 1024;
const MAX_REPLY_BUTTONS = 3;
const MAX_REPLY_TITLE = 20;
const MAX_LIST_ROWS = 10;
const MAX_ROW_TITLE = 24;
const MAX_ROW_DESCRIPTION = 72;
/**
 * A list opens from a button whose label WhatsApp requires (at most 20 characters). The inbox's
 * customers write Russian and the account has no language setting to choose another.
 */
const LIST_BUTTON_LABEL = 'Выбрать';

const MEDIA_TYPES: Record<OutboundMedia['kind'], MediaType> = {
  image: 'image',
  video: 'video',
  audio: 'audio',
  // A voice note is audio with `voice: true`; it needs OGG/Opus to get its transcript
  // (https://developers.facebook.com/documentation/business-messaging/whatsapp/messages/audio-messages/).
  voice: 'audio',
  document: 'document',
  sticker: 'sticker',
};
/** Audio and stickers take no caption; reply-button messages take these three as a header. */
const CAPTIONED: ReadonlySet<MediaType> = new Set(['image', 'video', 'document']);

/**
 * The Cloud API messages one outbound message becomes: usually one, two when WhatsApp has no single
 * type for it (a voice note with text, a file with a list, text longer than a caption). `upload`
 * puts the message's file at Meta and gives its media id; it runs only once the message is known
 * to be sendable, so a refused message uploads nothing.
 */
export async function whatsappMessageBodies(
  message: OutboundMessage,
  upload: (media: OutboundMedia) => Promise<string>,
): Promise<WhatsappMessageBody[]> {
  // A template is what may go out when the service window is closed; it stands for the whole message.
  if (message.template) return [templateBody(message.template)];
  const text = message.text?.trim() ? message.text : undefined;
  const buttons = message.buttons ?? [];
  if (text && length(text) > MAX_TEXT) permanent(`WhatsApp text is at most ${MAX_TEXT} characters`);
  if (buttons.length > MAX_LIST_ROWS) permanent(`WhatsApp shows at most ${MAX_LIST_ROWS} choices on one message`);
  if (buttons.length > 0 && !text) permanent('WhatsApp buttons need a message text (the interactive body is required)');

  const bodies: WhatsappMessageBody[] = [];
  let pendingText = text;
  if (message.media) {
    const type = MEDIA_TYPES[message.media.kind];
    const object: MediaObject = {
      id: await upload(message.media),
      filename: type === 'document' ? message.media.fileName : undefined,
      voice: message.media.kind === 'voice' || undefined,
    };
    if (text && buttons.length > 0 && buttons.length <= MAX_REPLY_BUTTONS && isCaptioned(type)) {
      return [interactiveBody(text, buttons, mediaHeader(type, object))];
    }
    const caption = isCaptioned(type) && buttons.length === 0 && text && length(text) <= MAX_CAPTION ? text : undefined;
    bodies.push(mediaBody(type, { ...object, caption }));
    if (caption) pendingText = undefined;
  }
  if (pendingText && buttons.length > 0) bodies.push(interactiveBody(pendingText, buttons));
  else if (pendingText) bodies.push({ type: 'text', text: { body: pendingText, preview_url: false } });
  if (bodies.length === 0) permanent('The message has nothing WhatsApp can send');
  return bodies;
}

function templateBody(template: NonNullable<OutboundMessage['template']>): WhatsappMessageBody {
  const parameters = template.parameters.map((text): { type: 'text'; text: string } => ({ type: 'text', text }));
  return {
    type: 'template',
    template: {
      name: template.name,
      language: { code: template.language },
      components: parameters.length > 0 ? [{ type: 'body', parameters }] : undefined,
    },
  };
}

function interactiveBody(
  text: string,
  buttons: NonNullable<OutboundMessage['buttons']>,
  header?: InteractiveHeader,
): WhatsappMessageBody {
  if (buttons.length <= MAX_REPLY_BUTTONS) {
    if (length(text) > MAX_BUTTONS_BODY) {
      permanent(`A WhatsApp message with reply buttons has at most ${MAX_BUTTONS_BODY} characters of text`);
    }
    // Reply buttons: the API refuses titles over 20 characters rather than cutting them.
    const replies = buttons.map((button): ReplyButton => ({
      type: 'reply',
      reply: { id: button.id, title: truncate(button.text, MAX_REPLY_TITLE) },
    }));
    return {
      type: 'interactive',
      interactive: { type: 'button', header, body: { text }, action: { buttons: replies } },
    };
  }
  // 4-10 choices: a list in one untitled section (titles are only required with several sections).
  const rows = buttons.map((button): ListRow => {
    const cut = length(button.text) > MAX_ROW_TITLE;
    return {
      id: button.id,
      title: truncate(button.text, MAX_ROW_TITLE),
      description: cut ? truncate(button.text, MAX_ROW_DESCRIPTION) : undefined,
    };
  });
  return {
    type: 'interactive',
    interactive: { type: 'list', body: { text }, action: { button: LIST_BUTTON_LABEL, sections: [{ rows }] } },
  };
}

function mediaBody(type: MediaType, object: MediaObject): WhatsappMessageBody {
  const body: MediaMessageBody = { type };
  body[type] = object;
  return body;
}

function mediaHeader(type: 'image' | 'video' | 'document', object: MediaObject): InteractiveHeader {
  const header: InteractiveHeader = { type };
  header[type] = object;
  return header;
}

function isCaptioned(type: MediaType): type is 'image' | 'video' | 'document' {
  return CAPTIONED.has(type);
}

/** Counted in code points, so an emoji is one character rather than two UTF-16 units. */
function length(text: string): number {
  return Array.from(text).length;
}

function truncate(text: string, max: number): string {
  const chars = Array.from(text.trim());
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}

function permanent(reason: string): never {
  throw new SendError('permanent', reason);
}
