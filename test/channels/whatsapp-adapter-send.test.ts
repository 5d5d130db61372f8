import { randomBytes, randomInt } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelAccount, SendContext } from '../../bot/channels/channel-adapter.js';
import { SendError } from '../../bot/channels/channel-errors.js';
import type { OutboundMedia, OutboundMessage } from '../../bot/channels/channel-events.js';
import { WhatsappApiError } from '../../bot/whatsapp/whatsapp-api-error.js';
import { createWhatsappAdapter } from '../../bot/whatsapp/whatsapp-adapter.js';
import type { WhatsappSecrets, WhatsappSettings } from '../../bot/whatsapp/whatsapp-schemas.js';
import { startWhatsappGraphApi, type WhatsappGraphApi } from '../stand-ins/whatsapp-graph-api.js';

let graph: WhatsappGraphApi;
let account: ChannelAccount<WhatsappSettings, WhatsappSecrets>;
let adapter: ReturnType<typeof createWhatsappAdapter>;
let chatId: string;
/** What context.openFile hands out, by file id. */
let files: Map<string, Buffer>;

beforeEach(async () => {
  account = {
    id: randomBytes(12).toString('hex'),
    type: 'whatsapp',
    name: 'Sales line',
    settings: { phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)) },
    secrets: {
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    },
  };
  graph = await startWhatsappGraphApi({ ...account.settings, ...account.secrets });
  adapter = createWhatsappAdapter({ graphUrl: graph.graphUrl });
  chatId = `7${randomInt(10 ** 9, 10 ** 10)}`;
  files = new Map();
});

afterEach(async () => {
  await graph.close();
});

function context(): SendContext {
  return {
    chatId,
    messageId: randomBytes(12).toString('hex'),
    async openFile(media: OutboundMedia) {
      const bytes = files.get(media.fileId);
      if (!bytes) throw new Error(`No file ${media.fileId}`);
      return Readable.from([bytes]);
    },
    fileUrl: (media) => `https://files.invalid/${media.fileId}`,
  };
}

function keptFile(kind: OutboundMedia['kind'], mimeType: string, fileName: string): OutboundMedia {
  const bytes = randomBytes(2048);
  const fileId = randomBytes(8).toString('hex');
  files.set(fileId, bytes);
  return { fileId, kind, mimeType, fileName, size: bytes.length };
}

function send(message: OutboundMessage) {
  return adapter.send(message, context(), account);
}

async function sendError(message: OutboundMessage): Promise<SendError> {
  const error = await send(message).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof SendError)) throw new Error(`Expected a SendError, got ${String(error)}`);
  return error;
}

const choices = (count: number) =>
  Array.from({ length: count }, (_, index) => ({ id: `choice-${index + 1}`, text: `Choice number ${index + 1}` }));

