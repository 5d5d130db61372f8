import { randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, describe, expect, it } from 'vitest';
import type { SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { createVkAdapter, type VkAccount } from '../../bot/vk/vk-adapter.js';
import { toVkSendError } from '../../bot/vk/to-vk-send-error.js';
import { VkApiError } from '../../bot/vk/vk-api-error.js';
import { vkSettingsSchema } from '../../bot/vk/vk-schemas.js';
import {
  startVkApi,
  vkAttachment,
  vkCallbackRequest,
  vkEvent,
  vkMessage,
  vkMessageNew,
  type VkApiStandIn,
} from '../stand-ins/vk-api.js';

/**
 * The VK adapter on its own: Callback API events in the shapes VK documents
 * (https://dev.vk.com/api/community-events/json-schema) and sends against the VK API stand-in.
 */

const running: VkApiStandIn[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((standIn) => standIn.close()));
});

async function start(): Promise<{ account: VkAccount; vk: VkApiStandIn; adapter: ReturnType<typeof createVkAdapter> }> {
  const groupId = randomInt(1, 10 ** 9);
  const accessToken = `vk1.a.${randomBytes(32).toString('base64url')}`;
  const vk = await startVkApi({ groupId, accessToken });
  running.push(vk);
  const account: VkAccount = {
    id: randomBytes(12).toString('hex'),
    type: 'vk',
    name: 'Сообщество',
    settings: { groupId, confirmationCode: 'a1b2c3d4' },
    secrets: { accessToken, secretKey: randomBytes(12).toString('hex') },
  };
  return { account, vk, adapter: createVkAdapter({ apiRoot: vk.apiRoot }) };
}

function context(chatId: string, messageId = randomBytes(12).toString('hex')): SendContext {
  return {
    chatId,
    messageId,
    openFile: async () => Readable.from([Buffer.from('%PDF-1.4 смета\n')]),
    fileUrl: () => 'https://files.invalid/x',
  };
}

function newMessage(account: VkAccount, fields: Parameters<typeof vkMessage>[0]) {
  return vkCallbackRequest(vkMessageNew(account.settings.groupId, account.secrets.secretKey, vkMessage(fields)));
}

