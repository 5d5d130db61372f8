import { checkInboundEvents } from '../channels/check-inbound-events.js';
import { z } from 'zod';
import { MalformedPayloadError } from '../channels/channel-errors.js';
import {
  type InboundEvent,
  type InboundMessageEvent,
  type MessageContent,
  type Sender,
} from '../channels/channel-events.js';
import {
  telegramUpdateSchema,
  type TelegramCallbackQuery,
  type TelegramChat,
  type TelegramMessage,
  type TelegramUpdate,
  type TelegramUser,
} from './telegram-update-schema.js';

type InboundMedia = Extract<MessageContent, { kind: 'media' }>['media'];

/** `/start <payload>` as a t.me/<bot>?start=<payload> deep link delivers it (https://core.telegram.org/bots/features#deep-linking). */
const START_COMMAND = /^\/start(?:@\w+)?(?:\s+(\S.*))?$/s;

/**
 * The normalized events in one webhook body or getUpdates item. Update kinds the inbox does not
 * show (edited messages, channel posts, polls, service messages) give no event rather than an error,
 * so Telegram does not retry them.
 */
export function parseTelegramUpdate(rawBody: Buffer): InboundEvent[] {
  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString('utf8'));
  } catch {
    throw new MalformedPayloadError('The Telegram update is not JSON');
  }
  const update = telegramUpdateSchema.safeParse(json);
  if (!update.success) throw new MalformedPayloadError(`Not a Telegram update: ${z.prettifyError(update.error)}`);
  return checkInboundEvents(eventsOf(update.data), 'The Telegram update');
}

function eventsOf(update: TelegramUpdate): InboundEvent[] {
  if (update.message) return messageEvents(update.message);
  if (update.callback_query) return callbackEvents(update.callback_query);
  const member = update.my_chat_member;
  // In a private chat this update comes only when the person blocks or unblocks the bot
  // (https://core.telegram.org/bots/api#update): `kicked` is blocked (ChatMemberBanned), `member`
  // unblocked again. In a group it is an admin adding or removing the bot, which says nothing
  // about any one person.
  if (!member || member.chat.type !== 'private') return [];
  const from = userSender(member.from);
  const at = fromUnixTime(member.date);
  switch (member.new_chat_member.status) {
    case 'kicked':
      return [{ type: 'blocked', from, at }];
    case 'member':
      return [{ type: 'unblocked', from, at }];
    default:
      return [];
  }
}

function messageEvents(message: TelegramMessage): InboundEvent[] {
  const content = messageContent(message);
  if (!content) return [];
  const event: InboundMessageEvent = {
    type: 'message',
    // message_id is unique only within its chat (https://core.telegram.org/bots/api#message).
    externalMessageId: messageKey(message.chat, message.message_id),
    from: message.from ? userSender(message.from) : chatSender(message.sender_chat ?? message.chat),
    chatId: String(message.chat.id),
    sentAt: fromUnixTime(message.date),
    content,
  };
  const start = content.kind === 'text' ? START_COMMAND.exec(content.text) : null;
  if (start) {
    event.content = { kind: 'text', text: '/start' };
    if (start[1]) event.source = { payload: start[1].trim() };
  }
  // A person sharing their own contact card (the bot's "share my phone" button) gives their phone.
  const card = message.contact;
  if (card && message.from && card.user_id === message.from.id && card.phone_number) {
    event.from.phone = /^\d+$/.test(card.phone_number) ? `+${card.phone_number}` : card.phone_number;
  }
  if (message.reply_to_message) {
    event.replyToExternalId = messageKey(message.chat, message.reply_to_message.message_id);
  }
  return [event];
}

function callbackEvents(query: TelegramCallbackQuery): InboundEvent[] {
  if (query.data === undefined) return [];
  const data = query.data;
  const tapped = query.message?.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === data);
  const event: InboundMessageEvent = {
    type: 'message',
    externalMessageId: `callback:${query.id}`,
    from: userSender(query.from),
    // The message is absent when it is too old for Telegram to attach; buttons we send are in private chats.
    chatId: String(query.message?.chat.id ?? query.from.id),
    // A CallbackQuery carries no date of its own (https://core.telegram.org/bots/api#callbackquery): the tap is now.
    sentAt: new Date(),
    content: { kind: 'button', payload: data, text: tapped?.text ?? data },
  };
  if (query.message) event.replyToExternalId = messageKey(query.message.chat, query.message.message_id);
  return [event];
}

