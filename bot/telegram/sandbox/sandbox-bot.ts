import { randomBytes, randomInt } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import {
  booleanParam,
  chatIdParam,
  intParam,
  isRecord,
  jsonParam,
  stringParam,
  type BotApiParams,
} from './bot-api-params.js';
import { SandboxChats, type SandboxButton, type SandboxChatEntry, type TelegramSandboxUser } from './sandbox-chats.js';
import { FILE_FIELDS, mediaResult, SandboxFiles } from './sandbox-media.js';
import { TelegramApiFailure } from './telegram-api-failure.js';
import { WebhookDelivery, type SandboxUpdate, type SandboxWebhook } from './webhook-delivery.js';
import { watchClient } from './watch-client.js';

/** One message the bot sent, recorded once its response was written. */
export interface TelegramSandboxSent {
  method: string;
  chatId: string;
  messageId: number;
  /** Date.now() when the response was handed to the socket. */
  at: number;
  text?: string;
  /** Button captions as the person sees them, in order. */
  buttons?: string[];
  mediaKind?: string;
  caption?: string;
  fileName?: string;
  fileBytes?: number;
}

/** What a send method answers, and what is kept once that answer is written. */
export interface PreparedSend {
  result: Record<string, unknown>;
  commit(): void;
}

export interface SandboxBotOptions {
  token: string;
  firstName?: string;
  username?: string;
  /** POST updates to the URL setWebhook gave, as Telegram does; otherwise they wait for getUpdates. */
  deliverToWebhook?: boolean;
}

const now = () => Math.floor(Date.now() / 1000);
const ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

/**
 * One bot of the sandbox: its Bot API methods (https://core.telegram.org/bots/api#available-methods)
 * over its chats, files and pending updates, and the person's side of each chat (userWrites,
 * userTaps), which becomes an update the way Telegram makes one.
 */
export class SandboxBot {
  readonly token: string;
  readonly me: { id: number; is_bot: true; first_name: string; username: string };
  readonly chats = new SandboxChats();
  readonly files = new SandboxFiles();
  private readonly sentMessages: TelegramSandboxSent[] = [];
  private readonly answered: string[] = [];
  private readonly delivery: WebhookDelivery;
  private nextUpdateId = randomInt(100_000, 900_000);
  /** The getUpdates request now waiting; a newer one ends it with 409, as Telegram does. */
  private waiting: { wake: (conflict: boolean) => void } | undefined;

  constructor(options: SandboxBotOptions) {
    this.token = options.token;
    this.me = {
      id: Number(options.token.split(':')[0]),
      is_bot: true,
      first_name: options.firstName ?? 'Sandbox Bot',
      username: options.username ?? 'sandbox_bot',
    };
    this.delivery = new WebhookDelivery(options.deliverToWebhook === true);
  }

  sent(): TelegramSandboxSent[] {
    return [...this.sentMessages];
  }

  answeredCallbacks(): string[] {
    return [...this.answered];
  }

  webhook(): SandboxWebhook {
    return this.delivery.webhook();
  }

  pendingUpdates(): number {
    return this.delivery.pending();
  }

  /** Queues an update (delivered to the webhook, or kept for getUpdates); assigns update_id when absent. */
  pushUpdate(update: Record<string, unknown>): number {
    const updateId = typeof update.update_id === 'number' ? update.update_id : this.nextUpdateId++;
    this.delivery.push({ ...update, update_id: updateId });
    this.waiting?.wake(false);
    return updateId;
  }

  /** The person writes in their private chat with the bot: a `message` update. */
  userWrites(user: TelegramSandboxUser, text: string): { updateId: number; entry: SandboxChatEntry } {
    this.chats.meet(user);
    const messageId = this.chats.nextMessageId(user.id);
    const date = now();
    const entry = this.chats.record({ chatId: user.id, messageId, from: 'user', date, text });
    const message = { message_id: messageId, from: { ...user, is_bot: false }, chat: privateChat(user), date, text };
    return { updateId: this.pushUpdate({ message }), entry };
  }

  /** The person taps an inline button under one of the bot's messages: a `callback_query` update. */
  userTaps(user: TelegramSandboxUser, messageId: number, data: string): number | undefined {
    const entry = this.chats.find(user.id, messageId);
    const pressed = entry?.from === 'bot' && entry.buttons?.flat().some((button) => button.callback_data === data);
    if (!entry || !pressed) return undefined;
    const message = {
      message_id: entry.messageId,
      from: this.me,
      chat: privateChat(user),
      date: entry.date,
      ...(entry.text !== undefined ? { text: entry.text } : {}),
      reply_markup: { inline_keyboard: entry.buttons },
    };
    const callbackQuery = {
      id: String(randomInt(1, 2 ** 47)) + String(randomInt(0, 1000)),
      from: { ...user, is_bot: false },
      message,
      chat_instance: String(user.id),
      data,
    };
    return this.pushUpdate({ callback_query: callbackQuery });
  }

