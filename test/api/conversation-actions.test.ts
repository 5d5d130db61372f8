import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../server/events/domain-events.js';
import type { ConversationView } from '../../server/messaging/message-views.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents, visitorWrites } from './inbox-fixture.js';

type Pushed = { conversation: ConversationView };
const ids = (page: { items: { id: string }[] }) => page.items.map((item) => item.id);
const eventually = (what: string, check: () => boolean | Promise<boolean>, timeoutMs?: number) =>
  waitUntil(what, async () => ((await check()) ? true : undefined), timeoutMs);

describe('conversation actions', () => {
  let api: TestApi;
  let manager: ApiClient;
  const sockets: Socket[] = [];
  const events: DomainEvent[] = [];

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
    api.app.services.events.on('conversation.assigned', (event) => void events.push(event));
    api.app.services.events.on('conversation.status', (event) => void events.push(event));
  });
  afterEach(() => {
    for (const socket of sockets.splice(0)) socket.disconnect();
  });
  afterAll(async () => {
    await api?.close();
  });

  const socketOf = async (client: ApiClient) => {
    const socket = await inboxSocket(api, client);
    sockets.push(socket);
    return socket;
  };
  const eventsOf = (conversationId: string) =>
    events.filter((event) => 'conversation' in event && event.conversation?.id === conversationId);

  it('should change status, priority and labels, audit it, count labels and filter the list by them', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Сколько стоит каркасный дом?');
    const label = `ипотека-${conversation.id.slice(-6)}`;

    const changed = await operator.patch(`/conversations/${conversation.id}`, {
      status: 'pending',
      priority: 'high',
      addLabels: [` ${label.toUpperCase()} `, 'vip'],
    });
    expect(changed.status, JSON.stringify(changed.body)).toBe(200);
    expect(changed.body).toMatchObject({ status: 'pending', priority: 'high', labels: [label, 'vip'] });
    const removed = await operator.patch(`/conversations/${conversation.id}`, { removeLabels: ['vip'] });
    expect(removed.body.labels).toEqual([label]);

    const labels = await operator.get('/conversation-labels');
    expect(labels.body.items).toContainEqual({ label, count: 1 });
    const byLabel = await operator.get(`/conversations?label=${encodeURIComponent(label)}`);
    expect(ids(byLabel.body)).toEqual([conversation.id]);
    const filtered = await operator.get(`/conversations?status=pending&priority=high&teamId=${teamId}&channel=webchat`);
    expect(ids(filtered.body)).toEqual([conversation.id]);
    expect(ids((await operator.get(`/conversations?teamId=${teamId}&priority=low`)).body)).toEqual([]);

    const audit = await manager.get(`/audit?entity=conversation&entityId=${conversation.id}`);
    expect(audit.status).toBe(200);
    expect(audit.body.items.length).toBe(2);
    expect(audit.body.items[1]).toMatchObject({
      action: 'conversation.update',
      actor: { id: operator.user!.id, name: operator.user!.name },
    });
    expect(eventsOf(conversation.id)).toContainEqual(
      expect.objectContaining({ type: 'conversation.status', previousStatus: 'open', by: expect.anything() }),
    );

    expect((await operator.patch(`/conversations/${conversation.id}`, { status: 'snoozed' })).status).toBe(400);
    expect((await operator.patch(`/conversations/${conversation.id}`, { priority: 'critical' })).status).toBe(400);
  });

  it('should let operators take unassigned conversations and hand back their own, and only managers reassign', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const other = await newTeamWithChannel(api);
    const first = await newMember(api, 'operator', [teamId]);
    const second = await newMember(api, 'operator', [teamId]);
    const outsider = await newMember(api, 'operator', [other.teamId]);
    const marketer = await api.as('marketer');
    const { conversation } = await visitorWrites(api, channelId, 'Здравствуйте');
    const path = `/conversations/${conversation.id}`;

    expect((await first.get(`/conversations?assignee=unassigned&teamId=${teamId}`)).body.items).toHaveLength(1);
    expect((await first.patch(path, { assigneeId: second.user!.id })).status).toBe(403);
    expect((await first.patch(path, { assigneeId: first.user!.id })).body.assigneeId).toBe(first.user!.id);
    expect(ids((await first.get('/conversations?assignee=me')).body)).toEqual([conversation.id]);
    expect((await second.patch(path, { assigneeId: second.user!.id })).status).toBe(403);
    expect((await second.patch(path, { teamId: other.teamId })).status).toBe(403);
    expect((await outsider.patch(path, { status: 'resolved' })).status).toBe(404);
    expect((await marketer.patch(path, { status: 'resolved' })).status).toBe(403);

    // An assignee must see the conversation without being its assignee: an operator of another team does not.
    const refused = await manager.patch(path, { assigneeId: outsider.user!.id });
    expect(refused.status).toBe(400);
    expect((await manager.patch(path, { assigneeId: marketer.user!.id })).status).toBe(400);
    expect((await manager.patch(path, { assigneeId: second.user!.id })).body.assigneeId).toBe(second.user!.id);
    expect(ids((await manager.get(`/conversations?assignee=${second.user!.id}`)).body)).toEqual([conversation.id]);
    expect((await second.patch(path, { assigneeId: null })).body.assigneeId).toBeUndefined();
    expect(eventsOf(conversation.id).filter((event) => event.type === 'conversation.assigned')).toHaveLength(3);
  });

  it('should give an unassigned conversation to whoever replies to it, and keep an assigned one with its assignee', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const first = await newMember(api, 'operator', [teamId]);
    const second = await newMember(api, 'operator', [teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Есть ли у вас рассрочка?');
    const path = `/conversations/${conversation.id}`;

    const reply = await first.post(`${path}/messages`, { text: 'Да, до 12 месяцев без переплаты' });
    expect(reply.status, JSON.stringify(reply.body)).toBe(202);
    expect((await first.get(path)).body.assigneeId).toBe(first.user!.id);
    expect(ids((await first.get('/conversations?assignee=me')).body)).toEqual([conversation.id]);
    expect(eventsOf(conversation.id)).toContainEqual(
      expect.objectContaining({ type: 'conversation.assigned', by: { id: first.user!.id, name: first.user!.name } }),
    );
    const audit = await manager.get(`/audit?entity=conversation&entityId=${conversation.id}`);
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'conversation.update', actor: { id: first.user!.id, name: first.user!.name } }),
    );

    // A manager's word in someone's conversation leaves it theirs.
    expect((await manager.post(`${path}/messages`, { text: 'Подключаюсь: уточню сроки' })).status).toBe(202);
    expect((await second.get(path)).body.assigneeId).toBe(first.user!.id);
  });

  it("should move a conversation between operators' rooms when it is reassigned across teams", async () => {
    const x = await newTeamWithChannel(api);
    const y = await newTeamWithChannel(api);
    const before = await newMember(api, 'operator', []);
    const after = await newMember(api, 'operator', [y.teamId]);
    const { conversation } = await visitorWrites(api, x.channelId, 'Нужна консультация');
    const path = `/conversations/${conversation.id}`;
    expect((await manager.patch(path, { assigneeId: before.user!.id, teamId: null })).status).toBe(400);
    const beforeClient = await newMember(api, 'operator', [x.teamId]);
    expect((await manager.patch(path, { assigneeId: beforeClient.user!.id })).status).toBe(200);

    const formerSocket = await socketOf(beforeClient);
    const newSocket = await socketOf(after);
    const formerSaw = recordEvents<Pushed>(formerSocket, 'conversation.updated');
    const newSaw = recordEvents<Pushed>(newSocket, 'conversation.updated');
    const moved = await manager.patch(path, { teamId: y.teamId, assigneeId: after.user!.id });
    expect(moved.status, JSON.stringify(moved.body)).toBe(200);

    await eventually('both operators hear the move', () => formerSaw.length > 0 && newSaw.length > 0);
    expect(formerSaw[0]!.conversation).toMatchObject({ id: conversation.id, assigneeId: after.user!.id });
    expect(newSaw[0]!.conversation.teamIds).toEqual([y.teamId]);
    // The former assignee's list drops it (the contact's page still shows them its history).
    expect(ids((await beforeClient.get('/conversations')).body)).not.toContain(conversation.id);
    expect(ids((await after.get('/conversations?assignee=me')).body)).toEqual([conversation.id]);
    expect(eventsOf(conversation.id)).toContainEqual(
      expect.objectContaining({
        type: 'conversation.assigned',
        previous: { assigneeId: beforeClient.user!.id, teamIds: [x.teamId] },
      }),
    );
  });

  it("should never push team Y's conversations to an operator of team X", async () => {
    const x = await newTeamWithChannel(api);
    const y = await newTeamWithChannel(api);
    const operatorX = await newMember(api, 'operator', [x.teamId]);
    const operatorY = await newMember(api, 'operator', [y.teamId]);
    const [socketX, socketY] = [await socketOf(operatorX), await socketOf(operatorY)];
    const seenByX = recordEvents<Pushed>(socketX, 'message.created');
    const heardByX = recordEvents<Pushed>(socketX, 'conversation.updated');
    const seenByY = recordEvents<Pushed>(socketY, 'message.created');
    const heardByY = recordEvents<Pushed>(socketY, 'conversation.updated');

    const ofY = await visitorWrites(api, y.channelId, 'Вопрос команде Y');
    await operatorY.patch(`/conversations/${ofY.conversation.id}`, { status: 'pending', addLabels: ['y'] });
    await operatorY.post(`/conversations/${ofY.conversation.id}/read`);
    // A change in X afterwards: once X hears it, anything of Y's sent before would have arrived too.
    const ofX = await visitorWrites(api, x.channelId, 'Вопрос команде X');
    await operatorX.patch(`/conversations/${ofX.conversation.id}`, { priority: 'urgent' });

    await eventually(
      'each team hears its own',
      () => heardByX.length > 0 && heardByY.length >= 2 && seenByY.length > 0,
    );
    const touchedByX = [...seenByX, ...heardByX].map((event) => event.conversation.id);
    expect(touchedByX).toContain(ofX.conversation.id);
    expect(touchedByX).not.toContain(ofY.conversation.id);
    expect([...seenByY, ...heardByY].map((event) => event.conversation.id)).not.toContain(ofX.conversation.id);
  });

  it('should reopen a snoozed conversation when the snooze ends', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Перезвоните завтра');
    const path = `/conversations/${conversation.id}`;
    expect(
      (await operator.patch(path, { status: 'snoozed', snoozedUntil: new Date(Date.now() - 1000).toISOString() }))
        .status,
    ).toBe(400);

    const socket = await socketOf(operator);
    const pushed = recordEvents<Pushed>(socket, 'conversation.updated');
    const until = new Date(Date.now() + 1500).toISOString();
    const snoozed = await operator.patch(path, { status: 'snoozed', snoozedUntil: until });
    expect(snoozed.body).toMatchObject({ status: 'snoozed', snoozedUntil: until });
    expect(ids((await operator.get(`/conversations?status=snoozed&teamId=${teamId}`)).body)).toEqual([conversation.id]);

    await eventually('the snooze ends', async () => (await operator.get(path)).body.status === 'open');
    expect((await operator.get(path)).body.snoozedUntil).toBeUndefined();
    await eventually('the reopening is pushed', () => pushed.some((event) => event.conversation.status === 'open'));
    expect(eventsOf(conversation.id)).toContainEqual(
      expect.objectContaining({ type: 'conversation.status', previousStatus: 'snoozed', by: null }),
    );
  });

  it('should reopen a snoozed or resolved conversation when the person writes again, and not when its old snooze ends', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Добрый день');
    const path = `/conversations/${conversation.id}`;
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    expect((await operator.patch(path, { status: 'snoozed', snoozedUntil: until })).status).toBe(200);

    await visitorWrites(api, channelId, 'Я передумал, ответьте сейчас', visitorId);
    const reopened = (await operator.get(path)).body;
    expect(reopened.status).toBe('open');
    expect(reopened.snoozedUntil).toBeUndefined();

    expect((await operator.patch(path, { status: 'resolved' })).body.status).toBe('resolved');
    await visitorWrites(api, channelId, 'И ещё вопрос', visitorId);
    expect((await operator.get(path)).body.status).toBe('open');
    const reopenings = eventsOf(conversation.id).filter((event) => event.type === 'conversation.status' && !event.by);
    expect(reopenings.map((event) => event.type === 'conversation.status' && event.previousStatus)).toEqual([
      'snoozed',
      'resolved',
    ]);
  });

  it('should reset the unread count when the assignee reads the conversation, not when a manager looks', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const operator = await newMember(api, 'operator', [teamId]);
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Первое');
    await visitorWrites(api, channelId, 'Второе', visitorId);
    const path = `/conversations/${conversation.id}`;
    expect((await operator.get(path)).body.unreadCount).toBe(2);
    expect((await operator.patch(path, { assigneeId: operator.user!.id })).status).toBe(200);

    expect((await manager.post(`${path}/read`)).body.unreadCount).toBe(2);
    const socket = await socketOf(operator);
    const pushed = recordEvents<Pushed>(socket, 'conversation.updated');
    const read = await operator.post(`${path}/read`);
    expect(read.status).toBe(200);
    expect(read.body.unreadCount).toBe(0);
    await eventually('the read is pushed', () => pushed.some((event) => event.conversation.unreadCount === 0));
    // A marketer reads conversations of their scope only: outside it the conversation does not exist.
    expect((await (await api.as('marketer')).post(`${path}/read`)).status).toBe(404);
  });
});
