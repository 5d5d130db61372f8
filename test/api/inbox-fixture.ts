import { randomBytes } from 'node:crypto';
import { io as connect, type Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { Role } from '../../server/auth/permissions.js';
import { ingestEvents } from '../../server/messaging/ingest-events.js';
import type { ConversationView } from '../../server/messaging/message-views.js';
import { TEST_PASSWORD, type ApiClient, type TestApi } from './api-harness.js';

const SITE = 'https://inbox-tests.example';

/** A team of its own for a test, with a site chat channel whose conversations it works. */
export async function newTeamWithChannel(api: TestApi): Promise<{ teamId: string; channelId: string }> {
  const admin = await api.as('admin');
  const team = await admin.post('/teams', { name: `Команда ${randomBytes(4).toString('hex')}` });
  expect(team.status).toBe(201);
  const channel = await admin.post('/channels', {
    type: 'webchat',
    name: `Сайт ${team.body.name}`,
    allowedOrigins: [SITE],
    teamIds: [team.body.id],
  });
  expect(channel.status).toBe(201);
  return { teamId: team.body.id, channelId: channel.body.id };
}

/** A new user of the role in the given teams, signed in. */
export async function newMember(api: TestApi, role: Role, teamIds: string[]): Promise<ApiClient> {
  const user = await api.createUser({ role, teamIds, name: `${role} ${randomBytes(3).toString('hex')}` });
  return api.login(user.email, TEST_PASSWORD);
}

/**
 * A site visitor writes on the channel: the message takes the one ingest path, like a real
 * widget's. Pass `visitorId` to write again in the same conversation.
 */
export async function visitorWrites(
  api: TestApi,
  channelId: string,
  text: string,
  visitorId = `visitor-${randomBytes(6).toString('hex')}`,
): Promise<{ conversation: ConversationView; visitorId: string }> {
  const account = await api.app.services.channels.get(channelId);
  if (!account) throw new Error(`No channel ${channelId}`);
  const [outcome] = await ingestEvents(api.app.services, account, [
    {
      type: 'message',
      externalMessageId: randomBytes(8).toString('hex'),
      from: { externalId: visitorId, name: 'Посетитель сайта' },
      chatId: visitorId,
      sentAt: new Date(),
      content: { kind: 'text', text },
    },
  ]);
  if (outcome?.type !== 'message') throw new Error('The message was not stored');
  const admin = await api.as('admin');
  const conversation = await admin.get(`/conversations/${outcome.message.conversationId}`);
  return { conversation: conversation.body, visitorId };
}

/** An /inbox socket signed in with the client's session cookie, connected. */
export async function inboxSocket(api: TestApi, client: ApiClient): Promise<Socket> {
  const socket = connect(`${api.baseUrl}/inbox`, {
    extraHeaders: { cookie: client.cookie ?? '' },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

/** Every payload of an event a socket receives from now on. */
export function recordEvents<T>(socket: Socket, event: string): T[] {
  const seen: T[] = [];
  socket.on(event, (payload: T) => seen.push(payload));
  return seen;
}