  /** The bot's side of a send method: validated, answered, and kept once the answer is out. */
  prepareSend(method: string, params: BotApiParams): PreparedSend {
    const chatId = chatIdParam(params);
    const buttons = inlineKeyboardOf(params);
    const fileField = FILE_FIELDS[method];
    const record: Omit<TelegramSandboxSent, 'messageId' | 'at'> = { method, chatId: String(chatId) };
    const extra: Record<string, unknown> = {};
    if (buttons) {
      record.buttons = buttons.flat().map((button) => button.text);
      extra.reply_markup = { inline_keyboard: buttons };
    }
    let media: SandboxChatEntry['media'];
    if (!fileField) {
      const text = stringParam(params, 'text');
      if (!text?.trim()) throw new TelegramApiFailure(400, 'Bad Request: message text is empty');
      if (text.length > 4096) throw new TelegramApiFailure(400, 'Bad Request: message is too long');
      record.text = text;
      extra.text = text;
    } else {
      const upload = this.files.upload(params, fileField.field);
      if (!upload) throw new TelegramApiFailure(400, `Bad Request: there is no ${fileField.field} in the request`);
      const caption = method === 'sendsticker' ? undefined : stringParam(params, 'caption');
      if (caption !== undefined && caption.length > 1024)
        throw new TelegramApiFailure(400, 'Bad Request: message caption is too long');
      const stored = this.files.store(upload.bytes, 'application/octet-stream', fileField.field);
      record.mediaKind = fileField.kind;
      record.fileName = upload.fileName;
      record.fileBytes = upload.bytes.length;
      media = { kind: fileField.kind, fileName: upload.fileName };
      if (caption) {
        record.text = caption;
        record.caption = caption;
        extra.caption = caption;
      }
      extra[fileField.field] = mediaResult(fileField.field, stored, upload.fileName);
    }
    const messageId = this.chats.nextMessageId(chatId);
    const date = now();
    const user = this.chats.userOf(chatId);
    const chat =
      chatId > 0
        ? { id: chatId, type: 'private', first_name: user?.first_name ?? 'Client' }
        : { id: chatId, type: 'group', title: 'Group' };
    const result = { message_id: messageId, from: this.me, chat, date, ...extra };
    return {
      result,
      commit: () => {
        this.sentMessages.push({ ...record, messageId, at: Date.now() });
        this.chats.record({
          chatId,
          messageId,
          from: 'bot',
          date,
          ...(record.text !== undefined ? { text: record.text } : {}),
          ...(buttons ? { buttons } : {}),
          ...(media ? { media } : {}),
        });
      },
    };
  }

