import { io, type Socket } from 'socket.io-client';

/** A refused handshake that is not "signed out" (the server starting, the store away) is tried again after this. */
const RETRY_REFUSED_MS = 5000;

/**
 * The inbox's one realtime connection (`/inbox`), authenticated by the session cookie. While it
 * is open the operator counts as online: site visitors get the chat instead of the offline form.
 * Conversation views subscribe to its events (`message.created`, `message.updated`,
 * `conversation.updated`, `typing`).
 *
 * The server closes a user's sockets when their access changes (sessions ended, a new role or
 * team): the socket comes straight back, which joins the rooms of the new access, or is refused
 * for want of a session, which is `onSignedOut` (the inbox shows the login page).
 */
export function connectInbox(onSignedOut: () => void): Socket {
  const socket = io('/inbox', { withCredentials: true, transports: ['websocket', 'polling'] });
  socket.on('disconnect', (reason) => {
    if (reason === 'io server disconnect') socket.connect();
  });
  socket.on('connect_error', (error) => {
    // Still active: a network failure the client retries itself. Inactive: the server said no.
    if (socket.active) return;
    if ((error as Error & { data?: { signedOut?: boolean } }).data?.signedOut) onSignedOut();
    else setTimeout(() => socket.connect(), RETRY_REFUSED_MS);
  });
  return socket;
}
