import { io } from 'socket.io-client';
import type {
  AckFailure,
  EmptyAck,
  HistoryAck,
  MessageAck,
  OperatorTyping,
  Presence,
  VisitorSession,
} from '../../visitor-events.js';
import type { VisitorMessage } from '../../visitor-message.js';
import type { Locale, OfflineForm, VisitorInbound } from '../../visitor-payloads.js';
import { VISITOR_NAMESPACE } from '../../visitor-room.js';
import type { Guard } from './guard.js';
import {
  isEmptyAck,
  isHistoryAck,
  isMessageAck,
  isOperatorTyping,
  isPresence,
  isVisitorMessage,
  isVisitorSession,
} from './server-payloads.js';

/** How long a request waits for its ack before the widget calls it failed and offers a retry. */
const ACK_TIMEOUT_MS = 15_000;
const RETRY_UNAVAILABLE_MS = 20_000;

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

export interface ConnectionHandlers {
  session(session: VisitorSession): void;
  message(message: VisitorMessage): void;
  typing(typing: OperatorTyping): void;
  presence(presence: Presence): void;
  /** The link dropped (socket.io reconnects by itself) or came back. */
  linkChange(up: boolean): void;
  /** The server refused the widget for good (unknown channel, a site not allowed): it stays hidden. */
  refused(reason: string): void;
}

export interface ConnectionOptions {
  serverOrigin: string;
  channelId: string;
  locale: Locale;
  /** Read at every (re)connection, so a reconnect presents the id the server assigned. */
  visitorId(): string | undefined;
}

/** The widget's socket: server events checked before they reach the UI, requests answered by checked acks. */
export function connectVisitor(options: ConnectionOptions, handlers: ConnectionHandlers) {
  const socket = io(`${options.serverOrigin}${VISITOR_NAMESPACE}`, {
    auth: (callback) =>
      callback({ channelId: options.channelId, visitorId: options.visitorId(), locale: options.locale }),
    // WebSocket first: it needs no CORS from the server, which a widget on another site would need for polling.
    transports: ['websocket', 'polling'],
    tryAllTransports: true,
  });

  function on<T>(event: string, guard: Guard<T>, handler: (payload: T) => void): void {
    socket.on(event, (payload: unknown) => {
      if (guard(payload)) handler(payload);
    });
  }

  on('session', isVisitorSession, handlers.session);
  on('message', isVisitorMessage, handlers.message);
  on('typing', isOperatorTyping, handlers.typing);
  on('presence', isPresence, handlers.presence);
  socket.on('connect', () => handlers.linkChange(true));
  socket.on('disconnect', () => handlers.linkChange(false));
  socket.on('connect_error', (error) => {
    handlers.linkChange(false);
    // Still active: a network failure, socket.io retries by itself. Inactive: the namespace said no,
    // and only its `unavailable` (the server's store is down) is worth asking again, later.
    if (socket.active) return;
    const code: unknown = 'data' in error && isRecord(error.data) ? error.data.code : undefined;
    if (code === 'unavailable') window.setTimeout(() => socket.connect(), RETRY_UNAVAILABLE_MS);
    else handlers.refused(error.message);
  });

  async function request<Ack>(event: string, payload: unknown, guard: Guard<Ack>): Promise<Ack | AckFailure> {
    try {
      const ack: unknown = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck(event, payload);
      if (guard(ack)) return ack;
    } catch {
      // A timeout: answered below like an unreadable ack.
    }
    return { ok: false, error: { code: 'unavailable', message: 'No answer from the server' } };
  }

  return {
    send: (message: VisitorInbound): Promise<MessageAck> => request('message', message, isMessageAck),
    history: (before?: string): Promise<HistoryAck> => request('history', before ? { before } : {}, isHistoryAck),
    offlineForm: (form: OfflineForm): Promise<EmptyAck> => request('offline-form', form, isEmptyAck),
    /** Volatile: a typing signal that cannot go now is worthless later. */
    typing(typing: boolean): void {
      socket.volatile.emit('typing', { typing });
    },
  };
}

export type VisitorConnection = ReturnType<typeof connectVisitor>;
