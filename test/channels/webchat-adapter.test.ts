import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAccount, InboundRequest, SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { MEDIA_KINDS, inboundEventSchema } from '../../bot/channels/channel-events.js';
import { WIDGET_MEDIA_KINDS } from '../../bot/webchat/widget/src/server-payloads.js';
import { visitorMessageSchema } from '../../bot/webchat/visitor-message.js';
import { createWebchatAdapter } from '../../bot/webchat/webchat-adapter.js';
import { webchatSettingsSchema } from '../../bot/webchat/webchat-settings.js';
import type { ProviderStandIn } from './adapter-fixture.js';
import { WEBCHAT_SITE, webchatFixture } from './fixtures/webchat-fixture.js';

const { adapter } = webchatFixture;
const VISITOR = 'v_Qm9yaXNfdmlzaXRvcl8x';
const started: ProviderStandIn[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((standIn) => standIn.close()));
});

async function start(): Promise<{ account: ChannelAccount; standIn: ProviderStandIn }> {
  const run = await webchatFixture.start();
  started.push(run.standIn);
  return run;
}

/** What the visitor namespace hands to ingest for one socket `message` event. */
function socketMessage(
  payload: unknown,
  headers: InboundRequest['headers'] = { origin: WEBCHAT_SITE },
): InboundRequest {
  return { method: 'SOCKET', headers, query: { visitorId: VISITOR }, rawBody: Buffer.from(JSON.stringify(payload)) };
}

function context(messageId = 'msg_1'): SendContext {
  return {
    chatId: VISITOR,
    messageId,
    openFile: async () => Readable.from([Buffer.from('x')]),
    fileUrl: (media) => `https://inbox.example/files/${media.fileId}`,
  };
}

describe('webchat settings', () => {
  it('should normalise allowed sites to their origins and drop repeats', () => {
    const settings = webchatSettingsSchema.parse({
      allowedOrigins: ['https://Shop.Example/catalog?x=1', 'https://shop.example', 'http://localhost:5173/'],
    });
    expect(settings.allowedOrigins).toEqual(['https://shop.example', 'http://localhost:5173']);
  });

  it('should refuse an empty list, a non-address, too many sites and a bad color with clear messages', () => {
    const messages = (input: unknown) => {
      const result = webchatSettingsSchema.safeParse(input);
      return result.success ? [] : result.error.issues.map((issue) => issue.message);
    };
    expect(messages({ allowedOrigins: [] })).toEqual(['Give at least one site address the widget runs on']);
    expect(messages({ allowedOrigins: ['shop.example'] })).toEqual([
      'Not a site address (like https://shop.example): shop.example',
    ]);
    expect(messages({ allowedOrigins: ['ftp://shop.example'] })[0]).toMatch(/^Not a site address/);
    const many = Array.from({ length: 51 }, (_, index) => `https://site${index}.example`);
    expect(messages({ allowedOrigins: many })).toEqual(['At most 50 site addresses']);
    expect(messages({ allowedOrigins: [WEBCHAT_SITE], color: 'green' })).toEqual(['A color is written like #2f855a']);
  });

  it('should keep the widget look and refuse unknown fields', () => {
    const settings = webchatSettingsSchema.parse({
      allowedOrigins: [WEBCHAT_SITE],
      title: 'ЭкоДом',
      color: '#2f855a',
      greeting: { ru: 'Здравствуйте!', en: 'Hello!' },
    });
    expect(settings).toMatchObject({ title: 'ЭкоДом', color: '#2f855a', greeting: { ru: 'Здравствуйте!' } });
    expect(webchatSettingsSchema.safeParse({ allowedOrigins: [WEBCHAT_SITE], token: 'x' }).success).toBe(false);
  });
});

