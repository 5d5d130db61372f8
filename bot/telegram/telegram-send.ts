import { InputFile, type Api } from 'grammy';
import type { InlineKeyboardMarkup, Message } from 'grammy/types';
import type { SendContext, SendResult } from '../channels/channel-adapter.js';
import { SendError } from '../channels/channel-errors.js';
import type { OutboundMedia, OutboundMessage } from '../channels/channel-events.js';
import { toTelegramSendError } from './to-telegram-send-error.js';

/** Media captions are limited to 1024 characters (https://core.telegram.org/bots/api#sendphoto). */
const CAPTION_LIMIT = 1024;
/** callback_data is limited to 1-64 bytes (https://core.telegram.org/bots/api#inlinekeyboardbutton). */
const CALLBACK_DATA_LIMIT_BYTES = 64;

interface MediaOptions {
  caption?: string;
  reply_markup?: InlineKeyboardMarkup;
}

/**
 * Sends one outbound message through the Bot API; a file whose text is too long for a caption
 * goes out as the file, then the text. Every failure comes out as a SendError.
 */
export async function sendTelegramMessage(
  api: Api,
  message: OutboundMessage,
  context: SendContext,
): Promise<SendResult> {
  try {
    const replyMarkup = inlineKeyboard(message.buttons ?? []);
    const text = message.text?.trim() ? message.text : undefined;
    let last: Message;
    if (message.media) {
      // Stickers take no caption (https://core.telegram.org/bots/api#sendsticker).
      const captionFits = text !== undefined && text.length <= CAPTION_LIMIT && message.media.kind !== 'sticker';
      const textSeparately = text !== undefined && !captionFits;
      // The buttons go on whichever message comes last, so they stay under the person's thumb.
      last = await sendMedia(api, context, message.media, {
        caption: captionFits ? text : undefined,
        reply_markup: textSeparately ? undefined : replyMarkup,
      });
      if (textSeparately) last = await api.sendMessage(context.chatId, text, { reply_markup: replyMarkup });
    } else if (text !== undefined) {
      last = await api.sendMessage(context.chatId, text, { reply_markup: replyMarkup });
    } else {
      throw new SendError('permanent', 'Telegram has no message templates: the message needs text or a file');
    }
    return { externalMessageId: `${last.chat.id}:${last.message_id}` };
  } catch (error) {
    throw toTelegramSendError(error);
  }
}

function inlineKeyboard(buttons: NonNullable<OutboundMessage['buttons']>): InlineKeyboardMarkup | undefined {
  if (buttons.length === 0) return undefined;
  for (const button of buttons) {
    if (!button.url && Buffer.byteLength(button.id, 'utf8') > CALLBACK_DATA_LIMIT_BYTES) {
      throw new SendError('permanent', `The button id "${button.id}" is longer than Telegram's 64-byte callback_data`);
    }
  }
  // One button per row: captions are whole phrases, which side-by-side buttons would cut short.
  return {
    inline_keyboard: buttons.map((button) => [
      button.url ? { text: button.text, url: button.url } : { text: button.text, callback_data: button.id },
    ]),
  };
}

async function sendMedia(
  api: Api,
  context: SendContext,
  media: OutboundMedia,
  options: MediaOptions,
): Promise<Message> {
  const body = await context.openFile(media);
  try {
    // grammy writes the name unquoted into the multipart header, where a line break would break the request.
    const file = new InputFile(body, media.fileName.replace(/[\r\n]+/g, ' '));
    return await sendFile(api, context.chatId, media.kind, file, options);
  } finally {
    // A request that failed before reading the file would otherwise keep it open.
    body.destroy();
  }
}

function sendFile(
  api: Api,
  chatId: string,
  kind: OutboundMedia['kind'],
  file: InputFile,
  options: MediaOptions,
): Promise<Message> {
  switch (kind) {
    case 'image':
      return api.sendPhoto(chatId, file, options);
    case 'video':
      return api.sendVideo(chatId, file, options);
    case 'audio':
      return api.sendAudio(chatId, file, options);
    case 'voice':
      return api.sendVoice(chatId, file, options);
    case 'document':
      return api.sendDocument(chatId, file, options);
    case 'sticker':
      return api.sendSticker(chatId, file, { reply_markup: options.reply_markup });
  }
}
