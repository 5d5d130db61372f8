import type { Namespace, Server, Socket } from 'socket.io';
import { z } from 'zod';
import type { InboundRequest } from '../channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../channels/channel-errors.js';
import { isAllowedOrigin } from './is-allowed-origin.js';
import { createSlidingWindowLimit, type SlidingWindowLimit } from './sliding-window-limit.js';
import type { VisitorBackend, WebchatAccount } from './visitor-backend.js';
import {
  VISITOR_NAMESPACE,
  emitToVisitors,
  type EmptyAck,
  type HistoryAck,
  type MessageAck,
  type VisitorError,
} from './visitor-events.js';
import { newVisitorId } from './visitor-id.js';
import {
  historyRequestSchema,
  offlineFormSchema,
  typingRequestSchema,
  visitorAuthSchema,
  visitorInboundSchema,
  type Locale,
} from './visitor-payloads.js';
import { visitorChannelRoom, visitorRoom } from './visitor-room.js';

export { visitorChannelRoom, visitorRoom } from './visitor-room.js';

export interface VisitorNamespaceOptions {
  /** Messages and offline forms one socket may send: 20 in 10 s unless given. */
  messageLimit?: { limit: number; windowMs: number };
  /** History pages one socket may ask for: 30 in 10 s unless given. */
  historyLimit?: { limit: number; windowMs: number };
  /** A visitor's "typing" is passed on at most this often (ms): the widget sends it on every key. */
  typingIntervalMs?: number;
  /** Failures the visitor only sees as `unavailable` (a store down, a bug): for the server's log. */
  onError?: (error: unknown, context: { event: string; channelId: string }) => void;
}

/** Who is on the other end of one socket, settled by the handshake middleware. */
interface VisitorSocketSession {
  account: WebchatAccount;
  visitorId: string;
  locale: Locale;
  origin: string;
}

/**
 * A refused handshake: the widget gets `connect_error` with this message and `data.code`. Only
 * `unavailable` is worth retrying; the others hold until the channel's settings change.
 */
class VisitorRefusedError extends Error {
  readonly data: { code: 'invalid_auth' | 'unknown_channel' | 'origin_not_allowed' | 'unavailable' };

  constructor(code: VisitorRefusedError['data']['code'], message: string) {
    super(message);
    this.name = 'VisitorRefusedError';
    this.data = { code };
  }
}

const HISTORY_PAGE = 30;
type AckResponse = MessageAck | HistoryAck | EmptyAck;

/**
 * The `/visitor` socket.io namespace the widget talks to. The namespace only translates: each
 * visitor message becomes an InboundRequest for the backend's ingest, as a webhook would.
 */
export function attachVisitorNamespace(
  io: Server,
  backend: VisitorBackend,
  options: VisitorNamespaceOptions = {},
): Namespace {
  const namespace = io.of(VISITOR_NAMESPACE);
  // socket.data is untyped on an untyped Server; a WeakMap keeps the session typed and dies with the socket.
  const sessions = new WeakMap<Socket, VisitorSocketSession>();

  namespace.use((socket, next) => {
    authenticate(socket, backend).then(
      (session) => {
        sessions.set(socket, session);
        next();
      },
      (error: unknown) => {
        if (error instanceof VisitorRefusedError) return next(error);
        options.onError?.(error, { event: 'connect', channelId: String(socket.handshake.auth.channelId) });
        next(new VisitorRefusedError('unavailable', 'The chat is unavailable right now'));
      },
    );
  });

  namespace.on('connection', (socket) => {
    const session = sessions.get(socket);
    if (!session) {
      socket.disconnect(true);
      return;
    }
    serveVisitor(socket, session, backend, options);
  });
  return namespace;
}

async function authenticate(socket: Socket, backend: VisitorBackend): Promise<VisitorSocketSession> {
  const auth = visitorAuthSchema.safeParse(socket.handshake.auth);
  if (!auth.success) throw new VisitorRefusedError('invalid_auth', 'The widget did not say which chat it belongs to');
  const account = await backend.findAccount(auth.data.channelId);
  if (!account) throw new VisitorRefusedError('unknown_channel', `There is no site chat ${auth.data.channelId}`);
  const origin = socket.handshake.headers.origin;
  if (!isAllowedOrigin(account.settings, origin)) {
    throw new VisitorRefusedError(
      'origin_not_allowed',
      `This chat is not allowed on ${origin ?? 'a page without an origin'}`,
    );
  }
  return { account, visitorId: auth.data.visitorId ?? newVisitorId(), locale: auth.data.locale, origin };
}