describe('whatsapp adapter: send', () => {
  it('should send text without link previews and return the wamid', async () => {
    const result = await send({ text: 'Your order ships tomorrow: https://example.com/track' });
    const [record] = graph.sent();
    expect(result.externalMessageId).toBe(record?.externalMessageId);
    expect(result.externalMessageId).toMatch(/^wamid\./);
    expect(record?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: chatId,
      type: 'text',
      text: { body: 'Your order ships tomorrow: https://example.com/track', preview_url: false },
    });
    expect(record?.at).toBeGreaterThan(0);
  });

  it('should send up to 3 buttons as reply buttons, cutting titles to 20 characters', async () => {
    await send({
      text: 'Which plan?',
      buttons: [
        { id: 'plan-basic', text: 'Basic' },
        { id: 'plan-pro', text: 'Professional with priority support' },
      ],
    });
    const [record] = graph.sent();
    expect(record?.buttons).toEqual(['Basic', 'Professional with p…']);
    expect(record?.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'button',
        body: { text: 'Which plan?' },
        action: {
          buttons: [
            { type: 'reply', reply: { id: 'plan-basic', title: 'Basic' } },
            { type: 'reply', reply: { id: 'plan-pro', title: 'Professional with p…' } },
          ],
        },
      },
    });
  });

  it('should send 4 to 10 buttons as a list in one section', async () => {
    await send({
      text: 'Pick a time',
      buttons: [...choices(5), { id: 'late', text: 'Friday evening after work hours' }],
    });
    const [record] = graph.sent();
    expect(record?.buttons).toHaveLength(6);
    expect(record?.body).toMatchObject({
      type: 'interactive',
      interactive: {
        type: 'list',
        body: { text: 'Pick a time' },
        action: {
          button: 'Выбрать',
          sections: [
            {
              rows: [
                ...choices(5).map((choice) => ({ id: choice.id, title: choice.text })),
                { id: 'late', title: 'Friday evening after wo…', description: 'Friday evening after work hours' },
              ],
            },
          ],
        },
      },
    });
  });

  it('should refuse buttons without text and more than 10 buttons before calling Meta', async () => {
    const withoutText = await sendError({ media: keptFile('image', 'image/jpeg', 'a.jpg'), buttons: choices(2) });
    const tooMany = await sendError({ text: 'Pick one', buttons: choices(11) });
    expect(withoutText.kind).toBe('permanent');
    expect(tooMany.kind).toBe('permanent');
    expect(graph.sent()).toEqual([]);
    expect(graph.uploads()).toEqual([]);
  });

  it('should upload a document, then send it by media id with its file name and caption', async () => {
    const media = keptFile('document', 'application/pdf', 'invoice-42.pdf');
    await send({ text: 'Your invoice', media });
    const [upload] = graph.uploads();
    expect(upload?.bytes.equals(files.get(media.fileId) ?? Buffer.alloc(0))).toBe(true);
    expect(upload).toMatchObject({ mimeType: 'application/pdf', fileName: 'invoice-42.pdf' });
    const [record] = graph.sent();
    expect(record?.mediaKind).toBe('document');
    expect(record?.body).toMatchObject({
      type: 'document',
      document: { id: upload?.id, filename: 'invoice-42.pdf', caption: 'Your invoice' },
    });
  });

  it('should send a voice note as audio followed by its text, since audio takes no caption', async () => {
    const result = await send({ text: 'Listen to this', media: keptFile('voice', 'audio/ogg', 'note.ogg') });
    const [audio, text] = graph.sent();
    expect(audio?.body).toMatchObject({ type: 'audio', audio: { id: graph.uploads()[0]?.id, voice: true } });
    expect(audio?.body).not.toHaveProperty('audio.caption');
    expect(text?.text).toBe('Listen to this');
    expect(result.externalMessageId).toBe(text?.externalMessageId);
  });

  it('should put an image above reply buttons as the interactive header', async () => {
    await send({ text: 'Like it?', media: keptFile('image', 'image/png', 'shoe.png'), buttons: choices(2) });
    const [record] = graph.sent();
    expect(graph.sent()).toHaveLength(1);
    expect(record?.mediaKind).toBe('image');
    expect(record?.body).toMatchObject({
      type: 'interactive',
      interactive: { type: 'button', header: { type: 'image', image: { id: graph.uploads()[0]?.id } } },
    });
  });

  it('should send a template with its body parameters', async () => {
    await send({ template: { name: 'order_ready', language: 'ru', parameters: ['Anna', '#4521'] } });
    const [record] = graph.sent();
    expect(record?.template).toBe('order_ready');
    expect(record?.body).toMatchObject({
      type: 'template',
      template: {
        name: 'order_ready',
        language: { code: 'ru' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Anna' },
              { type: 'text', text: '#4521' },
            ],
          },
        ],
      },
    });
  });

  it('should send a template without parameters without components', async () => {
    await send({ template: { name: 'hello_world', language: 'en_US', parameters: [] } });
    expect(graph.sent()[0]?.body).not.toHaveProperty('template.components');
  });
});

