import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAccount, SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { inboundEventSchema, type InboundMessageEvent } from '../../bot/channels/channel-events.js';
import type { AdapterFixture, AsyncAdapterFixture, ProviderStandIn } from './adapter-fixture.js';
import { emailFixture } from './fixtures/email-fixture.js';
import { smsSmsruFixture } from './fixtures/sms-smsru-fixture.js';
import { smsTwilioFixture } from './fixtures/sms-twilio-fixture.js';
import { telegramFixture } from './fixtures/telegram-fixture.js';
import { vkFixture } from './fixtures/vk-fixture.js';
import { voiceTwilioFixture } from './fixtures/voice-twilio-fixture.js';
import { voiceZadarmaFixture } from './fixtures/voice-zadarma-fixture.js';
import { webchatFixture } from './fixtures/webchat-fixture.js';
import { whatsappFixture } from './fixtures/whatsapp-fixture.js';

/**
 * The rules every channel adapter keeps, whatever its provider: a channel is only added to the
 * registry once it passes this suite through its own fixture.
 */
const FIXTURES: (AdapterFixture | AsyncAdapterFixture)[] = [
  telegramFixture,
  whatsappFixture,
  webchatFixture,
  vkFixture,
  smsTwilioFixture,
  smsSmsruFixture,
  voiceTwilioFixture,
  voiceZadarmaFixture,
  emailFixture,
];

/** The latest message received in each chat: a reply answers it (e-mail's In-Reply-To). */
const receivedIn = new Map<string, InboundMessageEvent>();

function context(chatId: string, messageId = `m${Math.random().toString(36).slice(2)}`): SendContext {
  return {
    chatId,
    messageId,
    openFile: async () => Readable.from([Buffer.from('%PDF-1.4 conformance\n')]),
    fileUrl: (media) => `https://files.example/${media.fileId}`,
    async lastInbound() {
      const event = receivedIn.get(chatId);
      return event && { externalMessageId: event.externalMessageId, content: event.content };
    },
  };
}