  /** Every method that is not a send; undefined when the client hung up on a long poll. */
  async call(method: string, params: BotApiParams, req: IncomingMessage): Promise<unknown> {
    switch (method) {
      case 'getme':
        return this.me;
      case 'getupdates':
        return this.getUpdates(params, req);
      case 'setwebhook': {
        const url = stringParam(params, 'url') ?? '';
        if (url && !/^https?:\/\//.test(url))
          throw new TelegramApiFailure(400, 'Bad Request: bad webhook: invalid URL');
        const secretToken = stringParam(params, 'secret_token');
        if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
          throw new TelegramApiFailure(400, 'Bad Request: secret token contains unallowed characters');
        }
        const allowed = jsonParam(params, 'allowed_updates');
        this.delivery.setWebhook(
          { url, ...(secretToken === undefined ? {} : { secretToken }) },
          Array.isArray(allowed) ? allowed.map(String) : undefined,
          booleanParam(params, 'drop_pending_updates'),
        );
        return true;
      }
      case 'deletewebhook':
        this.delivery.setWebhook({ url: '' }, undefined, booleanParam(params, 'drop_pending_updates'));
        return true;
      case 'getwebhookinfo': {
        const { url, allowedUpdates } = this.delivery.webhook();
        return {
          url,
          has_custom_certificate: false,
          pending_update_count: this.delivery.pending(),
          ...(allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
        };
      }
      case 'answercallbackquery': {
        const id = stringParam(params, 'callback_query_id');
        if (!id) {
          throw new TelegramApiFailure(
            400,
            'Bad Request: query is too old and response timeout expired or query ID is invalid',
          );
        }
        this.answered.push(id);
        return true;
      }
      case 'sendchataction': {
        chatIdParam(params);
        if (!ACTIONS.has(stringParam(params, 'action') ?? ''))
          throw new TelegramApiFailure(400, 'Bad Request: wrong parameter action in request');
        return true;
      }
      case 'editmessagereplymarkup':
        return this.editReplyMarkup(params);
      case 'getfile': {
        const file = this.files.get(stringParam(params, 'file_id') ?? '');
        if (!file) throw new TelegramApiFailure(400, 'Bad Request: invalid file_id');
        return {
          file_id: file.fileId,
          file_unique_id: file.uniqueId,
          file_size: file.bytes.length,
          file_path: file.path,
        };
      }
      default:
        throw new TelegramApiFailure(404, 'Not Found');
    }
  }

  /** Wakes a waiting long poll and stops webhook delivery. */
  close(): void {
    this.waiting?.wake(false);
    this.delivery.close();
  }

  private editReplyMarkup(params: BotApiParams): unknown {
    const chatId = chatIdParam(params);
    const messageId = intParam(params, 'message_id');
    const entry = messageId === undefined ? undefined : this.chats.find(chatId, messageId);
    if (!entry || entry.from !== 'bot') throw new TelegramApiFailure(400, 'Bad Request: message to edit not found');
    const buttons = inlineKeyboardOf(params);
    if (JSON.stringify(buttons) === JSON.stringify(entry.buttons)) {
      throw new TelegramApiFailure(400, 'Bad Request: message is not modified');
    }
    if (buttons) entry.buttons = buttons;
    else delete entry.buttons;
    return {
      message_id: entry.messageId,
      from: this.me,
      chat: { id: chatId, type: chatId > 0 ? 'private' : 'group' },
      date: entry.date,
      ...(entry.text !== undefined ? { text: entry.text } : {}),
      ...(buttons ? { reply_markup: { inline_keyboard: buttons } } : {}),
    };
  }

  /** Resolves undefined when the client hung up while waiting. */
  private async getUpdates(params: BotApiParams, req: IncomingMessage): Promise<SandboxUpdate[] | undefined> {
    if (this.delivery.webhook().url) {
      throw new TelegramApiFailure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = intParam(params, 'offset');
    if (offset !== undefined) this.delivery.confirm(offset);
    const allowed = jsonParam(params, 'allowed_updates');
    if (Array.isArray(allowed)) this.delivery.allow(allowed.map(String));
    const limit = Math.min(Math.max(intParam(params, 'limit') ?? 100, 1), 100);
    const timeout = intParam(params, 'timeout') ?? 0;
    this.waiting?.wake(true);
    this.waiting = undefined;
    if (this.delivery.deliverable().length === 0 && timeout > 0) {
      const outcome = await new Promise<'news' | 'timeout' | 'conflict' | 'gone'>((resolve) => {
        const entry = { wake: (conflict: boolean) => finish(conflict ? 'conflict' : 'news') };
        const timer = setTimeout(() => finish('timeout'), timeout * 1000);
        const unwatch = watchClient(req, () => finish('gone'));
        const finish = (how: 'news' | 'timeout' | 'conflict' | 'gone') => {
          clearTimeout(timer);
          unwatch();
          if (this.waiting === entry) this.waiting = undefined;
          resolve(how);
        };
        this.waiting = entry;
      });
      if (outcome === 'conflict') {
        throw new TelegramApiFailure(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      }
      if (outcome === 'gone') return undefined;
    }
    return this.delivery.deliverable().slice(0, limit);
  }
}

/** A private chat as an update names it (https://core.telegram.org/bots/api#chat). */
function privateChat(user: TelegramSandboxUser): Record<string, unknown> {
  return {
    id: user.id,
    type: 'private',
    first_name: user.first_name,
    ...(user.last_name ? { last_name: user.last_name } : {}),
    ...(user.username ? { username: user.username } : {}),
  };
}

/** reply_markup's inline keyboard, checked as Telegram checks it; undefined when there is none. */
function inlineKeyboardOf(params: BotApiParams): SandboxButton[][] | undefined {
  const markup = jsonParam(params, 'reply_markup');
  if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return undefined;
  return markup.inline_keyboard.map((row: unknown) => {
    if (!Array.isArray(row))
      throw new TelegramApiFailure(
        400,
        "Bad Request: can't parse inline keyboard button: InlineKeyboardButton must be an Object",
      );
    return row.map((button: unknown) => {
      if (!isRecord(button) || typeof button.text !== 'string' || !button.text) {
        throw new TelegramApiFailure(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      }
      const data = button.callback_data;
      if (typeof data === 'string') {
        if (Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)
          throw new TelegramApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
        return { text: button.text, callback_data: data };
      }
      if (typeof button.url === 'string') return { text: button.text, url: button.url };
      throw new TelegramApiFailure(400, 'Bad Request: BUTTON_TYPE_INVALID');
    });
  });
}

export const randomSandboxToken = (): string =>
  `${randomInt(100_000_000, 999_999_999)}:${randomBytes(26).toString('base64url')}`;
