import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/events/domain-events.js';
import type { ConversationView } from '../../server/messaging/message-views.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents, visitorWrites } from './inbox-fixture.js';

describe('handing a conversation back to the bot', () => {
  let api: TestApi;
  const sockets: Socket[] = [];
  const events: Extract<DomainEvent, { type: 'conversation.handler' }>[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    api.app.services.events.on('conversation.handler', (event) => void events.push(event));
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('should give the bot back a conversation a person took over, as pending, and tell the inbox and the bot', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const colleague = await newMember(api, 'operator', [teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Хочу рассчитать дом 10×12');
    expect(conversation.handler).toBe('bot');
    expect((await operator.patch(`/conversations/${conversation.id}`, { assigneeId: operator.user!.id })).status).toBe(
      200,
    );
    const reply = await operator.post(`/conversations/${conversation.id}/messages`, { text: 'Здравствуйте!' });
    expect(reply.status).toBe(202);
    expect((await operator.get(`/conversations/${conversation.id}`)).body.handler).toBe('human');

    const socket = await inboxSocket(api, colleague);
    sockets.push(socket);
    const pushed = recordEvents<{ conversation: ConversationView }>(socket, 'conversation.updated');

    const refused = await colleague.patch(`/conversations/${conversation.id}`, { handler: 'bot' });
    expect(refused.status).toBe(403);

    const handed = await operator.patch(`/conversations/${conversation.id}`, { handler: 'bot' });
    expect(handed.status, JSON.stringify(handed.body)).toBe(200);
    expect(handed.body).toMatchObject({ handler: 'bot', status: 'pending', assigneeId: operator.user!.id });
    await waitUntil('the colleague hears of it', () =>
      pushed.find((push) => push.conversation.id === conversation.id && push.conversation.handler === 'bot'),
    );
    expect(events.filter((event) => event.conversation.id === conversation.id)).toEqual([
      expect.objectContaining({
        previousHandler: 'human',
        by: { id: operator.user!.id, name: operator.user!.name },
        conversation: expect.objectContaining({ handler: 'bot' }),
      }),
    ]);

    // Taking it over again without a reply keeps the status the operator sees.
    const taken = await operator.patch(`/conversations/${conversation.id}`, { handler: 'human' });
    expect(taken.body).toMatchObject({ handler: 'human', status: 'pending' });
  });

  it('should let a manager switch the bot on in anyone’s conversation, and refuse an unknown handler', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const manager = await api.as('manager');
    const { conversation } = await visitorWrites(api, channelId, 'Есть ли рассрочка?');
    await operator.patch(`/conversations/${conversation.id}`, { assigneeId: operator.user!.id, handler: 'human' });

    expect((await manager.patch(`/conversations/${conversation.id}`, { handler: 'robot' })).status).toBe(400);
    // With a status of its own the change keeps that status.
    const handed = await manager.patch(`/conversations/${conversation.id}`, { handler: 'bot', status: 'open' });
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ handler: 'bot', status: 'open' });

    const audit = await manager.get(`/audit?entity=conversation&entityId=${conversation.id}`);
    expect(audit.body.items[0]).toMatchObject({
      action: 'conversation.update',
      before: expect.objectContaining({ handler: 'human' }),
      after: expect.objectContaining({ handler: 'bot' }),
    });
  });
});
