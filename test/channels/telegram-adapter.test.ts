import { randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InboundRequest, SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import type { OutboundMedia } from '../../bot/channels/channel-events.js';
import { registerTelegramWebhook } from '../../bot/telegram/register-telegram-webhook.js';
import { createTelegramAdapter, type TelegramAccount } from '../../bot/telegram/telegram-adapter.js';
import { startTelegramPolling } from '../../bot/telegram/telegram-poller.js';
import { telegramSecretsSchema, telegramSettingsSchema } from '../../bot/telegram/telegram-schemas.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../stand-ins/telegram-bot-api.js';

let standIn: TelegramBotApiStandIn;
let adapter: ReturnType<typeof createTelegramAdapter>;
let account: TelegramAccount;
let chatId: number;

beforeEach(async () => {
  standIn = await startTelegramBotApi();
  adapter = createTelegramAdapter({ apiRoot: standIn.apiRoot });
  account = {
    id: `telegram-${randomBytes(4).toString('hex')}`,
    type: 'telegram',
    name: 'Test bot',
    settings: { mode: 'webhook' },
    secrets: { token: standIn.token, webhookSecret: randomBytes(16).toString('base64url') },
  };
  chatId = randomInt(100_000_000, 999_999_999);
});

afterEach(async () => {
  await standIn.close();
});

/** `secret` null: no secret header at all. */
function webhookRequest(
  body: unknown,
  secret: string | string[] | null = account.secrets.webhookSecret,
): InboundRequest {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret ?? undefined },
    query: {},
    rawBody: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  };
}

/** The sender and chat of the example updates in https://core.telegram.org/bots/webhooks#testing-your-bot-with-updates. */
function person() {
  return {
    from: {
      id: chatId,
      is_bot: false,
      first_name: 'Test Firstname',
      last_name: 'Test Lastname',
      username: 'Testusername',
      language_code: 'en',
    },
    chat: {
      id: chatId,
      first_name: 'Test Firstname',
      last_name: 'Test Lastname',
      username: 'Testusername',
      type: 'private',
    },
  };
}

function messageUpdate(fields: Record<string, unknown>) {
  return { update_id: 10000, message: { date: 1441645532, message_id: 1365, ...person(), ...fields } };
}

function parse(body: unknown) {
  return adapter.parse(webhookRequest(body), account);
}

function sendContext(files: Record<string, Buffer> = {}): SendContext {
  return {
    chatId: String(chatId),
    messageId: randomBytes(8).toString('hex'),
    openFile: async (media) => Readable.from([files[media.fileId] ?? Buffer.alloc(0)]),
    fileUrl: (media) => `http://files.invalid/${media.fileId}`,
  };
}

function media(kind: OutboundMedia['kind'], size: number): OutboundMedia {
  return { fileId: randomBytes(6).toString('hex'), kind, mimeType: 'image/jpeg', fileName: 'plan.jpg', size };
}

describe('telegram adapter: schemas', () => {
  it('should accept a BotFather token and a webhook secret', () => {
    const secrets = { token: `123456789:${'A'.repeat(35)}`, webhookSecret: 'abc_DEF-123' };
    expect(telegramSecretsSchema.parse(secrets)).toEqual(secrets);
    expect(telegramSettingsSchema.parse({})).toEqual({ mode: 'webhook' });
  });

  it('should refuse a malformed token and a webhook secret with characters Telegram rejects', () => {
    const token = telegramSecretsSchema.safeParse({ token: 'not-a-token', webhookSecret: 'ok' });
    expect(token.error?.issues[0]?.message).toMatch(/bot token looks like/);
    const secret = telegramSecretsSchema.safeParse({ token: `1:${'a'.repeat(30)}`, webhookSecret: 'has space' });
    expect(secret.error?.issues[0]?.path).toEqual(['webhookSecret']);
  });
});