describe.each(FIXTURES)('$type adapter conformance', (fixture) => {
  const { readOnly, media: carriesFiles, maxButtons } = fixture.adapter.capabilities;
  let running: { account: ChannelAccount; standIn: ProviderStandIn } | undefined;

  async function start() {
    running = await fixture.start();
    return running;
  }

  afterEach(async () => {
    await running?.standIn.close();
    running = undefined;
  });

  async function inboundText(account: ChannelAccount, text: string): Promise<InboundMessageEvent> {
    const request = await fixture.textMessage(account, {
      chatId: `c${Math.floor(Math.random() * 1e6)}`,
      externalMessageId: `x${Math.random().toString(36).slice(2, 12)}`,
      text,
      senderName: 'Анна Смирнова',
    });
    fixture.adapter.verify(request, account);
    const [event] = fixture.adapter.parse(request, account);
    if (event?.type !== 'message') throw new Error(`expected a message event, got ${JSON.stringify(event)}`);
    receivedIn.set(event.chatId, event);
    return event;
  }

  it('should declare capabilities the outbound path can rely on', () => {
    const { capabilities } = fixture.adapter;
    // A read-only channel (call records) sends nothing, so it carries no text either.
    expect(capabilities.maxTextLength > 0).toBe(!readOnly);
    expect(capabilities.maxButtons).toBeGreaterThanOrEqual(0);
    if (!readOnly) expect(capabilities.maxButtonTextLength).toBeGreaterThan(0);
    expect(capabilities.defaultRatePerSecond).toBeGreaterThan(0);
    expect(fixture.adapter.type).toBe(fixture.type);
  });

  it('should accept a correctly signed request and turn its text into one normalized message', async () => {
    const { account } = await start();
    const event = await inboundText(account, 'Здравствуйте, сколько стоит дом 120 м²?');
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
    const text = 'Здравствуйте, сколько стоит дом 120 м²?';
    expect(event.content).toEqual(fixture.expectedContent?.(text) ?? { kind: 'text', text });
    expect(event.externalMessageId.length).toBeGreaterThan(0);
    expect(event.chatId.length).toBeGreaterThan(0);
  });

  it('should parse the same request to the same provider id every time, so ingest can absorb redeliveries', async () => {
    const { account } = await start();
    const request = await fixture.textMessage(account, {
      chatId: 'c42',
      externalMessageId: 'x-redelivered',
      text: 'повтор',
      senderName: 'Иван',
    });
    // What identifies the message, not when it was read: channels without a provider timestamp
    // (the site chat, Telegram button taps) stamp the time of parsing.
    const identity = (events: ReturnType<typeof fixture.adapter.parse>) =>
      events.map((event) =>
        event.type === 'message' ? [event.externalMessageId, event.chatId, event.content] : event,
      );
    const first = fixture.adapter.parse(request, account);
    const second = fixture.adapter.parse(request, account);
    expect(identity(second)).toEqual(identity(first));
  });

  it('should refuse a badly signed request with WebhookAuthError and nothing else', async () => {
    const { account } = await start();
    const request = await fixture.badlySigned(account);
    expect(() => fixture.adapter.verify(request, account)).toThrow(WebhookAuthError);
  });

  it('should refuse every malformed body with MalformedPayloadError, never another error', async () => {
    const { account } = await start();
    const bodies = await fixture.malformed(account);
    expect(bodies.length).toBeGreaterThan(0);
    for (const request of bodies) {
      fixture.adapter.verify(request, account);
      expect(() => fixture.adapter.parse(request, account)).toThrow(MalformedPayloadError);
    }
  });

  it.runIf(readOnly)('should refuse every send as permanent on a read-only channel', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'hi');
    const error = await fixture.adapter
      .send({ text: 'ответ' }, context(event.chatId), account)
      .catch((e: unknown) => e);
    expect((error as SendError).kind).toBe('permanent');
    expect(standIn.sent()).toEqual([]);
  });

  it.runIf(!readOnly)('should send text with buttons to the chat a message came from', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'Хочу консультацию');
    const buttons = [
      { id: 'call', text: 'Позвоните мне' },
      { id: 'later', text: 'Позже' },
    ];
    const result = await fixture.adapter.send({ text: 'Когда удобно?', buttons }, context(event.chatId), account);
    expect(result.externalMessageId.length).toBeGreaterThan(0);
    const [sent] = standIn.sent();
    expect(sent?.chatId).toBe(event.chatId);
    expect(sent?.text).toContain('Когда удобно?');
    // Without buttons the choices are listed in the text, in order.
    if (maxButtons === 0) expect(sent?.text).toMatch(/Позвоните мне[\s\S]*Позже/);
    else expect(sent?.buttons).toEqual(['Позвоните мне', 'Позже']);
  });

  it.runIf(!readOnly && !carriesFiles)('should refuse a file as permanent on a channel without files', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'Пришлите смету');
    const file = {
      fileId: 'f1',
      kind: 'document' as const,
      mimeType: 'application/pdf',
      fileName: 'смета.pdf',
      size: 21,
    };
    const error = await fixture.adapter
      .send({ text: 'Смета', media: file }, context(event.chatId), account)
      .catch((e: unknown) => e);
    expect((error as SendError).kind).toBe('permanent');
    expect(standIn.sent()).toEqual([]);
  });

  it.runIf(!readOnly && carriesFiles)('should send a file', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'Пришлите смету');
    const media = {
      fileId: 'f1',
      kind: 'document' as const,
      mimeType: 'application/pdf',
      fileName: 'смета.pdf',
      size: 21,
    };
    await fixture.adapter.send({ text: 'Смета во вложении', media }, context(event.chatId), account);
    expect(standIn.sent().some((record) => record.chatId === event.chatId && record.mediaKind)).toBe(true);
  });

  it.runIf(!readOnly)('should classify a provider rate limit as rate-limited with the wait it asked for', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'hi');
    standIn.failNextWithRateLimit(3);
    const error = await fixture.adapter
      .send({ text: 'ответ' }, context(event.chatId), account)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect((error as SendError).kind).toBe('rate-limited');
    expect((error as SendError).retryAfterMs).toBe(3000);
    expect((error as SendError).retryable).toBe(true);
  });

  it.runIf(!readOnly)(
    'should classify a person who blocked the channel as unreachable, which is not retried',
    async () => {
      const { account, standIn } = await start();
      const event = await inboundText(account, 'hi');
      standIn.failNextWithBlocked();
      const error = await fixture.adapter
        .send({ text: 'ответ' }, context(event.chatId), account)
        .catch((e: unknown) => e);
      expect((error as SendError).kind).toBe('unreachable');
      expect((error as SendError).retryable).toBe(false);
    },
  );

  it.runIf(!readOnly)('should classify a provider outage as transient, which is retried', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'hi');
    standIn.failNextWithServerError();
    const error = await fixture.adapter
      .send({ text: 'ответ' }, context(event.chatId), account)
      .catch((e: unknown) => e);
    expect((error as SendError).kind).toBe('transient');
    expect((error as SendError).retryable).toBe(true);
  });
});
