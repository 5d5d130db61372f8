import fc from 'fast-check';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VISITOR_NAMESPACE } from '../../bot/webchat/visitor-events.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import {
  countDocuments,
  fuzzParameters,
  grown,
  hostileJsonText,
  hugeString,
  invalidUtf8,
  jsonValue,
  runsOf,
  timeoutFor,
  watchProcess,
  wrongTypes,
} from './fuzz-kit.js';

/**
 * The site chat's `/visitor` namespace (bot/webchat/visitor-namespace.ts) under generated input:
 * handshakes with any auth and origin, and every event the widget may send (message, history,
 * typing, offline-form, and ones it never sends) with any payload, with and without an ack.
 * A refusal is `connect_error` with a message, or an ack `{ ok: false, error: { code, message } }`
 * whose code is the visitor's fault (invalid_payload, rate_limited, forbidden), never `unavailable`,
 * which is what a server failure looks like to the widget.
 */

const SITE = 'https://chat.fuzz.example';
const ACK_TIMEOUT_MS = 5_000;
// message and offline-form allow 20 a minute per socket: a fresh socket before that.
const EVENTS_PER_SOCKET = 15;

const TEMPLATES: Record<string, Record<string, unknown>> = {
  message: {
    clientMessageId: 'c_0123456789',
    text: 'Здравствуйте',
    page: { url: 'https://chat.fuzz.example/catalog', referrer: '', utm: { source: 'ya' } },
  },
  history: { before: '000000000000000000000000' },
  typing: { typing: true },
  'offline-form': { name: 'Анна', phone: '+79161234567', email: 'a@b.ru', message: 'Позвоните', locale: 'ru' },
};