describe('whatsapp adapter: send errors', () => {
  it('should classify 130429 as rate-limited, honouring Retry-After', async () => {
    graph.failNextWithRateLimit(7);
    const error = await sendError({ text: 'hi' });
    expect(error).toMatchObject({ kind: 'rate-limited', providerCode: '130429', retryAfterMs: 7_000 });
  });

  it('should fall back on a documented delay when a rate limit has no Retry-After', async () => {
    graph.failNextWith(130429, 400);
    expect(await sendError({ text: 'hi' })).toMatchObject({ kind: 'rate-limited', retryAfterMs: 1_000 });
    graph.failNextWith(131056, 400);
    expect(await sendError({ text: 'hi' })).toMatchObject({
      kind: 'rate-limited',
      providerCode: '131056',
      retryAfterMs: 6_000,
    });
  });

  it('should classify 131047 as window-closed', async () => {
    graph.failNextWith(131047, 400);
    expect(await sendError({ text: 'hi' })).toMatchObject({ kind: 'window-closed', providerCode: '131047' });
  });

  it('should classify 131026 as unreachable', async () => {
    graph.failNextWithBlocked();
    expect(await sendError({ text: 'hi' })).toMatchObject({ kind: 'unreachable', providerCode: '131026' });
  });

  it('should classify server errors, unknown 5xx and a dead connection as transient', async () => {
    graph.failNextWithServerError();
    expect(await sendError({ text: 'hi' })).toMatchObject({ kind: 'transient', providerCode: '131000' });
    graph.failNextWith(999_999, 503);
    expect(await sendError({ text: 'hi' })).toMatchObject({ kind: 'transient', providerCode: '999999' });
    await graph.close();
    const error = await sendError({ text: 'hi' });
    expect(error.kind).toBe('transient');
    expect(error.retryable).toBe(true);
    graph = await startWhatsappGraphApi({ ...account.settings, ...account.secrets });
  });

  it('should classify a rejected token (190) and template errors as permanent', async () => {
    const error = await adapter
      .send({ text: 'hi' }, context(), { ...account, secrets: { ...account.secrets, accessToken: 'EAAGexpired' } })
      .then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ kind: 'permanent', providerCode: '190' });
    graph.failNextWith(132001, 404);
    expect(await sendError({ template: { name: 'gone', language: 'ru', parameters: [] } })).toMatchObject({
      kind: 'permanent',
      providerCode: '132001',
    });
  });

  it('should refuse text over 4096 characters before calling Meta', async () => {
    const error = await sendError({ text: 'x'.repeat(4097) });
    expect(error.kind).toBe('permanent');
    expect(graph.sent()).toEqual([]);
  });
});

describe('whatsapp adapter: downloadMedia', () => {
  it('should fetch the file behind a media id with its type and size', async () => {
    const bytes = randomBytes(5000);
    const mediaId = String(randomInt(10 ** 13, 10 ** 14));
    graph.addMedia(mediaId, bytes, 'image/jpeg');
    const downloaded = await adapter.downloadMedia(mediaId, account);
    expect(downloaded.mimeType).toBe('image/jpeg');
    expect(downloaded.size).toBe(5000);
    expect((await buffer(downloaded.body)).equals(bytes)).toBe(true);
  });

  it('should throw WhatsappApiError for an unknown media id', async () => {
    await expect(adapter.downloadMedia('404404404', account)).rejects.toBeInstanceOf(WhatsappApiError);
  });
});

describe('whatsapp graph stand-in', () => {
  async function postRaw(body: unknown) {
    const response = await fetch(`${graph.graphUrl}/${account.settings.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.secrets.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  }

  it('should refuse bodies the Cloud API refuses, with a Graph error', async () => {
    const reply = (title: string) => ({ type: 'reply', reply: { id: title, title } });
    const interactive = (buttons: unknown[]) => ({
      messaging_product: 'whatsapp',
      to: chatId,
      type: 'interactive',
      interactive: { type: 'button', body: { text: 'Pick' }, action: { buttons } },
    });
    const fourButtons = await postRaw(interactive(['a', 'b', 'c', 'd'].map(reply)));
    const longTitle = await postRaw(interactive([reply('A title of twenty-one')]));
    const noProduct = await postRaw({ to: chatId, type: 'text', text: { body: 'hi' } });
    const noText = await postRaw({ messaging_product: 'whatsapp', to: chatId, type: 'text' });
    expect(fourButtons).toMatchObject({ status: 400, body: { error: { code: 131009, type: 'OAuthException' } } });
    expect(longTitle).toMatchObject({ status: 400, body: { error: { code: 131009 } } });
    expect(noProduct).toMatchObject({ status: 400, body: { error: { code: 100 } } });
    expect(noText).toMatchObject({ status: 400, body: { error: { code: 131008 } } });
    expect(graph.sent()).toEqual([]);
  });

  it('should count a held send only once its answer is written', async () => {
    const held = graph.holdNextSend();
    const sending = send({ text: 'held' });
    await held.arrived;
    expect(graph.sent()).toEqual([]);
    held.release();
    await sending;
    expect(graph.sent().map((record) => record.text)).toEqual(['held']);
  });

  it('should not count a held send whose client went away', async () => {
    const held = graph.holdNextSend();
    const abort = new AbortController();
    const request = fetch(`${graph.graphUrl}/${account.settings.phoneNumberId}/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${account.secrets.accessToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ messaging_product: 'whatsapp', to: chatId, type: 'text', text: { body: 'lost' } }),
      signal: abort.signal,
    }).catch(() => undefined);
    await held.arrived;
    abort.abort();
    await request;
    await held.gone;
    held.release();
    await send({ text: 'after' });
    expect(graph.sent().map((record) => record.text)).toEqual(['after']);
  });
});