describe('telegram adapter: verify', () => {
  it('should accept the account secret token', () => {
    expect(() => adapter.verify(webhookRequest({}), account)).not.toThrow();
    expect(() => adapter.verify(webhookRequest({}, [account.secrets.webhookSecret]), account)).not.toThrow();
  });

  it('should refuse a wrong, a missing or a repeated secret token', () => {
    expect(() => adapter.verify(webhookRequest({}, `${account.secrets.webhookSecret}x`), account)).toThrow(
      WebhookAuthError,
    );
    expect(() => adapter.verify(webhookRequest({}, 'short'), account)).toThrow(WebhookAuthError);
    expect(() => adapter.verify(webhookRequest({}, null), account)).toThrow(WebhookAuthError);
    const twice = [account.secrets.webhookSecret, account.secrets.webhookSecret];
    expect(() => adapter.verify(webhookRequest({}, twice), account)).toThrow(WebhookAuthError);
  });
});

describe('telegram adapter: parse', () => {
  it('should read a text message', () => {
    expect(parse(messageUpdate({ text: 'Hello, how much is a house?' }))).toEqual([
      {
        type: 'message',
        externalMessageId: `${chatId}:1365`,
        from: {
          externalId: String(chatId),
          name: 'Test Firstname Test Lastname',
          username: 'Testusername',
          language: 'en',
        },
        chatId: String(chatId),
        sentAt: new Date(1441645532 * 1000),
        content: { kind: 'text', text: 'Hello, how much is a house?' },
      },
    ]);
  });

  it('should read a photo as its largest size with the caption', () => {
    const photo = [
      { file_id: 'small', file_unique_id: 'u1', width: 90, height: 51, file_size: 1000 },
      { file_id: 'large', file_unique_id: 'u3', width: 1280, height: 720, file_size: 90000 },
      { file_id: 'medium', file_unique_id: 'u2', width: 320, height: 180, file_size: 12000 },
    ];
    const [event] = parse(messageUpdate({ photo, caption: 'My plot' }));
    expect(event).toMatchObject({
      content: {
        kind: 'media',
        media: { kind: 'image', fileRef: 'large', mimeType: 'image/jpeg', size: 90000 },
        caption: 'My plot',
      },
    });
  });

  it('should read a document, a voice message and a video note', () => {
    const document = {
      file_id: 'doc1',
      file_unique_id: 'd1',
      file_name: 'plan.pdf',
      mime_type: 'application/pdf',
      file_size: 2048,
    };
    expect(parse(messageUpdate({ document }))[0]).toMatchObject({
      content: {
        kind: 'media',
        media: { kind: 'document', fileRef: 'doc1', fileName: 'plan.pdf', mimeType: 'application/pdf', size: 2048 },
      },
    });
    const voice = { file_id: 'voice1', file_unique_id: 'v1', duration: 3, mime_type: 'audio/ogg', file_size: 4096 };
    expect(parse(messageUpdate({ voice }))[0]).toMatchObject({
      content: { kind: 'media', media: { kind: 'voice', fileRef: 'voice1', mimeType: 'audio/ogg', size: 4096 } },
    });
    const videoNote = { file_id: 'round1', file_unique_id: 'r1', length: 240, duration: 5 };
    expect(parse(messageUpdate({ video_note: videoNote }))[0]).toMatchObject({
      content: { kind: 'media', media: { kind: 'video', fileRef: 'round1', mimeType: 'video/mp4' } },
    });
  });

  it('should read a location and a venue', () => {
    expect(parse(messageUpdate({ location: { latitude: 55.7558, longitude: 37.6173 } }))[0]).toMatchObject({
      content: { kind: 'location', latitude: 55.7558, longitude: 37.6173 },
    });
    const location = { latitude: 59.9343, longitude: 30.3351 };
    const venue = { location, title: 'Office', address: 'Nevsky 1' };
    expect(parse(messageUpdate({ location, venue }))[0]).toMatchObject({
      content: { kind: 'location', ...location, name: 'Office', address: 'Nevsky 1' },
    });
  });

  it('should read a shared contact', () => {
    const contact = { phone_number: '+79001234567', first_name: 'Ivan', last_name: 'Petrov', user_id: 42 };
    expect(parse(messageUpdate({ contact }))[0]).toMatchObject({
      content: { kind: 'contact', name: 'Ivan Petrov', phone: '+79001234567', externalId: '42' },
    });
  });

  it('should read a /start deep link as /start with its payload as the source', () => {
    const [event] = parse(
      messageUpdate({ text: '/start src_site', entities: [{ offset: 0, length: 6, type: 'bot_command' }] }),
    );
    expect(event).toMatchObject({ content: { kind: 'text', text: '/start' }, source: { payload: 'src_site' } });
    const [plain] = parse(messageUpdate({ text: '/start' }));
    expect(plain).toMatchObject({ content: { kind: 'text', text: '/start' } });
    expect(plain).not.toHaveProperty('source');
  });

  it('should read a button tap with the caption of the tapped button', () => {
    const { from, chat } = person();
    const update = {
      update_id: 10001,
      callback_query: {
        id: '4382bfdwdsb323b2d9',
        from,
        chat_instance: '-8675309',
        data: 'budget_high',
        message: {
          message_id: 77,
          date: 1441645532,
          chat,
          text: 'What is your budget?',
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Up to 5M', callback_data: 'budget_low' }],
              [{ text: 'Over 5M', callback_data: 'budget_high' }],
            ],
          },
        },
      },
    };
    expect(parse(update)).toEqual([
      expect.objectContaining({
        type: 'message',
        externalMessageId: 'callback:4382bfdwdsb323b2d9',
        chatId: String(chatId),
        content: { kind: 'button', payload: 'budget_high', text: 'Over 5M' },
        replyToExternalId: `${chatId}:77`,
      }),
    ]);
  });

  it('should read a kicked my_chat_member in a private chat as the person blocking the bot', () => {
    const { from, chat } = person();
    const update = {
      update_id: 10002,
      my_chat_member: {
        chat,
        from,
        date: 1441645600,
        old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'Bot' } },
        new_chat_member: { status: 'kicked', user: { id: 1, is_bot: true, first_name: 'Bot' }, until_date: 0 },
      },
    };
    expect(parse(update)).toEqual([
      {
        type: 'blocked',
        from: {
          externalId: String(chatId),
          name: 'Test Firstname Test Lastname',
          username: 'Testusername',
          language: 'en',
        },
        at: new Date(1441645600 * 1000),
      },
    ]);
  });

  it('should read a member my_chat_member in a private chat as the person unblocking the bot, and ignore groups', () => {
    const { from, chat } = person();
    const bot = { id: 1, is_bot: true, first_name: 'Bot' };
    const memberUpdate = (inChat: Record<string, unknown>, status: string) => ({
      update_id: 10005,
      my_chat_member: {
        chat: inChat,
        from,
        date: 1441645700,
        old_chat_member: { status: 'kicked', user: bot, until_date: 0 },
        new_chat_member: { status, user: bot },
      },
    });
    expect(parse(memberUpdate(chat, 'member'))).toEqual([
      {
        type: 'unblocked',
        from: expect.objectContaining({ externalId: String(chatId) }),
        at: new Date(1441645700 * 1000),
      },
    ]);
    const group = { id: -100123, title: 'Sales', type: 'supergroup' };
    expect(parse(memberUpdate(group, 'member'))).toEqual([]);
    expect(parse(memberUpdate(group, 'kicked'))).toEqual([]);
  });

  it('should ignore an edited message and a channel post', () => {
    const edited = messageUpdate({ text: 'Edited', edit_date: 1441646000 });
    expect(parse({ update_id: 10003, edited_message: edited.message })).toEqual([]);
    expect(
      parse({ update_id: 10004, channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel' } } }),
    ).toEqual([]);
    expect(parse(messageUpdate({ dice: { emoji: '🎲', value: 3 } }))).toEqual([]);
  });

  it('should refuse bodies that are not Telegram updates with MalformedPayloadError', () => {
    const bodies = [
      'not json {',
      '[]',
      JSON.stringify({ update_id: '10000', message: { message_id: 1 } }),
      JSON.stringify({ update_id: 10000, message: { message_id: 1, date: 1441645532, text: 'no chat' } }),
      JSON.stringify({
        update_id: 10000,
        message: { message_id: 1, date: 1441645532, chat: { id: 1, type: 'private' }, text: 5 },
      }),
    ];
    for (const body of bodies) expect(() => parse(body)).toThrow(MalformedPayloadError);
  });
});