/** A payload for `event`: anything, the event's shape with wrong types, hostile keys, huge strings, bytes. */
function payloadFor(event: string): fc.Arbitrary<unknown> {
  const template = TEMPLATES[event] ?? {};
  return fc.oneof(
    { weight: 3, arbitrary: jsonValue },
    { weight: 4, arbitrary: wrongTypes(template) },
    { weight: 2, arbitrary: hostileJsonText.map((text): unknown => JSON.parse(text)) },
    {
      weight: 1,
      // Under socket.io's 1 MB frame limit (maxHttpBufferSize), past which it drops the connection.
      arbitrary: hugeString.map((text) => ({
        ...template,
        ...Object.fromEntries(Object.keys(template).map((key) => [key, text.slice(0, 30_000)])),
      })),
    },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
}

interface Ack {
  ok: boolean;
  error?: { code?: unknown; message?: unknown };
}

describe('visitor socket under fuzzing', () => {
  let api: TestApi;
  let channelId: string;
  let url: string;
  const sockets: Socket[] = [];
  const watcher = watchProcess();

  beforeAll(async () => {
    api = await startTestApi();
    const admin = await api.as('admin');
    const chat = await admin.post('/channels', { type: 'webchat', name: 'Fuzz chat', allowedOrigins: [SITE] });
    expect(chat.status, JSON.stringify(chat.body)).toBe(201);
    channelId = chat.body.id;
    url = `${api.baseUrl}${VISITOR_NAMESPACE}`;
  });

  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });

  afterAll(async () => {
    watcher.stop();
    await api?.close();
  });

  function open(auth: unknown, origin: string | undefined): Socket {
    const socket = connect(url, {
      auth: auth as Record<string, unknown>,
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(origin ? { extraHeaders: { origin } } : {}),
    });
    sockets.push(socket);
    return socket;
  }

  /** Connected, the connect_error's message and code, or the connection closed under a packet socket.io cannot read. */
  function settle(
    socket: Socket,
  ): Promise<{ connected: true } | { closed: true } | { message: string; code: unknown }> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to the handshake')), ACK_TIMEOUT_MS);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve({ connected: true });
      });
      socket.io.on('close', (reason) => {
        // The client itself closes ("forced close") right before it reports a connect_error.
        if (reason === 'forced close') return;
        clearTimeout(timer);
        resolve({ closed: true });
      });
      socket.once('connect_error', (error: Error & { data?: { code?: unknown } }) => {
        clearTimeout(timer);
        resolve({ message: error.message, code: error.data?.code });
      });
    });
  }

  const handshakeRuns = runsOf(0.03);
  it(
    'should refuse generated handshakes with a message and a code that is not a failure',
    async () => {
      const before = await countDocuments(api.db);
      await fc.assert(
        fc.asyncProperty(
          fc.oneof(
            jsonValue,
            fc.record({ channelId: jsonValue, visitorId: jsonValue, locale: jsonValue }),
            fc.record({ channelId: fc.oneof(fc.string(), fc.constantFrom('__proto__', '$gt', 'constructor')) }),
          ),
          fc.constantFrom(SITE, 'https://evil.example', 'null', undefined),
          async (auth, origin) => {
            const answer = await settle(open(auth, origin));
            if ('connected' in answer) return;
            // socket.io's parser takes only an object as CONNECT data and closes the connection otherwise.
            if ('closed' in answer) {
              expect(typeof auth === 'object' && auth !== null && !Array.isArray(auth), JSON.stringify(auth)).toBe(
                false,
              );
              return;
            }
            expect(answer.message).not.toBe('');
            expect(answer.code, answer.message).not.toBe('unavailable');
          },
        ),
        fuzzParameters(handshakeRuns),
      );
      expect(grown(before, await countDocuments(api.db))).toEqual({});
      expect(watcher.problems).toEqual([]);
    },
    timeoutFor(handshakeRuns, 80),
  );

  const eventRuns = runsOf(0.12);
  it(
    'should answer generated events with a refusal the visitor caused, and store none of them',
    async () => {
      const before = await countDocuments(api.db);
      let socket: Socket | undefined;
      let used = 0;
      const fresh = async () => {
        socket?.disconnect();
        socket = open({ channelId, locale: 'ru' }, SITE);
        expect(await settle(socket)).toEqual({ connected: true });
        used = 0;
        return socket;
      };
      await fc.assert(
        fc.asyncProperty(
          fc
            .constantFrom('message', 'history', 'typing', 'offline-form', 'message', 'offline-form')
            .chain((event) => fc.tuple(fc.constant(event), payloadFor(event))),
          fc.boolean(),
          async ([event, payload], withAck) => {
            const visitor = used++ >= EVENTS_PER_SOCKET || !socket?.connected ? await fresh() : socket;
            if (!withAck) {
              visitor.emit(event, payload);
              return;
            }
            const ack = (await visitor.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload)) as Ack;
            // Reading history and saying "typing" store nothing, so a well-formed one may succeed.
            if (ack.ok) {
              expect(['history', 'typing'], JSON.stringify(ack).slice(0, 300)).toContain(event);
              return;
            }
            expect(typeof ack.error?.message === 'string' && ack.error.message !== '', JSON.stringify(ack)).toBe(true);
            expect(
              ['invalid_payload', 'rate_limited', 'forbidden'],
              `${event}: ${JSON.stringify(ack).slice(0, 300)}`,
            ).toContain(ack.error?.code);
          },
        ),
        fuzzParameters(eventRuns),
      );
      // Events sent without an ack are answered too: one more round trip settles them before counting.
      const last = socket?.connected ? socket : await fresh();
      await last.timeout(ACK_TIMEOUT_MS).emitWithAck('typing', { typing: false });
      expect(grown(before, await countDocuments(api.db))).toEqual({});
      expect(watcher.problems).toEqual([]);
    },
    timeoutFor(eventRuns, 60),
  );

  it("should drop only the sender of a frame over socket.io's size limit", async () => {
    const [sender, bystander] = [open({ channelId, locale: 'ru' }, SITE), open({ channelId, locale: 'ru' }, SITE)];
    expect(await settle(sender)).toEqual({ connected: true });
    expect(await settle(bystander)).toEqual({ connected: true });
    const dropped = new Promise((resolve) => sender.once('disconnect', resolve));
    sender.emit('message', { clientMessageId: 'c_0123456789', text: 'я'.repeat(600_000) });
    await dropped;
    const ack = (await bystander.timeout(ACK_TIMEOUT_MS).emitWithAck('typing', { typing: true })) as Ack;
    expect(ack).toEqual({ ok: true });
    expect(watcher.problems).toEqual([]);
  });

  it('should ignore events the widget never sends and keep serving the socket', async () => {
    const socket = open({ channelId, locale: 'en' }, SITE);
    expect(await settle(socket)).toEqual({ connected: true });
    for (const event of ['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'session', 'presence', '$where'])
      socket.emit(event, { typing: true });
    const ack = (await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('typing', { typing: true })) as Ack;
    expect(ack).toEqual({ ok: true });
    expect(watcher.problems).toEqual([]);
  });
});