describe('vk adapter', () => {
  it('should take a community id as a number, club…, public… or -…', () => {
    for (const groupId of [123456, '123456', 'club123456', 'public123456', '-123456', ' 123456 ']) {
      expect(vkSettingsSchema.parse({ groupId, confirmationCode: 'abc' }).groupId).toBe(123456);
    }
    for (const groupId of ['vk.com/club1', 'abc', '0', 0, -5]) {
      expect(vkSettingsSchema.safeParse({ groupId, confirmationCode: 'abc' }).success).toBe(false);
    }
  });

  it('should answer only a confirmation event with the confirmation code', async () => {
    const { account, adapter } = await start();
    const { groupId } = account.settings;
    const confirm = (event: unknown) => adapter.handshake?.(vkCallbackRequest(event), account);
    expect(confirm(vkEvent(groupId, account.secrets.secretKey, 'confirmation'))).toBe('a1b2c3d4');
    expect(confirm(vkMessageNew(groupId, account.secrets.secretKey, vkMessage({ id: 1, fromId: 2, text: 'hi' })))).toBe(
      undefined,
    );
    expect(
      adapter.handshake?.(
        { ...vkCallbackRequest(vkEvent(groupId, undefined, 'confirmation')), method: 'GET' },
        account,
      ),
    ).toBe(undefined);
    expect(() => confirm(vkEvent(groupId + 1, account.secrets.secretKey, 'confirmation'))).toThrow(WebhookAuthError);
    expect(() => confirm(vkEvent(groupId, 'wrong', 'confirmation'))).toThrow(WebhookAuthError);
  });

  it('should turn text, ref links and the interface language into one message event', async () => {
    const { account, adapter } = await start();
    const request = newMessage(account, {
      id: 77,
      fromId: 1234,
      text: 'Привет',
      ref: 'spring_ads',
      ref_source: 'post',
    });
    adapter.verify(request, account);
    expect(adapter.parse(request, account)).toEqual([
      {
        type: 'message',
        externalMessageId: '77',
        from: { externalId: '1234', language: 'ru' },
        chatId: '1234',
        sentAt: expect.any(Date),
        content: { kind: 'text', text: 'Привет' },
        source: { payload: 'spring_ads' },
      },
    ]);
  });

  it('should split a message with text and several attachments into one event per part, ids stable', async () => {
    const { account, adapter } = await start();
    const photo = vkAttachment.photo('https://sun9-1.userapi.com/photo.jpg');
    const doc = vkAttachment.doc('https://vk.com/doc1_2?hash=x', 'Смета.pdf', 2048);
    const voice = vkAttachment.audioMessage('https://psv4.vkuseraudio.net/voice.ogg');
    const video = vkAttachment.video(-1, 456239017, 'Обзор дома');
    const request = newMessage(account, {
      id: 90,
      fromId: 55,
      text: 'Вот что есть',
      attachments: [photo, doc, voice, video, vkAttachment.wall()],
      geo: {
        type: 'point',
        coordinates: { latitude: 55.75, longitude: 37.62 },
        place: { title: 'Москва', city: 'Москва' },
      },
    });
    const events = adapter.parse(request, account);
    expect(
      events.map((event) => (event.type === 'message' ? [event.externalMessageId, event.content] : event)),
    ).toEqual([
      [
        '90',
        {
          kind: 'media',
          caption: 'Вот что есть',
          // The largest size, not the first one listed.
          media: { kind: 'image', fileRef: 'https://sun9-1.userapi.com/photo.jpg', mimeType: 'image/jpeg' },
        },
      ],
      [
        '90/1',
        {
          kind: 'media',
          media: { kind: 'document', fileRef: 'https://vk.com/doc1_2?hash=x', fileName: 'Смета.pdf', size: 2048 },
        },
      ],
      [
        '90/2',
        {
          kind: 'media',
          media: { kind: 'voice', fileRef: 'https://psv4.vkuseraudio.net/voice.ogg', mimeType: 'audio/ogg' },
        },
      ],
      ['90/3', { kind: 'text', text: '[video] Обзор дома https://vk.com/video-1_456239017' }],
      ['90/4', { kind: 'text', text: '[unsupported message: wall]' }],
      ['90/5', { kind: 'location', latitude: 55.75, longitude: 37.62, name: 'Москва', address: 'Москва' }],
    ]);
    expect(adapter.parse(request, account).map((event) => event.type === 'message' && event.externalMessageId)).toEqual(
      events.map((event) => event.type === 'message' && event.externalMessageId),
    );
  });

  it('should key a group-chat message by its conversation number and skip the community’s own', async () => {
    const { account, adapter } = await start();
    const peerId = 2_000_000_007;
    const inChat = newMessage(account, {
      id: 0,
      fromId: 31,
      peerId,
      text: 'Всем привет',
      conversation_message_id: 412,
    });
    expect(adapter.parse(inChat, account)).toMatchObject([
      { externalMessageId: `${peerId}_412`, chatId: String(peerId), from: { externalId: '31' } },
    ]);
    const own = newMessage(account, {
      id: 0,
      fromId: -account.settings.groupId,
      peerId,
      text: 'Мы',
      conversation_message_id: 413,
    });
    expect(adapter.parse(own, account)).toEqual([]);
  });

  it('should read a tap on one of our buttons as a button reply, and VK’s Start button as text', async () => {
    const { account, adapter } = await start();
    const tap = newMessage(account, { id: 3, fromId: 9, text: 'Позже', payload: '{"button":"later"}' });
    expect(adapter.parse(tap, account)).toMatchObject([
      { content: { kind: 'button', payload: 'later', text: 'Позже' } },
    ]);
    const startButton = newMessage(account, { id: 4, fromId: 9, text: 'Начать', payload: '{"command":"start"}' });
    expect(adapter.parse(startButton, account)).toMatchObject([{ content: { kind: 'text', text: 'Начать' } }]);
  });

  it('should turn message_deny into a blocked event, message_allow into an unblocked one, and ignore other events', async () => {
    const { account, adapter } = await start();
    const { groupId } = account.settings;
    const event = (type: string, object: unknown) =>
      adapter.parse(vkCallbackRequest(vkEvent(groupId, account.secrets.secretKey, type, object)), account);
    expect(event('message_deny', { user_id: 42 })).toEqual([
      { type: 'blocked', from: { externalId: '42' }, at: expect.any(Date) },
    ]);
    expect(event('message_allow', { user_id: 42, key: 'k' })).toEqual([
      { type: 'unblocked', from: { externalId: '42' }, at: expect.any(Date) },
    ]);
    expect(event('message_reply', vkMessage({ id: 5, fromId: -groupId, peerId: 42, text: 'Ответ' }))).toEqual([]);
    expect(event('wall_post_new', { id: 1 })).toEqual([]);
    expect(() => event('message_new', { message: { id: 1 } })).toThrow(MalformedPayloadError);
  });

  it('should lay out up to ten buttons as an inline keyboard with our ids in the payloads', async () => {
    const { account, vk, adapter } = await start();
    const six = Array.from({ length: 6 }, (_, index) => ({ id: `b${index}`, text: `Вариант ${index}` }));
    await adapter.send({ text: 'Выберите', buttons: six }, context('42'), account);
    const ten = Array.from({ length: 10 }, (_, index) => ({ id: `b${index}`, text: `Вариант ${index}` }));
    await adapter.send({ text: 'Выберите', buttons: ten }, context('42'), account);
    const [first, second] = vk.sent();
    expect(first?.keyboard).toMatchObject({ inline: true, buttons: six.map(() => [expect.anything()]) });
    expect((second?.keyboard as { buttons: unknown[][] }).buttons.map((row) => row.length)).toEqual([2, 2, 2, 2, 2]);
    expect(first?.keyboard).toMatchObject({
      buttons: [
        [{ action: { type: 'text', label: 'Вариант 0', payload: '{"button":"b0"}' } }],
        ...Array(5).fill(expect.anything()),
      ],
    });

    const longId = { id: 'x'.repeat(250), text: 'Длинный' };
    const error = await adapter
      .send({ text: 'Нет', buttons: [longId] }, context('42'), account)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).kind).toBe('permanent');
    expect(vk.sent()).toHaveLength(2);
  });

  it('should not send a message twice when it is sent again with the same id', async () => {
    const { account, vk, adapter } = await start();
    const same = context('42', 'message-1');
    const first = await adapter.send({ text: 'Один раз' }, same, account);
    const again = await adapter.send({ text: 'Один раз' }, same, account);
    expect(again.externalMessageId).toBe(first.externalMessageId);
    expect(vk.sent()).toHaveLength(1);
    await adapter.send({ text: 'Один раз' }, context('42', 'message-2'), account);
    expect(vk.sent()).toHaveLength(2);
  });

  it('should upload a JPEG as a message photo and an OGG voice note as a voice message', async () => {
    const { account, vk, adapter } = await start();
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]);
    const media = {
      fileId: 'f1',
      kind: 'image' as const,
      mimeType: 'image/jpeg',
      fileName: 'дом.jpg',
      size: jpeg.length,
    };
    await adapter.send(
      { text: 'Фото', media },
      { ...context('42'), openFile: async () => Readable.from([jpeg]) },
      account,
    );
    const voice = { fileId: 'f2', kind: 'voice' as const, mimeType: 'audio/ogg', fileName: 'voice.ogg', size: 3 };
    await adapter.send({ media: voice }, context('42'), account);
    expect(vk.uploads().map((upload) => upload.kind)).toEqual(['photo', 'audio_message']);
    expect(vk.sent()).toMatchObject([
      { text: 'Фото', mediaKind: 'photo', attachment: expect.stringMatching(/^photo-\d+_\d+_[0-9a-f]+$/) },
      { mediaKind: 'audio_message', attachment: expect.stringMatching(/^doc-\d+_\d+/) },
    ]);
  });

  it('should classify VK’s error codes for the outbound worker', () => {
    const kind = (vkCode?: number, httpStatus = 200) => {
      const error = toVkSendError(new VkApiError('x', { vkCode, httpStatus }));
      return [error.kind, error.providerCode, error.retryAfterMs];
    };
    expect(kind(6)).toEqual(['rate-limited', '6', 1000]);
    expect(kind(29)).toEqual(['rate-limited', '29', 3_600_000]);
    expect(kind(9)).toEqual(['transient', '9', undefined]);
    expect(kind(10)).toEqual(['transient', '10', undefined]);
    for (const code of [900, 901, 902, 917, 936, 945]) expect(kind(code)[0]).toBe('unreachable');
    for (const code of [5, 7, 15, 100, 911, 912, 914]) expect(kind(code)[0]).toBe('permanent');
    expect(kind(undefined, 502)).toEqual(['transient', '502', undefined]);
    expect(kind(undefined, 429)).toEqual(['rate-limited', '429', 1000]);
    expect(toVkSendError(new VkApiError('no answer')).kind).toBe('transient');
  });

  it('should download a file by its link, following redirects, and refuse plain HTTP elsewhere', async () => {
    const { account, vk, adapter } = await start();
    const bytes = randomBytes(64);
    const url = vk.addFile(bytes, 'application/pdf', { viaRedirect: true });
    const file = await adapter.downloadMedia(url, account);
    expect(file.mimeType).toBe('application/pdf');
    expect((await buffer(file.body)).equals(bytes)).toBe(true);

    const missing = await adapter
      .downloadMedia(vk.addFile(bytes, 'application/pdf').replace(/files\/\w+$/, 'files/gone'), account)
      .catch((e: unknown) => e);
    expect(missing).toMatchObject({ name: 'VkDownloadError', retryable: false });
    const elsewhere = await adapter
      .downloadMedia('http://169.254.169.254/latest/meta-data', account)
      .catch((e: unknown) => e);
    expect(elsewhere).toMatchObject({ name: 'VkDownloadError', retryable: false });
  });
});
