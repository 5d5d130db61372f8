import type { Socket } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { outboundQueueName } from '../../server/messaging/outbound-queue.js';
import type { NoteView } from '../../server/notes/note-schemas.js';
import type { NotificationView } from '../../server/notifications/notification-schemas.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { inboxSocket, newMember, newTeamWithChannel, recordEvents, visitorWrites } from './inbox-fixture.js';

const eventually = (what: string, check: () => boolean) => waitUntil(what, () => (check() ? true : undefined));

describe('private notes in conversations', () => {
  let api: TestApi;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    api = await startTestApi();
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

  it('should notify the mentioned colleague, keep the note off the channel and put it on the contact timeline', async () => {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const other = await newTeamWithChannel(api);
    const author = await newMember(api, 'operator', [teamId]);
    const colleague = await newMember(api, 'operator', [teamId]);
    const outsider = await newMember(api, 'operator', [other.teamId]);
    const { conversation } = await visitorWrites(api, channelId, 'Хочу дом 120 м², бюджет 6 млн');
    const path = `/conversations/${conversation.id}`;

    const colleagueSocket = await socketOf(colleague);
    const outsiderSocket = await socketOf(outsider);
    const notified = recordEvents<{ notification: NotificationView }>(colleagueSocket, 'notification.created');
    const notesSeen = recordEvents<{ note: NoteView }>(colleagueSocket, 'note.created');
    const outsiderNotes = recordEvents<{ note: NoteView }>(outsiderSocket, 'note.created');
    const outsiderNotified = recordEvents<unknown>(outsiderSocket, 'notification.created');

    const text = `@${colleague.user!.name} посмотри бюджет, клиент готов к ипотеке`;
    const created = await author.post(`${path}/notes`, { text, mentionedUserIds: [colleague.user!.id] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({
      entity: 'contact',
      entityId: conversation.contactId,
      conversationId: conversation.id,
      mentionedUserIds: [colleague.user!.id],
      authorId: author.user!.id,
    });

    await eventually('the mention reaches the colleague', () => notified.length === 1 && notesSeen.length === 1);
    expect(notified[0]!.notification).toMatchObject({
      kind: 'mention',
      conversationId: conversation.id,
      noteId: created.body.id,
      actor: { id: author.user!.id },
    });
    const list = await colleague.get('/notifications');
    expect(list.body.unread).toBe(1);
    expect(list.body.items.map((item: NotificationView) => item.noteId)).toEqual([created.body.id]);
    expect((await author.get('/notifications')).body.items).toEqual([]);
    // Nobody marks another's notification: for them it does not exist.
    expect((await author.post(`/notifications/${list.body.items[0].id}/read`)).status).toBe(404);
    const read = await colleague.post(`/notifications/${list.body.items[0].id}/read`);
    expect(read.body.readAt).toBeDefined();
    expect((await colleague.get('/notifications?unread=true')).body).toMatchObject({ items: [], unread: 0 });

    // On the conversation's notes and the contact's timeline; never a message, never queued for the channel.
    expect((await author.get(`${path}/notes`)).body.items.map((note: NoteView) => note.id)).toEqual([created.body.id]);
    const timeline = await author.get(`/contacts/${conversation.contactId}/timeline`);
    expect(timeline.body.items.map((item: { kind: string }) => item.kind).sort()).toEqual(['message', 'note']);
    const messages = await author.get(`${path}/messages`);
    expect(messages.body.items.map((message: { direction: string }) => message.direction)).toEqual(['in']);
    const counts = await api.app.queues.queue(outboundQueueName(channelId)).getJobCounts();
    expect(Object.values(counts).reduce((sum, count) => sum + count, 0)).toBe(0);

    // A mention must not leak the conversation to someone who cannot see it.
    const leaking = await author.post(`${path}/notes`, { text: 'и ты глянь', mentionedUserIds: [outsider.user!.id] });
    expect(leaking.status).toBe(400);
    expect(leaking.body.error.details.refused).toEqual([outsider.user!.id]);
    expect((await author.get(`${path}/notes`)).body.items).toHaveLength(1);
    expect((await outsider.post(`${path}/notes`, { text: 'чужая' })).status).toBe(404);
    expect(outsiderNotes).toEqual([]);
    expect(outsiderNotified).toEqual([]);
  });

  it('should let only those who write notes add them', async () => {
    const { channelId } = await newTeamWithChannel(api);
    const { conversation } = await visitorWrites(api, channelId, 'Привет');
    const marketer = await api.as('marketer');
    expect((await marketer.post(`/conversations/${conversation.id}/notes`, { text: 'нельзя' })).status).toBe(403);
    const manager = await api.as('manager');
    expect((await manager.post(`/conversations/${conversation.id}/notes`, { text: 'можно' })).status).toBe(201);
  });
});