describe('telegram adapter: send', () => {
  it('should send a text message and return chat id and message id', async () => {
    const result = await adapter.send({ text: 'Hello!' }, sendContext(), account);
    expect(result).toEqual({ externalMessageId: `${chatId}:1` });
    expect(standIn.sent()).toMatchObject([{ method: 'sendmessage', chatId: String(chatId), text: 'Hello!' }]);
    const second = await adapter.send({ text: 'Again' }, sendContext(), account);
    expect(second).toEqual({ externalMessageId: `${chatId}:2` });
  });

  it('should send buttons as an inline keyboard, one per row, answering the tap afterwards', async () => {
    const buttons = [
      { id: 'house', text: 'A house' },
      { id: 'cottage', text: 'A cottage' },
      { id: 'land', text: 'Just land' },
    ];
    await adapter.send({ text: 'What are you looking for?', buttons }, sendContext(), account);
    expect(standIn.sent()[0]?.buttons).toEqual(['A house', 'A cottage', 'Just land']);

    const { from, chat } = person();
    const tap = {
      update_id: 2,
      callback_query: {
        id: 'cb-1',
        from,
        chat_instance: '1',
        data: 'cottage',
        message: { message_id: 1, date: 1, chat },
      },
    };
    const events = parse(tap);
    await adapter.afterIngest?.(events, account);
    expect(standIn.answeredCallbacks()).toEqual(['cb-1']);
  });

  it('should refuse a button id longer than the 64 bytes of callback_data', async () => {
    const buttons = [{ id: 'я'.repeat(33), text: 'Too long' }];
    const sending = adapter.send({ text: 'Pick', buttons }, sendContext(), account);
    await expect(sending).rejects.toMatchObject({ name: 'SendError', kind: 'permanent' });
    expect(standIn.sent()).toEqual([]);
  });

  it('should upload a photo from a stream with the text as its caption', async () => {
    const file = media('image', 5);
    const result = await adapter.send(
      { text: 'The plan', media: file },
      sendContext({ [file.fileId]: Buffer.from('JPEG!') }),
      account,
    );
    expect(result).toEqual({ externalMessageId: `${chatId}:1` });
    expect(standIn.sent()).toMatchObject([
      { method: 'sendphoto', mediaKind: 'image', caption: 'The plan', fileName: 'plan.jpg', fileBytes: 5 },
    ]);
  });

  it('should send a text too long for a caption after the file, with the buttons on the text', async () => {
    const file = media('document', 3);
    const text = 'x'.repeat(1500);
    const buttons = [{ id: 'ok', text: 'OK' }];
    const context = sendContext({ [file.fileId]: Buffer.from('PDF') });
    const result = await adapter.send({ text, media: file, buttons }, context, account);
    expect(result).toEqual({ externalMessageId: `${chatId}:2` });
    const [document, message] = standIn.sent();
    expect(document).toMatchObject({ method: 'senddocument', mediaKind: 'document' });
    expect(document?.buttons).toBeUndefined();
    expect(message).toMatchObject({ method: 'sendmessage', text, buttons: ['OK'] });
  });

  it('should report flood control as rate-limited with retry_after in milliseconds', async () => {
    standIn.failNextWithRateLimit(3);
    const error = await adapter.send({ text: 'Hi' }, sendContext(), account).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ kind: 'rate-limited', providerCode: '429', retryAfterMs: 3000, retryable: true });
  });

  it('should report a blocked bot and an unknown chat as unreachable', async () => {
    standIn.failNextWithBlocked();
    await expect(adapter.send({ text: 'Hi' }, sendContext(), account)).rejects.toMatchObject({
      kind: 'unreachable',
      providerCode: '403',
      message: 'Forbidden: bot was blocked by the user',
    });
    const unknownChat = { ...sendContext(), chatId: '@nobody_here' };
    await expect(adapter.send({ text: 'Hi' }, unknownChat, account)).rejects.toMatchObject({ kind: 'unreachable' });
  });

  it('should report a server error and an unreachable server as transient', async () => {
    standIn.failNextWithServerError();
    await expect(adapter.send({ text: 'Hi' }, sendContext(), account)).rejects.toMatchObject({
      kind: 'transient',
      providerCode: '500',
    });
    await standIn.close();
    const offline = createTelegramAdapter({ apiRoot: standIn.apiRoot });
    await expect(offline.send({ text: 'Hi' }, sendContext(), account)).rejects.toMatchObject({ kind: 'transient' });
    standIn = await startTelegramBotApi();
  });
});

