import { once } from 'node:events';
import { createServer, type Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  VISITOR_NAMESPACE,
  emptyAckSchema,
  historyAckSchema,
  messageAckSchema,
  visitorSessionSchema,
  type VisitorSession,
} from '../../bot/webchat/visitor-events.js';
import { visitorMessageSchema } from '../../bot/webchat/visitor-message.js';
import { attachVisitorNamespace } from '../../bot/webchat/visitor-namespace.js';
import {
  isHistoryAck,
  isMessageAck,
  isVisitorMessage,
  isVisitorSession,
} from '../../bot/webchat/widget/src/server-payloads.js';
import type { WebchatAccount } from '../../bot/webchat/visitor-backend.js';
import { createMemoryVisitorBackend, type MemoryVisitorBackend } from './fixtures/webchat-memory-backend.js';

const SITE = 'https://shop.example';
const TYPING_INTERVAL_MS = 300;

describe('visitor namespace', () => {
  let http: HttpServer;
  let io: Server;
  let url: string;
  let backend: MemoryVisitorBackend;
  const sockets: Socket[] = [];
  const errors: unknown[] = [];

  beforeAll(async () => {
    http = createServer();
    io = new Server(http, { serveClient: false });
    backend = createMemoryVisitorBackend();
    backend.attach(io);
    attachVisitorNamespace(io, backend, {
      messageLimit: { limit: 10, windowMs: 60_000 },
      typingIntervalMs: TYPING_INTERVAL_MS,
      onError: (error) => errors.push(error),
    });
    http.listen(0, '127.0.0.1');
    await once(http, 'listening');
    const address = http.address();
    if (!address || typeof address === 'string') throw new Error('not listening on TCP');
    url = `http://127.0.0.1:${address.port}${VISITOR_NAMESPACE}`;
  });

  afterAll(async () => {
    await io.close();
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
    expect(errors.splice(0)).toEqual([]);
  });

  function site(overrides: { greeting?: { ru?: string; en?: string } } = {}): WebchatAccount {
    return backend.addAccount({ allowedOrigins: [SITE], title: 'ЭкоДом', color: '#2f855a', ...overrides });
  }

  /** `null`: a client that sends no Origin at all (not a browser). */
  function open(auth: Record<string, unknown>, origin: string | null = SITE): Socket {
    const socket = connect(url, {
      auth,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(origin ? { extraHeaders: { origin } } : {}),
    });
    sockets.push(socket);
    return socket;
  }

  /** The next `event` on a client socket (node's events.once does not take socket.io-client's emitter). */
  function next(socket: Socket, event: string): Promise<unknown> {
    return new Promise((resolve) => socket.once(event, resolve));
  }

  async function session(socket: Socket): Promise<VisitorSession> {
    const payload = await next(socket, 'session');
    return visitorSessionSchema.parse(payload);
  }

  async function refusal(socket: Socket): Promise<{ message: string; code: unknown }> {
    const error = await new Promise<Error & { data?: { code?: unknown } }>((resolve) =>
      socket.once('connect_error', resolve),
    );
    return { message: error.message, code: error.data?.code };
  }

  let counter = 0;
  const clientMessageId = () => `client-${Date.now()}-${(counter += 1)}`;

  it('should refuse a channel it does not know, a site not allowed and a handshake without a channel', async () => {
    const account = site();
    expect(await refusal(open({ channelId: 'site-unknown' }))).toEqual({
      message: 'There is no site chat site-unknown',
      code: 'unknown_channel',
    });
    expect(await refusal(open({ channelId: account.id }, 'https://elsewhere.example'))).toEqual({
      message: 'This chat is not allowed on https://elsewhere.example',
      code: 'origin_not_allowed',
    });
    expect(await refusal(open({ channelId: account.id }, null))).toMatchObject({ code: 'origin_not_allowed' });
    expect(await refusal(open({}))).toMatchObject({ code: 'invalid_auth' });
  });

  it('should give a new visitor an id, keep a valid one and replace a malformed one', async () => {
    const account = site({ greeting: { ru: 'Здравствуйте! Чем помочь?', en: 'Hello! How can we help?' } });
    const first = await session(open({ channelId: account.id, locale: 'en' }));
    expect(first.visitorId).toMatch(/^v_[A-Za-z0-9_-]{16,64}$/);
    expect(first).toMatchObject({
      operatorsOnline: true,
      appearance: { title: 'ЭкоДом', color: '#2f855a', greeting: 'Hello! How can we help?' },
    });
    expect(isVisitorSession(first)).toBe(true);

    const again = await session(open({ channelId: account.id, visitorId: first.visitorId }));
    expect(again.visitorId).toBe(first.visitorId);
    expect(again.appearance.greeting).toBe('Здравствуйте! Чем помочь?');

    const malformed = await session(open({ channelId: account.id, visitorId: 'v_../../etc' }));
    expect(malformed.visitorId).not.toBe('v_../../etc');
    expect(malformed.visitorId).toMatch(/^v_/);
  });

  it('should say when nobody is online, and tell open widgets when that changes', async () => {
    const account = site();
    backend.setOnline(account.id, false);
    const socket = open({ channelId: account.id });
    expect((await session(socket)).operatorsOnline).toBe(false);
    const presence = next(socket, 'presence');
    backend.setOnline(account.id, true);
    expect(await presence).toEqual({ operatorsOnline: true });
  });

  it('should store a message, answer with it and show it in the visitor’s other tabs only', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const otherTab = open({ channelId: account.id, visitorId });
    const stranger = open({ channelId: account.id });
    await Promise.all([session(otherTab), session(stranger)]);
    const strangerGot: unknown[] = [];
    const sameTabGot: unknown[] = [];
    stranger.on('message', (message) => strangerGot.push(message));
    tab.on('message', (message) => sameTabGot.push(message));

    const echoed = next(otherTab, 'message');
    const ack = messageAckSchema.parse(
      await tab.emitWithAck('message', { clientMessageId: clientMessageId(), text: 'Сколько стоит Кедровый 142?' }),
    );
    expect(isMessageAck(ack)).toBe(true);
    if (!ack.ok) throw new Error(ack.error.message);
    expect(ack.message).toMatchObject({ direction: 'in', text: 'Сколько стоит Кедровый 142?' });
    expect(visitorMessageSchema.parse(await echoed)).toEqual(ack.message);
    expect(backend.conversation(account.id, visitorId)).toEqual([ack.message]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(strangerGot).toEqual([]);
    expect(sameTabGot).toEqual([]);
  });

  it('should store a resent message once', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const payload = { clientMessageId: clientMessageId(), text: 'Здравствуйте' };
    const first = messageAckSchema.parse(await tab.emitWithAck('message', payload));
    const second = messageAckSchema.parse(await tab.emitWithAck('message', payload));
    expect(second).toEqual(first);
    expect(backend.conversation(account.id, visitorId)).toHaveLength(1);
  });

  it('should bring an operator’s reply to every tab of the visitor', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const otherTab = open({ channelId: account.id, visitorId });
    await session(otherTab);
    const arrivals = Promise.all([next(tab, 'message'), next(otherTab, 'message')]);
    await backend.reply(account.id, visitorId, {
      text: 'Добрый день! Пришлю смету.',
      buttons: [{ id: 'call', text: 'Позвоните мне' }],
    });
    for (const message of await arrivals) {
      expect(isVisitorMessage(message)).toBe(true);
      expect(visitorMessageSchema.parse(message)).toMatchObject({
        direction: 'out',
        text: 'Добрый день! Пришлю смету.',
        buttons: [{ id: 'call', text: 'Позвоните мне' }],
        author: { name: 'Анна', kind: 'user' },
      });
    }
  });

  it('should page the history, oldest first', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    for (let index = 1; index <= 32; index += 1) {
      await backend.reply(account.id, visitorId, { text: `Сообщение ${index}` });
    }
    const latest = historyAckSchema.parse(await tab.emitWithAck('history', {}));
    expect(isHistoryAck(latest)).toBe(true);
    if (!latest.ok) throw new Error(latest.error.message);
    expect(latest.hasMore).toBe(true);
    expect(latest.messages.map((message) => message.text)).toEqual(
      Array.from({ length: 30 }, (_, index) => `Сообщение ${index + 3}`),
    );
    const older = historyAckSchema.parse(await tab.emitWithAck('history', { before: latest.messages[0]?.id }));
    expect(older).toMatchObject({ ok: true, hasMore: false });
    expect(older.ok && older.messages.map((message) => message.text)).toEqual(['Сообщение 1', 'Сообщение 2']);
  });

  it('should pass the visitor’s typing on, throttled, and stop it when the widget goes away', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const calls = () => backend.typingCalls.filter((call) => call.visitorId === visitorId).map((call) => call.typing);
    for (let index = 0; index < 5; index += 1) tab.emit('typing', { typing: true });
    expect(emptyAckSchema.parse(await tab.emitWithAck('typing', { typing: true }))).toEqual({ ok: true });
    expect(calls()).toEqual([true]);
    await new Promise((resolve) => setTimeout(resolve, TYPING_INTERVAL_MS + 50));
    await tab.emitWithAck('typing', { typing: true });
    expect(calls()).toEqual([true, true]);
    await tab.emitWithAck('typing', { typing: false });
    await tab.emitWithAck('typing', { typing: false });
    expect(calls()).toEqual([true, true, false]);
    await tab.emitWithAck('typing', { typing: true });
    tab.disconnect();
    await expect.poll(calls).toEqual([true, true, false, true, false]);
  });

  it('should answer malformed payloads with an error in the ack, and survive events without one', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    await session(tab);
    tab.emit('message', { text: 'no ack asked' });
    tab.emit('history', 'nonsense');
    const cases: [string, unknown][] = [
      ['message', { text: 'no client id' }],
      ['message', { clientMessageId: clientMessageId(), text: '' }],
      ['message', 'just a string'],
      ['history', { before: 42 }],
      ['typing', { typing: 'yes' }],
      ['offline-form', { name: 'Анна', locale: 'ru' }],
      ['offline-form', { name: 'Анна', phone: 'call me', locale: 'ru' }],
    ];
    for (const [event, payload] of cases) {
      const ack = emptyAckSchema.parse(await tab.emitWithAck(event, payload));
      expect(ack, `${event} ${JSON.stringify(payload)}`).toMatchObject({
        ok: false,
        error: { code: 'invalid_payload' },
      });
      expect(ack.ok || ack.error.message.length > 0).toBe(true);
    }
    expect(tab.connected).toBe(true);
  });

  it('should take an offline form', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const form = {
      name: 'Ирина Соколова',
      phone: '+7 916 555-12-34',
      message: 'Перезвоните после 18:00',
      locale: 'ru',
    };
    expect(await tab.emitWithAck('offline-form', form)).toEqual({ ok: true });
    expect(backend.offlineForms.filter((sent) => sent.visitorId === visitorId).map((sent) => sent.form)).toEqual([
      form,
    ]);
  });

  it('should limit how fast one widget sends', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    const { visitorId } = await session(tab);
    const acks = [];
    for (let index = 0; index < 11; index += 1) {
      acks.push(
        messageAckSchema.parse(
          await tab.emitWithAck('message', { clientMessageId: clientMessageId(), text: `№${index}` }),
        ),
      );
    }
    expect(acks.slice(0, 10).every((ack) => ack.ok)).toBe(true);
    expect(acks[10]).toMatchObject({
      ok: false,
      error: { code: 'rate_limited', message: 'Too many messages at once, please wait a few seconds' },
    });
    expect(acks[10]?.ok === false && acks[10].error.retryAfterMs).toBeGreaterThan(0);
    expect(backend.conversation(account.id, visitorId)).toHaveLength(10);
  });

  it('should answer unavailable, not crash, when the backend fails', async () => {
    const account = site();
    const tab = open({ channelId: account.id });
    await session(tab);
    const history = backend.history;
    backend.history = async () => {
      throw new Error('store down');
    };
    try {
      expect(await tab.emitWithAck('history', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    } finally {
      backend.history = history;
    }
    expect(errors.splice(0)).toEqual([new Error('store down')]);
  });
});
