import { randomBytes } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents } from './inbox-fixture.js';

const eventually = (what: string, check: () => boolean) => waitUntil(what, () => (check() ? true : undefined));
const tag = () => randomBytes(4).toString('hex');

interface TimelineEntry {
  kind: string;
  id: string;
  stage?: {
    dealId: string;
    dealTitle: string;
    from?: { id: string; name: string };
    to: { id: string; name: string; kind: string };
    by: { kind: string; name?: string };
    lostReason?: string;
  };
}

describe('the deals board: totals, live deals and stage changes on the timeline', () => {
  let api: TestApi;
  let manager: ApiClient;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(() => api?.close());

  const socketOf = async (client: ApiClient) => {
    const socket = await inboxSocket(api, client);
    sockets.push(socket);
    return socket;
  };

  /** A pipeline of the test's own, so its totals count only the test's deals. */
  const newPipeline = async () => {
    const response = await manager.post('/pipelines', {
      name: `Окна ${tag()}`,
      kind: 'sales',
      stages: [
        { id: 'first', name: 'Первичный контакт', kind: 'open' },
        { id: 'offer', name: 'Предложение', kind: 'open' },
        { id: 'won', name: 'Успешно', kind: 'won' },
        { id: 'lost', name: 'Отказ', kind: 'lost' },
      ],
      lostReasons: ['Дорого'],
    });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body.id as string;
  };

  const newDeal = async (client: ApiClient, body: Record<string, unknown>) => {
    const response = await client.post('/deals', { title: `Сделка ${tag()}`, ...body });
    expect(response.status, JSON.stringify(response.body)).toBe(201);
    return response.body;
  };

  it('should count deals and add amounts per stage and currency, with the owner and title filters', async () => {
    const pipelineId = await newPipeline();
    const operator = await api.as('operator');
    await newDeal(manager, { pipelineId, amount: 100_000.1, title: 'Окна в дом' });
    await newDeal(manager, { pipelineId, amount: 50_000.2 });
    await newDeal(manager, { pipelineId, amount: 10, currency: 'USD' });
    await newDeal(operator, { pipelineId, amount: 7_000, stageId: 'offer' });

    const all = await manager.get(`/deals/totals?pipelineId=${pipelineId}`);
    expect(all.status, JSON.stringify(all.body)).toBe(200);
    const first = all.body.stages.find((stage: { stageId: string }) => stage.stageId === 'first');
    expect(first.count).toBe(3);
    expect(first.amounts).toEqual(
      expect.arrayContaining([
        { currency: 'RUB', amount: 150_000.3 },
        { currency: 'USD', amount: 10 },
      ]),
    );
    expect(all.body.stages.find((stage: { stageId: string }) => stage.stageId === 'offer')).toEqual({
      stageId: 'offer',
      count: 1,
      amounts: [{ currency: 'RUB', amount: 7_000 }],
    });

    const mine = await manager.get(`/deals/totals?pipelineId=${pipelineId}&ownerId=${api.users.operator.id}`);
    expect(mine.body.stages).toEqual([{ stageId: 'offer', count: 1, amounts: [{ currency: 'RUB', amount: 7_000 }] }]);
    const searched = await manager.get(`/deals/totals?pipelineId=${pipelineId}&q=${encodeURIComponent('в дом')}`);
    expect(searched.body.stages).toEqual([
      { stageId: 'first', count: 1, amounts: [{ currency: 'RUB', amount: 100_000.1 }] },
    ]);
    // An operator's board counts only their own deals.
    const operatorView = await operator.get(`/deals/totals?pipelineId=${pipelineId}`);
    expect(operatorView.body.stages).toEqual(mine.body.stages);
  });

  it("should push deal changes to the owner and managers only, and a former owner's last one", async () => {
    const pipelineId = await newPipeline();
    const { teamId } = await newTeamWithChannel(api);
    const owner = await newMember(api, 'operator', [teamId]);
    const teammate = await newMember(api, 'operator', [teamId]);
    const seenByOwner = recordEvents<{ deal: { id: string; stageId: string } }>(await socketOf(owner), 'deal.updated');
    const seenByTeammate = recordEvents<unknown>(await socketOf(teammate), 'deal.updated');
    const seenByManager = recordEvents<{ deal: { id: string; stageId: string } }>(
      await socketOf(manager),
      'deal.updated',
    );

    const deal = await newDeal(owner, { pipelineId, amount: 1000 });
    expect((await owner.post(`/deals/${deal.id}/move`, { stageId: 'offer' })).status).toBe(200);
    expect((await owner.patch(`/deals/${deal.id}`, { amount: 2500 })).status).toBe(200);
    await eventually('the owner and the manager hear the creation, the move and the change', () =>
      [seenByOwner, seenByManager].every((seen) => seen.filter((event) => event.deal.id === deal.id).length === 3),
    );
    expect(seenByOwner.map((event) => event.deal.stageId)).toEqual(['first', 'offer', 'offer']);

    // The deal goes to the teammate: the owner hears it one last time, so their board drops it.
    expect((await manager.patch(`/deals/${deal.id}`, { ownerId: teammate.user!.id })).status).toBe(200);
    await eventually('the former owner hears the hand-over', () => seenByOwner.length === 4);
    await eventually('the new owner hears it', () => seenByTeammate.length === 1);
    expect((await manager.patch(`/deals/${deal.id}`, { amount: 3000 })).status).toBe(200);
    await eventually('the new owner hears the next change', () => seenByTeammate.length === 2);
    expect(seenByOwner).toHaveLength(4);
  });

  it("should put stage changes on the contact's timeline and push them to the contact's team only", async () => {
    const pipelineId = await newPipeline();
    const { teamId } = await newTeamWithChannel(api);
    const other = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const outsider = await newMember(api, 'operator', [other.teamId]);
    const contact = await manager.post('/contacts', { name: `Ирина ${tag()}`, teamIds: [teamId] });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const contactId = contact.body.id as string;
    const seen = recordEvents<{ contactId: string; item: TimelineEntry }>(await socketOf(operator), 'timeline.item');
    const seenOutside = recordEvents<unknown>(await socketOf(outsider), 'timeline.item');

    const deal = await newDeal(operator, { pipelineId, contactId, title: 'Окна ПВХ', amount: 90_000 });
    const later = await operator.post('/tasks', {
      title: 'Отправить КП',
      dealId: deal.id,
      dueAt: '2030-01-02T10:00:00Z',
    });
    const sooner = await operator.post('/tasks', {
      title: 'Позвонить',
      dealId: deal.id,
      dueAt: '2030-01-01T10:00:00Z',
    });
    expect([later.status, sooner.status]).toEqual([201, 201]);
    const listed = await operator.get(`/deals?pipelineId=${pipelineId}`);
    // The card's contact and next task come with the page.
    expect(listed.body.items).toMatchObject([
      {
        id: deal.id,
        contactName: contact.body.name,
        nextTask: { title: 'Позвонить', dueAt: '2030-01-01T10:00:00.000Z' },
      },
    ]);
    expect((await operator.post(`/deals/${deal.id}/move`, { stageId: 'offer' })).status).toBe(200);
    await eventually('the move reaches the contact team', () => seen.length === 1);
    expect(seen[0]).toMatchObject({
      contactId,
      item: {
        kind: 'stage',
        stage: {
          dealId: deal.id,
          dealTitle: 'Окна ПВХ',
          from: { id: 'first', name: 'Первичный контакт' },
          to: { id: 'offer', name: 'Предложение', kind: 'open' },
          by: { kind: 'user', name: operator.user!.name },
        },
      },
    });
    expect((await operator.post(`/deals/${deal.id}/lost`, { reason: 'Дорого' })).status).toBe(200);
    await eventually('the loss reaches the contact team', () => seen.length === 2);
    expect(seenOutside).toEqual([]);

    const timeline = await operator.get(`/contacts/${contactId}/timeline?limit=50`);
    expect(timeline.status, JSON.stringify(timeline.body)).toBe(200);
    const stages = (timeline.body.items as TimelineEntry[]).filter((item) => item.kind === 'stage');
    // Newest first: lost, moved to the offer, created in the first stage.
    expect(stages.map((item) => [item.stage!.from?.id, item.stage!.to.id])).toEqual([
      ['offer', 'lost'],
      ['first', 'offer'],
      [undefined, 'first'],
    ]);
    expect(stages[0]!.stage!.lostReason).toBe('Дорого');
    expect(stages.map((item) => item.id)).toEqual([seen[1]!.item.id, seen[0]!.item.id, expect.any(String)]);
    // The entries page like the rest of the timeline: below a cursor they are not repeated.
    const firstPage = await operator.get(`/contacts/${contactId}/timeline?limit=1`);
    expect(firstPage.body.items.map((item: TimelineEntry) => item.id)).toEqual([stages[0]!.id]);
    const next = await operator.get(`/contacts/${contactId}/timeline?limit=50&cursor=${firstPage.body.nextCursor}`);
    expect(next.body.items.map((item: TimelineEntry) => item.id)).toEqual([stages[1]!.id, stages[2]!.id]);
    // Out of the contact's teams, its timeline is not there at all.
    expect((await outsider.get(`/contacts/${contactId}/timeline`)).status).toBe(404);
  });
});