describe('webchat adapter', () => {
  it('should declare what the widget can show', () => {
    expect(adapter.capabilities).toMatchObject({
      maxButtons: 10,
      maxButtonTextLength: 60,
      maxTextLength: 10_000,
      media: true,
    });
    expect(adapter.capabilities.serviceWindowHours).toBeUndefined();
    expect(adapter.secretsSchema.safeParse({}).success).toBe(true);
    expect(adapter.secretsSchema.safeParse({ token: 'x' }).success).toBe(false);
  });

  it('should accept a message from an allowed site and refuse any other origin', async () => {
    const { account } = await start();
    expect(() => adapter.verify(socketMessage({ clientMessageId: 'client-0001', text: 'Hi' }), account)).not.toThrow();
    const strangers: InboundRequest['headers'][] = [
      { origin: 'https://elsewhere.example' },
      { origin: 'http://shop.example' },
      { origin: 'null' },
      { origin: [WEBCHAT_SITE, WEBCHAT_SITE] },
      {},
    ];
    for (const headers of strangers) {
      expect(() =>
        adapter.verify(socketMessage({ clientMessageId: 'client-0001', text: 'Hi' }, headers), account),
      ).toThrow(WebhookAuthError);
    }
  });

  it('should read a text message with an id that makes a resend the same message', async () => {
    const { account } = await start();
    const [event] = adapter.parse(
      socketMessage({ clientMessageId: 'client-0001', text: '  Сколько стоит дом 120 м²?  ' }),
      account,
    );
    expect(inboundEventSchema.parse(event)).toMatchObject({
      type: 'message',
      externalMessageId: `${VISITOR}:client-0001`,
      chatId: VISITOR,
      from: { externalId: VISITOR },
      content: { kind: 'text', text: 'Сколько стоит дом 120 м²?' },
    });
    expect(event?.type === 'message' && Math.abs(event.sentAt.getTime() - Date.now())).toBeLessThan(5000);
  });

  it('should read a button tap as the button id and caption', async () => {
    const { account } = await start();
    const [event] = adapter.parse(
      socketMessage({ clientMessageId: 'client-0002', button: { id: 'quote', text: 'Рассчитать' } }),
      account,
    );
    expect(event).toMatchObject({ content: { kind: 'button', payload: 'quote', text: 'Рассчитать' } });
  });

  it('should read an uploaded file as a kept file with its caption', async () => {
    const { account } = await start();
    const file = { fileId: '665f1c2ab3', kind: 'image', mimeType: 'image/png', fileName: 'plan.png', size: 2048 };
    const [event] = adapter.parse(
      socketMessage({ clientMessageId: 'client-0003', file, text: 'Вот план участка' }),
      account,
    );
    expect(inboundEventSchema.parse(event)).toMatchObject({
      content: {
        kind: 'media',
        caption: 'Вот план участка',
        media: { kind: 'image', fileRef: 'kept:665f1c2ab3', mimeType: 'image/png', fileName: 'plan.png', size: 2048 },
      },
    });
  });

  it('should carry the page and its campaign tags as the source', async () => {
    const { account } = await start();
    const page = {
      url: 'https://shop.example/doma/kedr-142?utm_source=yandex&utm_campaign=spring',
      referrer: 'https://ya.ru/',
      utm: { source: 'yandex', campaign: 'spring', medium: '' },
    };
    const [event] = adapter.parse(
      socketMessage({ clientMessageId: 'client-0004', text: 'Здравствуйте', page }),
      account,
    );
    expect(event).toMatchObject({ source: { url: page.url, utm: { source: 'yandex', campaign: 'spring' } } });
    expect(event?.type === 'message' && event.source?.utm).not.toHaveProperty('medium');
  });

  it('should refuse malformed payloads with MalformedPayloadError', async () => {
    const { account } = await start();
    const requests = [
      ...webchatFixture.malformed(account),
      socketMessage({ clientMessageId: 'short', text: 'Hi' }),
      socketMessage({ clientMessageId: 'client-0005', text: 'x'.repeat(10_001) }),
      socketMessage({
        clientMessageId: 'client-0005',
        button: { id: 'b', text: 'Yes' },
        file: { fileId: 'f', kind: 'image', mimeType: 'image/png', fileName: 'a.png', size: 1 },
      }),
    ];
    for (const request of requests) {
      expect(() => adapter.parse(request, account), request.rawBody.toString()).toThrow(MalformedPayloadError);
    }
  });

  it('should deliver a reply with buttons and a linked file to the visitor', async () => {
    const { account, standIn } = await start();
    const media = {
      fileId: 'f42',
      kind: 'document' as const,
      mimeType: 'application/pdf',
      fileName: 'Смета.pdf',
      size: 5120,
    };
    const result = await adapter.send(
      {
        text: 'Смета готова',
        media,
        buttons: [
          { id: 'call', text: 'Позвоните мне' },
          { id: 'visit', text: 'Хочу на экскурсию' },
        ],
      },
      context('msg_42'),
      account,
    );
    expect(result).toEqual({ externalMessageId: 'msg_42' });
    expect(standIn.sent()).toEqual([
      { chatId: VISITOR, text: 'Смета готова', buttons: ['Позвоните мне', 'Хочу на экскурсию'], mediaKind: 'document' },
    ]);
  });

  it('should hand the widget a message in the protocol shape', async () => {
    const received: unknown[] = [];
    const own = createWebchatAdapter({ deliver: async (_account, _visitor, message) => void received.push(message) });
    const { account } = await start();
    await own.send({ text: 'Здравствуйте!' }, context('msg_7'), {
      ...account,
      settings: webchatSettingsSchema.parse(account.settings),
      secrets: {},
    });
    expect(visitorMessageSchema.parse(received[0])).toMatchObject({
      id: 'msg_7',
      direction: 'out',
      text: 'Здравствуйте!',
    });
  });

  it('should classify delivery failures for the outbound worker', async () => {
    const { account, standIn } = await start();
    standIn.failNextWithRateLimit(3);
    await expect(adapter.send({ text: 'a' }, context(), account)).rejects.toMatchObject({
      kind: 'rate-limited',
      retryAfterMs: 3000,
    });
    standIn.failNextWithBlocked();
    await expect(adapter.send({ text: 'b' }, context(), account)).rejects.toMatchObject({ kind: 'unreachable' });
    standIn.failNextWithServerError();
    const failure = adapter.send({ text: 'c' }, context(), account);
    await expect(failure).rejects.toBeInstanceOf(SendError);
    await expect(failure).rejects.toMatchObject({ kind: 'transient', retryable: true });
    await adapter.send({ text: 'd' }, context(), account);
    expect(standIn.sent().map((sent) => sent.text)).toEqual(['d']);
  });

  it('should refuse to download: a visitor file is already kept', async () => {
    const { account } = await start();
    await expect(adapter.downloadMedia('kept:abc', account)).rejects.toThrow(/already kept/);
    await expect(adapter.downloadMedia('https://elsewhere.example/x.png', account)).rejects.toThrow(/no provider/);
  });

  it('should let the widget know the same media kinds as the channels', () => {
    expect([...WIDGET_MEDIA_KINDS]).toEqual([...MEDIA_KINDS]);
  });
});