function messageContent(message: TelegramMessage): MessageContent | undefined {
  const media = messageMedia(message);
  if (media) {
    return message.caption === undefined
      ? { kind: 'media', media }
      : { kind: 'media', media, caption: message.caption };
  }
  if (message.text !== undefined) return { kind: 'text', text: message.text };
  // Venue first: Telegram also sets `location` on a venue message for backward compatibility (https://core.telegram.org/bots/api#message).
  if (message.venue) {
    const { location, title, address } = message.venue;
    return { kind: 'location', latitude: location.latitude, longitude: location.longitude, name: title, address };
  }
  if (message.location) {
    return { kind: 'location', latitude: message.location.latitude, longitude: message.location.longitude };
  }
  if (message.contact) {
    const contact = message.contact;
    const content: MessageContent = {
      kind: 'contact',
      name: fullName(contact.first_name, contact.last_name),
      phone: contact.phone_number,
    };
    if (contact.user_id !== undefined) content.externalId = String(contact.user_id);
    return content;
  }
  return undefined;
}

function messageMedia(message: TelegramMessage): InboundMedia | undefined {
  if (message.photo?.length) {
    // One photo arrives in several sizes (https://core.telegram.org/bots/api#photosize); the largest is the original.
    const largest = message.photo.reduce((best, size) =>
      size.width * size.height > best.width * best.height ? size : best,
    );
    // A PhotoSize has no mime_type: Telegram re-encodes every photo as JPEG.
    return withFileFields({ kind: 'image', fileRef: largest.file_id, mimeType: 'image/jpeg' }, largest);
  }
  if (message.sticker) {
    // Static stickers are WEBP, animated ones TGS, video ones WEBM (https://core.telegram.org/stickers).
    const { sticker } = message;
    const mimeType = sticker.is_animated ? 'application/x-tgsticker' : sticker.is_video ? 'video/webm' : 'image/webp';
    return withFileFields({ kind: 'sticker', fileRef: sticker.file_id, mimeType }, sticker);
  }
  if (message.voice) return withFileFields({ kind: 'voice', fileRef: message.voice.file_id }, message.voice);
  if (message.audio) return withFileFields({ kind: 'audio', fileRef: message.audio.file_id }, message.audio);
  if (message.video) return withFileFields({ kind: 'video', fileRef: message.video.file_id }, message.video);
  if (message.video_note) {
    // Round video messages are always MPEG-4 (https://core.telegram.org/bots/api#sendvideonote).
    return withFileFields(
      { kind: 'video', fileRef: message.video_note.file_id, mimeType: 'video/mp4' },
      message.video_note,
    );
  }
  // Last: an animation (GIF) also sets `document` for backward compatibility, and is shown as a file.
  if (message.document)
    return withFileFields({ kind: 'document', fileRef: message.document.file_id }, message.document);
  return undefined;
}

function withFileFields(
  media: InboundMedia,
  file: { file_size?: number | undefined; mime_type?: string | undefined; file_name?: string | undefined },
): InboundMedia {
  if (file.mime_type && !media.mimeType) media.mimeType = file.mime_type;
  if (file.file_name) media.fileName = file.file_name;
  if (file.file_size !== undefined) media.size = file.file_size;
  return media;
}

function userSender(user: TelegramUser): Sender {
  const sender: Sender = { externalId: String(user.id), name: fullName(user.first_name, user.last_name) };
  if (user.username) sender.username = user.username;
  if (user.language_code) sender.language = user.language_code;
  return sender;
}

/** Anonymous group admins and channels write as a chat, not as a person. */
function chatSender(chat: TelegramChat): Sender {
  const sender: Sender = { externalId: String(chat.id) };
  const name = chat.title ?? (chat.first_name === undefined ? undefined : fullName(chat.first_name, chat.last_name));
  if (name) sender.name = name;
  if (chat.username) sender.username = chat.username;
  return sender;
}

function messageKey(chat: TelegramChat, messageId: number): string {
  return `${chat.id}:${messageId}`;
}

function fullName(first: string, last: string | undefined): string {
  return last ? `${first} ${last}` : first;
}

function fromUnixTime(seconds: number): Date {
  return new Date(seconds * 1000);
}
