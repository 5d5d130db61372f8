import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csatModel } from '../../server/csat/csat-model.js';
import type { InboundMessageEvent } from '../../bot/channels/channel-events.js';
import { ingestEvents } from '../../server/messaging/ingest-events.js';
import { waitUntil } from '../wait-until.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newTeamWithChannel, visitorWrites } from './inbox-fixture.js';

interface Message {
  direction: string;
  content: { kind: string; text?: string };
  buttons?: { id: string; text: string }[];
}

describe('CSAT comments and per-channel settings', () => {
  let api: TestApi;
  let manager: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    [manager, admin] = await Promise.all([api.as('manager'), api.as('admin')]);
  });
  afterAll(() => api?.close());

  const messagesOf = async (conversationId: string) =>
    (await manager.get(`/conversations/${conversationId}/messages`)).body.items as Message[];

  const visitorSends = async (channelId: string, visitorId: string, content: InboundMessageEvent['content']) => {
    const account = (await api.app.services.channels.get(channelId))!;
    await ingestEvents(api.app.services, account, [
      {
        type: 'message',
        externalMessageId: randomBytes(8).toString('hex'),
        from: { externalId: visitorId },
        chatId: visitorId,
        sentAt: new Date(),
        content,
      },
    ]);
  };

  it("should take the client's next text after the rating as its comment, after thanking them", async () => {
    const { channelId } = await newTeamWithChannel(api);
    const { conversation, visitorId } = await visitorWrites(api, channelId, 'Всё получилось, спасибо');
    expect((await manager.patch(`/conversations/${conversation.id}`, { status: 'resolved' })).status).toBe(200);
    const request = await waitUntil('the rating request is queued', async () =>
      (await messagesOf(conversation.id)).find((message) => message.buttons),
    );
    const four = request.buttons![3]!;
    await visitorSends(channelId, visitorId, { kind: 'button', payload: four.id, text: four.text });
    const thanks = await waitUntil('the client is thanked and asked for a comment', async () =>
      (await messagesOf(conversation.id)).find(
        (message) => message.direction === 'out' && /комментарий|улучшить/.test(message.content.text ?? ''),
      ),
    );
    expect(thanks.buttons ?? []).toEqual([]);

    await visitorSends(channelId, visitorId, { kind: 'text', text: 'Менеджер ответил быстро, но замер перенесли' });
    await visitorSends(channelId, visitorId, { kind: 'text', text: 'И ещё вопрос про гарантию' });
    const rating = await waitUntil('the comment is kept with the rating', async () => {
      const found = await csatModel(api.db)
        .findOne({ conversationId: new Types.ObjectId(conversation.id) })
        .lean();
      return found?.comment ? found : undefined;
    });
    expect(rating).toMatchObject({ score: 4, comment: 'Менеджер ответил быстро, но замер перенесли' });
  });

  it('should follow the channel account setting an admin chose over CSAT_CHANNELS', async () => {
    const { channelId } = await newTeamWithChannel(api);
    const other = await newTeamWithChannel(api);
    const listed = await admin.get('/csat/channels');
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({ channelAccountId: channelId, enabled: true, source: 'default' });

    const off = await admin.put(`/csat/channels/${channelId}`, { enabled: false });
    expect(off.body).toEqual({ channelAccountId: channelId, enabled: false, source: 'setting' });
    expect((await admin.get('/csat/channels')).body.items).toContainEqual({
      channelAccountId: channelId,
      enabled: false,
      source: 'setting',
    });
    expect((await manager.put(`/csat/channels/${channelId}`, { enabled: true })).status).toBe(403);

    const quiet = await visitorWrites(api, channelId, 'Вопрос по доставке');
    const asked = await visitorWrites(api, other.channelId, 'Вопрос по монтажу');
    await manager.patch(`/conversations/${quiet.conversation.id}`, { status: 'resolved' });
    await manager.patch(`/conversations/${asked.conversation.id}`, { status: 'resolved' });
    await waitUntil('the other channel still asks', async () =>
      (await messagesOf(asked.conversation.id)).some((message) => message.buttons) ? true : undefined,
    );
    expect((await messagesOf(quiet.conversation.id)).filter((message) => message.buttons)).toEqual([]);
  });
});
