import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { teamRoom } from '../../server/realtime/inbox-rooms.js';
import { createRealtimePublisher } from '../../server/realtime/realtime-publisher.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

interface MessagePush {
  message: { content: { text?: string } };
}

/**
 * Connection-state recovery through the Redis adapter (issue 8: a brief disconnect loses no
 * event): real Redis, the real app, real socket.io clients whose connection is cut under them.
 */
describe('realtime recovery after a brief disconnect', () => {
  let api: TestApi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  /** An /inbox socket that, like the inbox's, keeps its session for recovery; it comes back only when told to. */
  async function droppableSocket(client: ApiClient): Promise<Socket> {
    const socket = connect(`${api.baseUrl}/inbox`, {
      extraHeaders: { cookie: client.cookie ?? '' },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    return socket;
  }

  function textsOf(socket: Socket, event = 'message.created'): string[] {
    const texts: string[] = [];
    socket.on(event, (payload: MessagePush) => texts.push(payload.message.content.text ?? ''));
    return texts;
  }

  /** The network under the socket goes away (not a disconnect the client asked for): the session is kept. */
  async function cut(socket: Socket): Promise<void> {
    const gone = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.io.engine.close();
    // The client calls it a forced close of its transport; the server sees the transport close, a recoverable end.
    expect(await gone).not.toBe('io client disconnect');
  }

  async function comeBack(socket: Socket): Promise<void> {
    const back = new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    socket.connect();
    await back;
  }

  it('should give an operator back the messages pushed while the connection was down, and a stranger none', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const { channelId: otherChannelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const colleague = await newMember(api, 'operator', [teamId]);
    const stranger = await newMember(api, 'operator', [(await newTeamWithChannel(api)).teamId]);
    const dropped = await droppableSocket(operator);
    const droppedStranger = await droppableSocket(stranger);
    // A colleague who stays connected is the witness that each push went out while the others were away.
    const witness = await inboxSocket(api, colleague);
    sockets.push(witness);
    const [seen, seenByStranger, witnessed] = [textsOf(dropped), textsOf(droppedStranger), textsOf(witness)];

    await visitorWrites(api, channelId, 'до обрыва');
    await visitorWrites(api, otherChannelId, 'другая команда до обрыва');
    await waitUntil('the operator hears the first message', () => (seen.includes('до обрыва') ? true : undefined));

    await Promise.all([cut(dropped), cut(droppedStranger)]);
    await visitorWrites(api, channelId, 'во время обрыва 1');
    await visitorWrites(api, channelId, 'во время обрыва 2');
    await waitUntil('the connected colleague hears both messages', () =>
      witnessed.includes('во время обрыва 2') ? true : undefined,
    );
    expect(seen).toEqual(['до обрыва']);

    await Promise.all([comeBack(dropped), comeBack(droppedStranger)]);
    expect(dropped.recovered).toBe(true);
    expect(droppedStranger.recovered).toBe(true);
    await waitUntil('the operator gets what it missed', () => (seen.length >= 3 ? true : undefined));
    expect(seen).toEqual(['до обрыва', 'во время обрыва 1', 'во время обрыва 2']);

    // After recovery the socket is in its rooms again: new pushes reach it once.
    await visitorWrites(api, channelId, 'после обрыва');
    await waitUntil('the operator hears the next message', () => (seen.includes('после обрыва') ? true : undefined));
    expect(seen).toEqual(['до обрыва', 'во время обрыва 1', 'во время обрыва 2', 'после обрыва']);
    expect(seenByStranger).toEqual([]);
  });

  it("should give back what a worker's emitter pushed through Redis while the connection was down", async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const dropped = await droppableSocket(operator);
    const seen = textsOf(dropped);
    const fromWorker = textsOf(dropped, 'message.updated');
    await visitorWrites(api, channelId, 'до обрыва');
    await waitUntil('the operator hears the first message', () => (seen.includes('до обрыва') ? true : undefined));

    await cut(dropped);
    // A worker process has no Socket.IO server: its pushes reach the web process through Redis.
    const worker = createRealtimePublisher(undefined, api.app.services.redis);
    worker.emit('/inbox', [teamRoom(teamId)], 'message.updated', {
      message: { content: { text: 'статус от воркера' } },
    });
    // The web process has it (its Redis subscription is asynchronous) before the socket comes back.
    const witness = await inboxSocket(api, await newMember(api, 'operator', [teamId]));
    sockets.push(witness);
    const witnessed = textsOf(witness, 'message.updated');
    worker.emit('/inbox', [teamRoom(teamId)], 'message.updated', {
      message: { content: { text: 'второй статус от воркера' } },
    });
    await waitUntil('the web process relays the worker push', () =>
      witnessed.includes('второй статус от воркера') ? true : undefined,
    );

    await comeBack(dropped);
    expect(dropped.recovered).toBe(true);
    await waitUntil('the operator gets both worker pushes', () => (fromWorker.length >= 2 ? true : undefined));
    expect(fromWorker).toEqual(['статус от воркера', 'второй статус от воркера']);
  });
});
