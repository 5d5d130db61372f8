import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoAssignConversation } from '../../server/messaging/auto-assign-conversation.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

describe('auto-assignment', () => {
  let api: TestApi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi({ env: { INBOX_OPERATOR_CAPACITY: '2' } });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  const goOnline = async (client: ApiClient) => {
    sockets.push(await inboxSocket(api, client));
    await waitUntil('the operator is online', async () =>
      (await client.get('/me/presence')).body.status === 'online' ? true : undefined,
    );
  };
  const assigneeOf = (conversationId: string) =>
    waitUntil('the conversation is assigned', async () => {
      const conversation = await api.as('manager').then((manager) => manager.get(`/conversations/${conversationId}`));
      return conversation.body.assigneeId as string | undefined;
    });

  it('should give new conversations round robin to online operators of the team, skipping away, offline and full ones', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const manager = await api.as('manager');
    const [first, second, full, away, offline] = [
      await newMember(api, 'operator', [teamId]),
      await newMember(api, 'operator', [teamId]),
      await newMember(api, 'operator', [teamId]),
      await newMember(api, 'operator', [teamId]),
      await newMember(api, 'operator', [teamId]),
    ];
    const elsewhere = await newMember(api, 'operator', []);

    // Nobody is online yet: the first conversations wait in the unassigned queue.
    const waiting = [
      (await visitorWrites(api, channelId, 'Раз')).conversation,
      (await visitorWrites(api, channelId, 'Два')).conversation,
    ];
    for (const conversation of waiting) {
      expect(await autoAssignConversation(api.app.services, conversation.id)).toBeUndefined();
      expect((await manager.get(`/conversations/${conversation.id}`)).body.assigneeId).toBeUndefined();
    }
    const queue = await manager.get(`/conversations?assignee=unassigned&teamId=${teamId}`);
    expect(queue.body.items).toHaveLength(2);
    for (const conversation of waiting)
      expect((await manager.patch(`/conversations/${conversation.id}`, { assigneeId: full.user!.id })).status).toBe(
        200,
      );

    for (const client of [first, second, full, away, elsewhere]) await goOnline(client);
    expect((await away.patch('/me/presence', { status: 'away' })).body.status).toBe('away');
    expect((await offline.get('/me/presence')).body.status).toBe('offline');

    const given: string[] = [];
    for (const text of ['Три', 'Четыре', 'Пять', 'Шесть']) {
      const { conversation } = await visitorWrites(api, channelId, text);
      given.push(await assigneeOf(conversation.id));
    }
    expect(given).toEqual([first.user!.id, second.user!.id, first.user!.id, second.user!.id]);

    // Both are full now (capacity 2): the next one waits, until one of them resolves a conversation.
    const next = (await visitorWrites(api, channelId, 'Семь')).conversation;
    expect(await autoAssignConversation(api.app.services, next.id)).toBeUndefined();
    const mine = await first.get('/conversations?assignee=me&status=open');
    expect((await first.patch(`/conversations/${mine.body.items[0].id}`, { status: 'resolved' })).status).toBe(200);
    expect((await autoAssignConversation(api.app.services, next.id))?.assigneeId).toBe(first.user!.id);

    // Back from away: counted again.
    expect((await away.patch('/me/presence', { status: 'online' })).body.status).toBe('online');
    const after = (await visitorWrites(api, channelId, 'Восемь')).conversation;
    expect(await assigneeOf(after.id)).toBe(away.user!.id);

    for (const socket of sockets.splice(0)) socket.disconnect();
    for (const client of [first, second, full, away, elsewhere])
      await waitUntil('the operator is offline', async () =>
        (await client.get('/me/presence')).body.status !== 'online' ? true : undefined,
      );
  });

  it('should count an operator offline once their last inbox socket closes', async () => {
    const { teamId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const socket = await inboxSocket(api, operator);
    await waitUntil('online', async () =>
      (await operator.get('/me/presence')).body.status === 'online' ? true : undefined,
    );
    socket.disconnect();
    await waitUntil('offline', async () =>
      (await operator.get('/me/presence')).body.status === 'offline' ? true : undefined,
    );
    expect((await (await api.as('marketer')).get('/me/presence')).status).toBe(403);
  });
});