describe('telegram adapter: downloadMedia', () => {
  it('should download the bytes of an inbound file with its type and size', async () => {
    const bytes = randomBytes(3000);
    standIn.addFile('voice-file-id', bytes, 'audio/ogg');
    const download = await adapter.downloadMedia('voice-file-id', account);
    const chunks: Buffer[] = [];
    for await (const chunk of download.body) chunks.push(Buffer.from(chunk));
    expect(Buffer.concat(chunks).equals(bytes)).toBe(true);
    expect(download).toMatchObject({ mimeType: 'audio/ogg', size: 3000 });
  });

  it('should fail with a named error for an unknown file', async () => {
    await expect(adapter.downloadMedia('no-such-file', account)).rejects.toMatchObject({
      name: 'TelegramDownloadError',
      retryable: false,
    });
  });
});

describe('telegram polling', () => {
  it('should hand updates over in order and confirm them only once handled', async () => {
    await registerTelegramWebhook(account, standIn.apiRoot, 'https://example.com/webhooks/telegram');
    expect(standIn.webhook()).toMatchObject({
      url: 'https://example.com/webhooks/telegram',
      secretToken: account.secrets.webhookSecret,
    });

    const received: string[] = [];
    const polling = startTelegramPolling({
      account,
      apiRoot: standIn.apiRoot,
      onUpdate: async (request) => {
        adapter.verify(request, account);
        const [event] = adapter.parse(request, account);
        if (event?.type === 'message' && event.content.kind === 'text') received.push(event.content.text);
      },
    });
    standIn.pushUpdate(messageUpdate({ message_id: 1, text: 'first' }));
    standIn.pushUpdate(messageUpdate({ message_id: 2, text: 'second' }));
    await expect.poll(() => received).toEqual(['first', 'second']);
    expect(standIn.webhook().url).toBe('');
    await expect.poll(() => standIn.pendingUpdates()).toBe(0);

    const started = Date.now();
    await polling.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('should deliver an update again when its handler failed', async () => {
    const attempts: number[] = [];
    const errors: unknown[] = [];
    const polling = startTelegramPolling({
      account,
      apiRoot: standIn.apiRoot,
      onUpdate: async (request) => {
        attempts.push(Date.now());
        if (attempts.length === 1) throw new Error('store down');
        expect(JSON.parse(request.rawBody.toString())).toMatchObject({ message: { text: 'keep me' } });
      },
      onError: (error) => errors.push(error),
    });
    standIn.pushUpdate(messageUpdate({ text: 'keep me' }));
    await expect.poll(() => attempts.length, { timeout: 5000 }).toBe(2);
    expect(errors).toHaveLength(1);
    await expect.poll(() => standIn.pendingUpdates()).toBe(0);
    await polling.stop();
  });
});
