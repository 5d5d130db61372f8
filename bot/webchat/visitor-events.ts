import { z } from 'zod';
import type { HistoryRequest, OfflineForm, TypingRequest, VisitorInbound } from './visitor-payloads.js';
import { visitorMessageSchema, type VisitorMessage } from './visitor-message.js';

/**
 * The site chat's socket protocol, one file for both ends (socket.io typed event maps). The
 * schemas describe what the server sends; the widget checks it with guards typed against them.
 * What the widget sends is in visitor-payloads.ts.
 */

export { VISITOR_NAMESPACE } from './visitor-room.js';

export const visitorSessionSchema = z.object({
  /** The id to keep: the one the widget offered, or a new one when it had none or a malformed one. */
  visitorId: z.string(),
  operatorsOnline: z.boolean(),
  /** The channel's look, from its settings; the greeting already in the visitor's language. */
  appearance: z.object({
    title: z.string().optional(),
    color: z.string().optional(),
    greeting: z.string().optional(),
  }),
});
export type VisitorSession = z.infer<typeof visitorSessionSchema>;

/** Someone on the company side types (or stopped): the widget shows "… печатает". */
export const operatorTypingSchema = z.object({
  typing: z.boolean(),
  author: z.object({ name: z.string().optional(), kind: z.enum(['user', 'bot']) }).optional(),
});
export type OperatorTyping = z.infer<typeof operatorTypingSchema>;

export const presenceSchema = z.object({ operatorsOnline: z.boolean() });
export type Presence = z.infer<typeof presenceSchema>;

export const VISITOR_ERROR_CODES = ['invalid_payload', 'rate_limited', 'forbidden', 'unavailable'] as const;
export const visitorErrorSchema = z.object({
  code: z.enum(VISITOR_ERROR_CODES),
  message: z.string(),
  /** With `rate_limited`: when the next try will pass. */
  retryAfterMs: z.number().optional(),
});
export type VisitorError = z.infer<typeof visitorErrorSchema>;

/** Every ack is `{ ok: true, …data }` or `{ ok: false, error }`: handlers answer errors, never throw them. */
export const ackFailureSchema = z.object({ ok: z.literal(false), error: visitorErrorSchema });
export type AckFailure = z.infer<typeof ackFailureSchema>;

export const messageAckSchema = z.union([
  z.object({ ok: z.literal(true), message: visitorMessageSchema }),
  ackFailureSchema,
]);
export const historyAckSchema = z.union([
  z.object({ ok: z.literal(true), messages: z.array(visitorMessageSchema), hasMore: z.boolean() }),
  ackFailureSchema,
]);
export const emptyAckSchema = z.union([z.object({ ok: z.literal(true) }), ackFailureSchema]);
export type MessageAck = z.infer<typeof messageAckSchema>;
export type HistoryAck = z.infer<typeof historyAckSchema>;
export type EmptyAck = z.infer<typeof emptyAckSchema>;

export interface VisitorServerEvents {
  session: (session: VisitorSession) => void;
  /** A new message of the conversation, or one already shown with a new status: the widget upserts by id. */
  message: (message: VisitorMessage) => void;
  typing: (typing: OperatorTyping) => void;
  presence: (presence: Presence) => void;
}

export interface VisitorClientEvents {
  message: (message: VisitorInbound, ack: (response: MessageAck) => void) => void;
  history: (request: HistoryRequest, ack: (response: HistoryAck) => void) => void;
  typing: (request: TypingRequest, ack?: (response: EmptyAck) => void) => void;
  'offline-form': (form: OfflineForm, ack: (response: EmptyAck) => void) => void;
}

type EmitArguments<Events> = {
  [Event in keyof Events]: Events[Event] extends (...args: infer Args) => void ? [Event, ...Args] : never;
}[keyof Events];

/**
 * A typed emit to visitors for code holding an untyped socket.io target (the app's Server, a
 * room, a Redis emitter): `emitToVisitors(io.of(VISITOR_NAMESPACE).to(room), 'message', message)`.
 */
export function emitToVisitors(
  target: { emit(event: string, ...args: unknown[]): unknown },
  ...[event, ...args]: EmitArguments<VisitorServerEvents>
): void {
  target.emit(event, ...args);
}
