import type { Socket } from 'socket.io-client';
import { inboxSocket, type Person } from './scale-clients.js';

/** What one operator's inbox saw through a deploy. */
export interface WatchedInbox {
  socket: Socket;
  /** Message texts pushed to the socket (`message.created`), in order. */
  pushed: string[];
  /** Message texts read again over REST after a reconnection the server could not recover. */
  reread: Set<string>;
  /** Each time the connection dropped: the reason the client gives, and how long until it was back. */
  gaps: { reason: string; ms: number; recovered: boolean; attempts: number }[];
  /** Whether the connection is down right now (a gap still open). */
  down(): boolean;
  /** Done when every reread started so far has finished. */
  settled(): Promise<void>;
}

/**
 * An /inbox connection that behaves as the inbox does after a reconnection: Socket.IO's
 * connection-state recovery hands back what was pushed during the gap when the socket returns to
 * the same process; otherwise (another process, or a restarted one) the inbox reads its lists
 * again (InboxSection's `loadPage` on 'connect'), here the conversations and their messages.
 */
export async function watchInbox(url: string, person: Person): Promise<WatchedInbox> {
  const socket = await inboxSocket(url, person, true);
  const pushed: string[] = [];
  const reread = new Set<string>();
  const gaps: WatchedInbox['gaps'] = [];
  const rereads: Promise<void>[] = [];
  let droppedAt: number | undefined;
  let dropReason = '';
  let attempts = 0;

  const readAgain = async () => {
    const conversations = await person.request(url, 'GET', '/conversations?limit=100');
    for (const conversation of conversations.body.items as { id: string }[]) {
      const messages = await person.request(url, 'GET', `/conversations/${conversation.id}/messages?limit=100`);
      for (const message of messages.body.items as { content: { text?: string } }[]) {
        if (message.content.text) reread.add(message.content.text);
      }
    }
  };

  socket.on('message.created', (payload: { message: { content: { text?: string } } }) =>
    pushed.push(payload.message.content.text ?? ''),
  );
  socket.on('disconnect', (reason) => {
    droppedAt = Date.now();
    dropReason = reason;
  });
  socket.io.on('reconnect', (attempt) => (attempts = attempt));
  socket.on('connect', () => {
    if (droppedAt === undefined) return;
    gaps.push({ reason: dropReason, ms: Date.now() - droppedAt, recovered: socket.recovered, attempts });
    droppedAt = undefined;
    if (!socket.recovered) rereads.push(readAgain());
  });

  return {
    socket,
    pushed,
    reread,
    gaps,
    down: () => droppedAt !== undefined,
    settled: async () => {
      await Promise.all(rereads);
    },
  };
}
