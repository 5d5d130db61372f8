import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newMember, newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

type Hit = { message: { conversationId: string; content: { text?: string } }; conversation: { id: string } };

describe('message search', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  const found = async (client: ApiClient, query: string) => {
    const response = await client.get(`/search/messages?${query}`);
    expect(response.status, JSON.stringify(response.body)).toBe(200);
    return response.body.items.map((hit: Hit) => hit.conversation.id).sort();
  };

  it('should find words in any form, only in conversations the user may see, with filters', async () => {
    const x = await newTeamWithChannel(api);
    const y = await newTeamWithChannel(api);
    const operatorX = await newMember(api, 'operator', [x.teamId]);
    const operatorY = await newMember(api, 'operator', [y.teamId]);
    // A made-up word keeps this test's messages apart from any other's.
    const word = `ламинат${randomBytes(3).toString('hex').replace(/\d/g, 'ж')}`;
    const ofX = (await visitorWrites(api, x.channelId, `Нужно окно на кухню и ${word}`)).conversation;
    const alsoX = (await visitorWrites(api, x.channelId, `Сколько стоит ${word}?`)).conversation;
    const ofY = (await visitorWrites(api, y.channelId, `Поставьте окна в спальню, ${word}`)).conversation;

    const q = encodeURIComponent(word);
    expect(await found(operatorX, `q=${q}`)).toEqual([ofX.id, alsoX.id].sort());
    expect(await found(operatorY, `q=${q}`)).toEqual([ofY.id]);
    expect(await found(manager, `q=${q}`)).toEqual([ofX.id, alsoX.id, ofY.id].sort());
    // Stemmed: «окна» finds «окно»; a phrase and an exclusion narrow it.
    expect(await found(manager, `q=${encodeURIComponent(`окна ${word}`)}&teamId=${x.teamId}`)).toEqual(
      [ofX.id, alsoX.id].sort(),
    );
    expect(await found(manager, `q=${encodeURIComponent(`"${word}" -кухню`)}`)).toEqual([alsoX.id, ofY.id].sort());

    await manager.patch(`/conversations/${alsoX.id}`, {
      assigneeId: operatorX.user!.id,
      addLabels: ['смета'],
      status: 'pending',
    });
    expect(await found(operatorX, `q=${q}&assignee=me`)).toEqual([alsoX.id]);
    expect(await found(operatorX, `q=${q}&label=${encodeURIComponent('смета')}`)).toEqual([alsoX.id]);
    expect(await found(operatorX, `q=${q}&status=open`)).toEqual([ofX.id]);
    expect(await found(manager, `q=${q}&channel=telegram`)).toEqual([]);
    expect(await found(manager, `q=${q}&channel=webchat&assignee=unassigned`)).toEqual([ofX.id, ofY.id].sort());
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    const later = new Date(Date.now() + 3600_000).toISOString();
    expect(await found(manager, `q=${q}&from=${encodeURIComponent(hourAgo)}`)).toHaveLength(3);
    expect(await found(manager, `q=${q}&from=${encodeURIComponent(later)}`)).toEqual([]);
    expect((await manager.get('/search/messages')).status).toBe(400);
  });
});
