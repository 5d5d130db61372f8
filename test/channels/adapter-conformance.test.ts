import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAccount, SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, SendError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { inboundEventSchema, type InboundMessageEvent } from '../../bot/channels/channel-events.js';
import type { AdapterFixture, ProviderStandIn } from './adapter-fixture.js';
import { telegramFixture } from './fixtures/telegram-fixture.js';
import { webchatFixture } from './fixtures/webchat-fixture.js';
import { whatsappFixture } from './fixtures/whatsapp-fixture.js';

/**
 * The rules every channel adapter keeps, whatever its provider: a channel is only added to the
 * registry once it passes this suite through its own fixture.
 */
const FIXTURES: AdapterFixture[] = [telegramFixture, whatsappFixture, webchatFixture];

function context(chatId: string, messageId = `m${Math.random().toString(36).slice(2)}`): SendContext {
  return {
    chatId,
    messageId,
    openFile: async () => Readable.from([Buffer.from('%PDF-1.4 conformance\n')]),
    fileUrl: (media) => `https://files.example/${media.fileId}`,
  };
}

describe.each(FIXTURES)('$type adapter conformance', (fixture) => {
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
    const request = fixture.textMessage(account, {
      chatId: `c${Math.floor(Math.random() * 1e6)}`,
      externalMessageId: `x${Math.random().toString(36).slice(2, 12)}`,
      text,
      senderName: 'Анна Смирнова',
    });
    fixture.adapter.verify(request, account);
    const [event] = fixture.adapter.parse(request, account);
    if (event?.type !== 'message') throw new Error(`expected a message event, got ${JSON.stringify(event)}`);
    return event;
  }

  it('should declare capabilities the outbound path can rely on', () => {
    const { capabilities } = fixture.adapter;
    expect(capabilities.maxTextLength).toBeGreaterThan(0);
    expect(capabilities.maxButtons).toBeGreaterThanOrEqual(0);
    expect(capabilities.maxButtonTextLength).toBeGreaterThan(0);
    expect(capabilities.defaultRatePerSecond).toBeGreaterThan(0);
    expect(fixture.adapter.type).toBe(fixture.type);
  });

  it('should accept a correctly signed request and turn its text into one normalized message', async () => {
    const { account } = await start();
    const event = await inboundText(account, 'Здравствуйте, сколько стоит дом 120 м²?');
    expect(inboundEventSchema.safeParse(event).success).toBe(true);
    expect(event.content).toEqual({ kind: 'text', text: 'Здравствуйте, сколько стоит дом 120 м²?' });
    expect(event.externalMessageId.length).toBeGreaterThan(0);
    expect(event.chatId.length).toBeGreaterThan(0);
  });

  it('should parse the same request to the same provider id every time, so ingest can absorb redeliveries', async () => {
    const { account } = await start();
    const request = fixture.textMessage(account, {
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
    expect(() => fixture.adapter.verify(fixture.badlySigned(account), account)).toThrow(WebhookAuthError);
  });

  it('should refuse every malformed body with MalformedPayloadError, never another error', async () => {
    const { account } = await start();
    const bodies = fixture.malformed(account);
    expect(bodies.length).toBeGreaterThan(0);
    for (const request of bodies) {
      fixture.adapter.verify(request, account);
      expect(() => fixture.adapter.parse(request, account)).toThrow(MalformedPayloadError);
    }
  });

  it('should send text with buttons to the chat a message came from', async () => {
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
    expect(sent?.buttons).toEqual(['Позвоните мне', 'Позже']);
  });

  it('should send a file', async () => {
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

  it('should classify a provider rate limit as rate-limited with the wait it asked for', async () => {
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

  it('should classify a person who blocked the channel as unreachable, which is not retried', async () => {
    const { account, standIn } = await start();
    const event = await inboundText(account, 'hi');
    standIn.failNextWithBlocked();
    const error = await fixture.adapter
      .send({ text: 'ответ' }, context(event.chatId), account)
      .catch((e: unknown) => e);
    expect((error as SendError).kind).toBe('unreachable');
    expect((error as SendError).retryable).toBe(false);
  });

  it('should classify a provider outage as transient, which is retried', async () => {
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
