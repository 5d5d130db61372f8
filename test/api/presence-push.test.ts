import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents } from './inbox-fixture.js';

interface PresencePush {
  userId: string;
  status: string;
}

describe('presence pushes', () => {
  let api: TestApi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await api?.close();
  });

  it("should tell the operator's team and managers when they come, go away, appear offline and leave, and never another team", async () => {
    const { teamId } = await newTeamWithChannel(api);
    const { teamId: otherTeamId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const colleague = await newMember(api, 'operator', [teamId]);
    const stranger = await newMember(api, 'operator', [otherTeamId]);
    const manager = await api.as('manager');
    const listeners = await Promise.all([colleague, stranger, manager].map((client) => inboxSocket(api, client)));
    sockets.push(...listeners);
    const [heardByColleague, heardByStranger, heardByManager] = listeners.map((socket) =>
      recordEvents<PresencePush>(socket, 'presence.changed'),
    );
    const operatorId = operator.user!.id;
    const statusesOf = (seen: PresencePush[]) =>
      seen.filter((push) => push.userId === operatorId).map((push) => push.status);

    const own = await inboxSocket(api, operator);
    await waitUntil('the colleague hears the operator come', () =>
      statusesOf(heardByColleague!).includes('online') ? true : undefined,
    );
    expect((await operator.patch('/me/presence', { status: 'away' })).body.status).toBe('away');
    await waitUntil('the manager hears the operator go away', () =>
      statusesOf(heardByManager!).includes('away') ? true : undefined,
    );
    expect((await operator.patch('/me/presence', { status: 'offline' })).body.status).toBe('offline');
    expect((await operator.get('/me/presence')).body.status).toBe('offline');
    expect((await operator.patch('/me/presence', { status: 'online' })).body.status).toBe('online');
    own.disconnect();
    await waitUntil('the colleague hears the operator leave', () =>
      statusesOf(heardByColleague!).at(-1) === 'offline' ? true : undefined,
    );
    expect(statusesOf(heardByColleague!)).toEqual(['online', 'away', 'offline', 'online', 'offline']);
    expect(statusesOf(heardByStranger!)).toEqual([]);
  });
});
