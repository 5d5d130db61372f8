import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChannelAccount, SendContext } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import type { ProviderStandIn } from './adapter-fixture.js';
import { telegramFixture } from './fixtures/telegram-fixture.js';

const started: ProviderStandIn[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((standIn) => standIn.close()));
});

async function start(): Promise<{ account: ChannelAccount; standIn: ProviderStandIn }> {
  const run = await telegramFixture.start();
  started.push(run.standIn);
  return run;
}

function context(chatId: string): SendContext {
  return {
    chatId,
    messageId: 'm1',
    openFile: async () => Readable.from([Buffer.from('x')]),
    fileUrl: () => 'http://files.invalid/x',
  };
}

describe('telegram fixture', () => {
  it('should make a signed text update the adapter reads back', async () => {
    const { account } = await start();
    const request = telegramFixture.textMessage(account, {
      chatId: 'chat-a',
      externalMessageId: 'message-1',
      text: 'Hello',
      senderName: 'Anna',
    });
    telegramFixture.adapter.verify(request, account);
    const [event] = telegramFixture.adapter.parse(request, account);
    expect(event).toMatchObject({ type: 'message', content: { kind: 'text', text: 'Hello' }, from: { name: 'Anna' } });
    const again = telegramFixture.adapter.parse(
      telegramFixture.textMessage(account, {
        chatId: 'chat-a',
        externalMessageId: 'message-1',
        text: 'Hello',
        senderName: 'Anna',
      }),
      account,
    );
    expect(again[0]).toMatchObject({ externalMessageId: event?.type === 'message' ? event.externalMessageId : '' });
  });

  it('should make badly signed and malformed requests the adapter refuses', async () => {
    const { account } = await start();
    expect(() => telegramFixture.adapter.verify(telegramFixture.badlySigned(account), account)).toThrow(
      WebhookAuthError,
    );
    for (const request of telegramFixture.malformed(account)) {
      telegramFixture.adapter.verify(request, account);
      expect(() => telegramFixture.adapter.parse(request, account)).toThrow(MalformedPayloadError);
    }
  });

  it('should send through each started stand-in to the chat a parsed message came from', async () => {
    const first = await start();
    const second = await start();
    const request = telegramFixture.textMessage(second.account, {
      chatId: '123456',
      externalMessageId: '123456:7',
      text: 'Hi',
      senderName: 'Boris',
    });
    const [event] = telegramFixture.adapter.parse(request, second.account);
    expect(event).toMatchObject({ chatId: '123456', externalMessageId: '123456:7' });
    await telegramFixture.adapter.send(
      { text: 'Reply', buttons: [{ id: 'a', text: 'A' }] },
      context('123456'),
      second.account,
    );
    expect(second.standIn.sent()).toMatchObject([{ chatId: '123456', text: 'Reply', buttons: ['A'] }]);
    expect(first.standIn.sent()).toEqual([]);
  });
});
