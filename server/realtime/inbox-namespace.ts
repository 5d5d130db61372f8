import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import type { Server, Socket } from 'socket.io';
import { z } from 'zod';
import { emitToVisitors } from '../../bot/webchat/visitor-events.js';
import { VISITOR_NAMESPACE } from '../../bot/webchat/visitor-room.js';
import type { ApiServices } from '../api/api-services.js';
import type { AuthUser } from '../api/define-route.js';
import { authenticateHandshake } from '../auth/authenticate.js';
import { can } from '../auth/permissions.js';
import { findVisibleConversation } from '../messaging/find-visible-conversation.js';
import { announcePresence } from '../presence/announce-presence.js';
import { HEARTBEAT_MS, OperatorPresence } from '../presence/operator-presence.js';
import { roomsOfUser } from './inbox-rooms.js';

const typingSchema = z.strictObject({ conversationId: z.string().regex(/^[0-9a-f]{24}$/), typing: z.boolean() });

// Express's Request type is wider than a handshake's IncomingMessage; the authenticator reads headers only.
const asRequest = (request: IncomingMessage) => request as unknown as Request;

/** The refusal that means "no session": the inbox shows its login page (other refusals are retried). */
function signInFirst(): Error {
  return Object.assign(new Error('Sign in to the inbox first'), { data: { signedOut: true } });
}

/**
 * Whether a handshake comes from the inbox's own page (its public URL, or the host it was asked
 * for: the dev server's proxy). WebSockets have no CORS, and a browser attaches the SameSite=Lax
 * cookie to one opened by any page of the same site (a sibling subdomain such as the company's
 * website with its chat widget, another port): without this, such a page would hear the whole
 * inbox. A browser always sends Origin with a WebSocket and with a cross-origin request; without
 * one it is the inbox's own page or not a browser.
 */
function fromOwnPage(request: IncomingMessage, publicUrl: string): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  if (!URL.canParse(origin)) return false;
  const page = new URL(origin);
  return page.origin === new URL(publicUrl).origin || page.host === request.headers.host;
}

/**
 * `/inbox`: the operators' realtime channel. A socket is authenticated like the REST API (session
 * cookie, or an API token in `auth.token`) and joins the rooms its user may see; the server pushes
 * `message.created`, `message.updated`, `conversation.updated`, `typing`, `presence.changed` and `lead.received` there. Site chat
 * widgets get `presence` when the first operator connects or the last one leaves.
 */
export function attachInboxNamespace(
  io: Server,
  services: () => ApiServices | undefined,
  onOperatorTyping: (user: AuthUser, conversationId: string, typing: boolean) => Promise<void>,
): void {
  const inbox = io.of('/inbox');
  inbox.use((socket, next) => {
    const ready = services();
    if (!ready) return next(new Error('The server is starting; reconnecting shortly'));
    const auth: unknown = socket.handshake.auth;
    const token =
      auth && typeof auth === 'object' && 'token' in auth && typeof auth.token === 'string' ? auth.token : undefined;
    // A token is never attached by the browser on its own; the cookie is, to any page of the site.
    if (!token && !fromOwnPage(socket.request, ready.config.publicUrl))
      return next(new Error("The inbox's realtime channel is open to the inbox's own pages only"));
    authenticateHandshake(ready, asRequest(socket.request), token)
      .then((user) => {
        // A token carries only its scopes, as on the REST API: one for contacts must not hear every conversation.
        const mayRead =
          user && can(user.role, 'conversations.read') && (user.tokenScopes?.includes('conversations.read') ?? true);
        if (!mayRead) return next(signInFirst());
        socket.data.user = user;
        next();
      })
      .catch(() => next(new Error('The session could not be checked; reconnecting shortly')));
  });
  // Open widgets show whether anyone can answer: they hear when the first operator comes and the last one goes.
  let presenceChecks = Promise.resolve();
  const pushPresence = (change: 'came' | 'left') => {
    // One check at a time, so a socket's leaving is never counted before its coming.
    presenceChecks = presenceChecks
      .then(async () => {
        // Across every web process: the Redis adapter asks them all.
        const operators = (await inbox.fetchSockets()).length;
        if (operators !== (change === 'came' ? 1 : 0)) return;
        // The app is stopping: the adapter's Redis is closing, and a visitor's widget hears of it by disconnecting.
        if (!io.httpServer?.listening) return;
        emitToVisitors(io.of(VISITOR_NAMESPACE), 'presence', { operatorsOnline: change === 'came' });
      })
      .catch(() => undefined);
  };
  // Each operator's own presence, for auto-assignment: kept in Redis, renewed while the socket lives.
  let operatorPresence: OperatorPresence | undefined;
  const presence = () => {
    const ready = services();
    operatorPresence ??= ready ? new OperatorPresence(ready.redis) : undefined;
    return operatorPresence;
  };
  const heartbeat = setInterval(() => {
    // The app stopped: its Redis connections are closed, so nothing more is renewed.
    if (!io.httpServer?.listening) return clearInterval(heartbeat);
    const alive = [...inbox.sockets.values()].map((socket) => ({
      userId: (socket.data.user as AuthUser).id,
      socketId: socket.id,
    }));
    presence()
      ?.socketsAlive(alive)
      .catch(() => undefined);
  }, HEARTBEAT_MS);
  heartbeat.unref();
  // A second tab changes nothing for colleagues, but announcing it anyway is cheaper than asking first.
  const announce = async (user: AuthUser) => {
    const ready = services();
    if (ready) await announcePresence(ready, user);
  };
  inbox.on('connection', (socket: Socket) => {
    const user: AuthUser = socket.data.user;
    void socket.join(roomsOfUser(user));
    pushPresence('came');
    presence()
      ?.socketsAlive([{ userId: user.id, socketId: socket.id }])
      .then(() => announce(user))
      .catch(() => undefined);
    socket.on('disconnect', () => {
      pushPresence('left');
      // While the app stops its Redis goes too; the socket's entry runs out by itself.
      if (!io.httpServer?.listening) return;
      presence()
        ?.socketGone(user.id, socket.id)
        .then(() => announce(user))
        .catch(() => undefined);
    });
    socket.on('typing', async (payload: unknown) => {
      const parsed = typingSchema.safeParse(payload);
      const ready = services();
      // Typing is the start of a reply: only people who may reply show it to the person.
      if (!parsed.success || !ready || !can(user.role, 'conversations.reply')) return;
      if (user.tokenScopes && !user.tokenScopes.includes('conversations.reply')) return;
      try {
        await findVisibleConversation(ready, user, parsed.data.conversationId);
        await onOperatorTyping(user, parsed.data.conversationId, parsed.data.typing);
      } catch {
        // Typing is a hint: a conversation the user may not see, or a hiccup, is simply not relayed.
      }
    });
  });
}
