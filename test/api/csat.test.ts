import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestEvents } from '../../server/messaging/ingest-events.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

interface Message {
  direction: string;
  content: { kind: string; text?: string };
  buttons?: { id: string; text: string }[];
}

describe('CSAT', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(() => api?.close());

  const ratingRequest = (conversationId: string) =>
    waitUntil('the rating request is queued', async () => {
      const messages = await manager.get(`/conversations/${conversationId}/messages`);
      return (messages.body.items as Message[]).find((message) => message.direction === 'out' && message.buttons);
    });

  it('should ask the client to rate a resolved conversation, keep the tap as its rating and count it for managers', async () => {
    const { channelId } = await newTeamWithChannel(api);
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Спасибо, всё понятно');
    const before = (await manager.get('/csat/summary')).body.count as number;

    expect((await manager.patch(`/conversations/${conversation.id}`, { status: 'resolved' })).status).toBe(200);
    const request = await ratingRequest(conversation.id);
    expect(request.content.text).toMatch(/Оцените/);
    expect(request.buttons!.map((button) => button.text)).toEqual(['★', '★★', '★★★', '★★★★', '★★★★★']);
    const five = request.buttons![4]!;
    expect(five.id).toBe(`csat:${conversation.id}:5`);

    const unreadBefore = (await manager.get(`/conversations/${conversation.id}`)).body.unreadCount as number;
    // The visitor's tap comes in through ingest like any message.
    const account = (await api.app.services.channels.get(channelId))!;
    await ingestEvents(api.app.services, account, [
      {
        type: 'message',
        externalMessageId: randomBytes(8).toString('hex'),
        from: { externalId: visitorId },
        chatId: visitorId,
        sentAt: new Date(),
        content: { kind: 'button', payload: five.id, text: five.text },
      },
    ]);
    const summary = await waitUntil('the rating is counted', async () => {
      const response = await manager.get('/csat/summary');
      return response.body.count > before ? response.body : undefined;
    });
    expect(summary.byScore['5']).toBeGreaterThanOrEqual(1);
    expect(summary.satisfied).toBeGreaterThan(0);
    const channelSummary = await manager.get(
      `/csat/summary?channel=webchat&from=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}`,
    );
    expect(channelSummary.body).toMatchObject({ count: 1, average: 5, satisfied: 1 });

    // A rating is not the client writing again: the conversation stays resolved, nothing unread.
    const after = (await manager.get(`/conversations/${conversation.id}`)).body;
    expect(after).toMatchObject({ status: 'resolved', unreadCount: unreadBefore });

    // Reopened and resolved again: asked again, once.
    await manager.patch(`/conversations/${conversation.id}`, { status: 'open' });
    await manager.patch(`/conversations/${conversation.id}`, { status: 'resolved' });
    await waitUntil('a second request is queued', async () => {
      const messages = await manager.get(`/conversations/${conversation.id}/messages`);
      const requests = (messages.body.items as Message[]).filter((message) => message.buttons);
      return requests.length === 2 ? true : undefined;
    });

    expect((await (await api.as('operator')).get('/csat/summary')).status).toBe(403);
  });

  it('should not ask on channels without ratings, nor when nobody resolved it by hand', async () => {
    const { channelId } = await newTeamWithChannel(api);
    const { conversation } = await visitorWrites(api, channelId, 'Вопрос');
    const events = api.app.services.events;
    const conversationView = (await manager.get(`/conversations/${conversation.id}`)).body;
    // A snooze ending or a flow resolving (no person) asks nobody.
    events.emit({
      type: 'conversation.status',
      conversation: { ...conversationView, status: 'resolved' },
      previousStatus: 'open',
      by: null,
    });
    // A channel outside CSAT_CHANNELS asks nobody either.
    events.emit({
      type: 'conversation.status',
      conversation: { ...conversationView, status: 'resolved', channel: 'email' },
      previousStatus: 'open',
      by: { id: api.users.manager.id, name: 'Test manager' },
    });
    await new Promise((resolve) => setTimeout(resolve, 500));
    const messages = await manager.get(`/conversations/${conversation.id}/messages`);
    expect((messages.body.items as Message[]).filter((message) => message.buttons)).toEqual([]);
  });
});
