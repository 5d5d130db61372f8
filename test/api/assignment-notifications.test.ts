import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationView } from '../../server/notifications/notification-schemas.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents, visitorWrites } from './inbox-fixture.js';

describe('assignment notifications', () => {
  let api: TestApi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  it('should tell the operator a manager gave a conversation to, and nobody who takes one themselves', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const manager = await api.as('manager');
    const operator = await newMember(api, 'operator', [teamId]);
    const colleague = await newMember(api, 'operator', [teamId]);
    // Written while nobody is online, so auto-assignment leaves it in the queue for the manager.
    const { conversation } = await visitorWrites(api, channelId, 'Нужна рассрочка на окна');
    const socket = await inboxSocket(api, operator);
    sockets.push(socket);
    const pushed = recordEvents<{ notification: NotificationView }>(socket, 'notification.created');

    const given = await manager.patch(`/conversations/${conversation.id}`, { assigneeId: operator.user!.id });
    expect(given.status, JSON.stringify(given.body)).toBe(200);
    await waitUntil('the assignment reaches the operator', () => (pushed.length === 1 ? true : undefined));
    expect(pushed[0]!.notification).toMatchObject({
      kind: 'assignment',
      conversationId: conversation.id,
      contactId: conversation.contactId,
      actor: { id: manager.user!.id, name: manager.user!.name },
    });
    expect(pushed[0]!.notification.preview).toContain('Нужна рассрочка на окна');
    const list = await operator.get('/notifications');
    expect(list.body).toMatchObject({ unread: 1, items: [{ kind: 'assignment', conversationId: conversation.id }] });

    // Handing it back and taking it again is the operator's own doing: nothing new to tell.
    expect((await operator.patch(`/conversations/${conversation.id}`, { assigneeId: null })).status).toBe(200);
    expect(
      (await colleague.patch(`/conversations/${conversation.id}`, { assigneeId: colleague.user!.id })).status,
    ).toBe(200);
    expect((await colleague.get('/notifications')).body.items).toEqual([]);
    expect((await operator.get('/notifications')).body.unread).toBe(1);
  });

  it('should tell the operator auto-assignment picked, with no actor', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const socket = await inboxSocket(api, operator);
    sockets.push(socket);
    const pushed = recordEvents<{ notification: NotificationView }>(socket, 'notification.created');
    await waitUntil('the operator is online', async () =>
      (await operator.get('/me/presence')).body.status === 'online' ? true : undefined,
    );

    const { conversation } = await visitorWrites(api, channelId, 'Здравствуйте, сколько стоит дом?');
    await waitUntil('the auto-assignment reaches the operator', () => (pushed.length === 1 ? true : undefined));
    expect(pushed[0]!.notification).toMatchObject({ kind: 'assignment', conversationId: conversation.id, actor: null });
  });
});