function serveVisitor(
  socket: Socket,
  session: VisitorSocketSession,
  backend: VisitorBackend,
  options: VisitorNamespaceOptions,
): void {
  const { account, visitorId } = session;
  const room = visitorRoom(account.id, visitorId);
  const messageLimit = limitFrom(options.messageLimit, 20);
  const historyLimit = limitFrom(options.historyLimit, 30);
  const typingIntervalMs = options.typingIntervalMs ?? 3000;
  let typingSince: number | undefined;

  function fail(event: string, error: unknown): { ok: false; error: VisitorError } {
    if (error instanceof z.ZodError) return failure('invalid_payload', z.prettifyError(error));
    if (error instanceof MalformedPayloadError) return failure('invalid_payload', error.message);
    if (error instanceof WebhookAuthError) return failure('forbidden', error.message);
    options.onError?.(error, { event, channelId: account.id });
    return failure('unavailable', 'The chat is unavailable right now, please try again in a minute');
  }

  function handle(
    event: string,
    limit: SlidingWindowLimit | undefined,
    work: (payload: unknown) => Promise<AckResponse>,
  ) {
    socket.on(event, (payload: unknown, ack: unknown) => {
      const reply =
        typeof ack === 'function' ? (response: AckResponse) => ack(response) : (_response: AckResponse) => undefined;
      const retryAfterMs = limit?.take();
      if (retryAfterMs !== undefined) {
        reply(failure('rate_limited', 'Too many messages at once, please wait a few seconds', retryAfterMs));
        return;
      }
      work(payload).then(reply, (error: unknown) => reply(fail(event, error)));
    });
  }

  function relayTyping(typing: boolean): void {
    const now = Date.now();
    if (typing && typingSince !== undefined && now - typingSince < typingIntervalMs) return;
    if (!typing && typingSince === undefined) return;
    typingSince = typing ? now : undefined;
    backend
      .visitorTyping(account, visitorId, typing)
      .catch((error: unknown) => options.onError?.(error, { event: 'typing', channelId: account.id }));
  }

  handle('message', messageLimit, async (payload) => {
    const inbound = visitorInboundSchema.parse(payload);
    const request: InboundRequest = {
      method: 'SOCKET',
      headers: { origin: session.origin },
      query: { visitorId },
      rawBody: Buffer.from(JSON.stringify(inbound)),
    };
    const message = await backend.ingest(account, request);
    // The message ends the typing; the next key press is news again.
    typingSince = undefined;
    emitToVisitors(socket.to(room), 'message', message);
    return { ok: true, message };
  });

  handle('history', historyLimit, async (payload) => {
    const { before } = historyRequestSchema.parse(payload ?? {});
    // One more than a page tells whether an older page exists without a count query.
    const messages = await backend.history(account, visitorId, { before, limit: HISTORY_PAGE + 1 });
    const hasMore = messages.length > HISTORY_PAGE;
    return { ok: true, messages: hasMore ? messages.slice(-HISTORY_PAGE) : messages, hasMore };
  });

  handle('typing', undefined, async (payload) => {
    relayTyping(typingRequestSchema.parse(payload).typing);
    return { ok: true };
  });

  handle('offline-form', messageLimit, async (payload) => {
    await backend.submitOfflineForm(account, visitorId, offlineFormSchema.parse(payload));
    return { ok: true };
  });

  socket.on('disconnect', () => relayTyping(false));
  void socket.join([room, visitorChannelRoom(account.id)]);
  void greet(socket, session, backend, options);
}

async function greet(
  socket: Socket,
  { account, visitorId, locale }: VisitorSocketSession,
  backend: VisitorBackend,
  options: VisitorNamespaceOptions,
): Promise<void> {
  let operatorsOnline = false;
  try {
    operatorsOnline = await backend.operatorsOnline(account);
  } catch (error) {
    // Unknown presence shows the offline form: a lead left there is not lost.
    options.onError?.(error, { event: 'connect', channelId: account.id });
  }
  const { title, color, greeting } = account.settings;
  emitToVisitors(socket, 'session', {
    visitorId,
    operatorsOnline,
    appearance: { title, color, greeting: greeting?.[locale] },
  });
}

function limitFrom(given: { limit: number; windowMs: number } | undefined, limit: number): SlidingWindowLimit {
  return createSlidingWindowLimit(given?.limit ?? limit, given?.windowMs ?? 10_000);
}

function failure(
  code: VisitorError['code'],
  message: string,
  retryAfterMs?: number,
): { ok: false; error: VisitorError } {
  return { ok: false, error: { code, message, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) } };
}
