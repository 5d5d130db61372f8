import { io, type Socket } from 'socket.io-client';

/**
 * The inbox's one realtime connection (`/inbox`), authenticated by the session cookie. While it
 * is open the operator counts as online: site visitors get the chat instead of the offline form.
 * Conversation views subscribe to its events (`message.created`, `message.updated`,
 * `conversation.updated`, `typing`).
 */
export function connectInbox(): Socket {
  return io('/inbox', { withCredentials: true, transports: ['websocket', 'polling'] });
}
