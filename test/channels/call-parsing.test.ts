import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelAccount, ChannelAdapter } from '../../bot/channels/channel-adapter.js';
import { createSmsAdapter } from '../../bot/sms/sms-adapter.js';
import { createVoiceAdapter } from '../../bot/voice/voice-adapter.js';
import { zonedTime } from '../../bot/voice/zoned-time.js';
import { asInboundRequest } from '../stand-ins/post-webhook.js';
import { twilioAuthToken, twilioPayloads, twilioSid, twilioWebhook } from '../stand-ins/twilio-api.js';
import { zadarmaNotification, zadarmaPayloads } from '../stand-ins/zadarma-api.js';

/**
 * The provider payloads the channel suites do not reach: outgoing Zadarma calls, a <Dial> that
 * nobody answered, child legs, hidden numbers, MMS files, and Zadarma's wall-clock times.
 */

const URL_BASE = 'https://crm.example.ru/hooks';
const voice: ChannelAdapter = createVoiceAdapter({
  twilioApiRoot: 'http://127.0.0.1:9',
  zadarmaApiRoot: 'http://127.0.0.1:9',
});
const sms: ChannelAdapter = createSmsAdapter({
  twilioApiRoot: 'http://127.0.0.1:9',
  smsruApiRoot: 'http://127.0.0.1:9',
  publicUrl: 'https://crm.example.ru',
});

function twilioAccount(type: 'sms' | 'voice'): ChannelAccount & { secrets: { authToken: string } } {
  return {
    id: randomBytes(12).toString('hex'),
    type,
    name: type,
    settings: {
      provider: 'twilio',
      accountSid: twilioSid('AC'),
      from: '+74951234567',
      timeZone: 'Europe/Moscow',
      operators: [{ extension: 'anna', userId: '665f00000000000000000001' }],
    },
    secrets: { authToken: twilioAuthToken() },
  };
}

function parseTwilio(type: 'sms' | 'voice', params: Record<string, string>) {
  const account = twilioAccount(type);
  const adapter = type === 'sms' ? sms : voice;
  const request = asInboundRequest(
    twilioWebhook(account.secrets.authToken, `${URL_BASE}/${type}/${account.id}`, params),
  );
  adapter.verify(request, account);
  return adapter.parse(request, account);
}

describe('call parsing', () => {
  it('should record an outgoing Zadarma call with its operator, the time taken in the account’s zone', () => {
    const secret = randomBytes(10).toString('hex');
    const account: ChannelAccount = {
      id: randomBytes(12).toString('hex'),
      type: 'voice',
      name: 'Zadarma',
      settings: {
        provider: 'zadarma',
        timeZone: 'Asia/Yekaterinburg',
        operators: [{ extension: '102', userId: '665f00000000000000000002' }],
      },
      secrets: { apiKey: 'key-0123456789', apiSecret: secret },
    };
    const notification = zadarmaPayloads.notifyOutEnd({
      pbxCallId: 'out_42',
      callerId: '74951234567',
      destination: '89161234567',
      callStart: '2025-07-01 09:00:05',
      internal: '102',
      durationSec: 300,
      disposition: 'answered',
    });
    const request = asInboundRequest(zadarmaNotification(secret, `${URL_BASE}/voice/${account.id}`, notification));
    voice.verify(request, account);
    expect(voice.parse(request, account)).toEqual([
      expect.objectContaining({
        externalMessageId: 'out_42',
        chatId: '+79161234567',
        content: expect.objectContaining({
          direction: 'out',
          from: '74951234567',
          to: '89161234567',
          operator: { extension: '102', userId: '665f00000000000000000002' },
          startedAt: '2025-07-01T04:00:05.000Z',
          durationSec: 300,
          outcome: 'answered',
        }),
      }),
    ]);
  });

  it('should take a <Dial>’s status over the call’s own, and the operator from a Client identity', () => {
    const [event] = parseTwilio('voice', {
      ...twilioPayloads.callStatus({
        accountSid: twilioSid('AC'),
        callSid: twilioSid('CA'),
        from: '+79161234567',
        to: 'client:anna',
        direction: 'inbound',
        status: 'completed',
        durationSec: 25,
        at: new Date(),
      }),
      DialCallStatus: 'no-answer',
      DialCallDuration: '0',
    });
    expect(event).toMatchObject({
      type: 'message',
      content: {
        outcome: 'missed',
        durationSec: 0,
        operator: { extension: 'anna', userId: '665f00000000000000000001' },
      },
    });
  });

  it('should skip child legs, progress callbacks and calls from hidden numbers', () => {
    const call = (overrides: Partial<Parameters<typeof twilioPayloads.callStatus>[0]>) =>
      twilioPayloads.callStatus({
        accountSid: twilioSid('AC'),
        callSid: twilioSid('CA'),
        from: '+79161234567',
        to: '+74951234567',
        direction: 'inbound',
        status: 'completed',
        durationSec: 10,
        at: new Date(),
        ...overrides,
      });
    expect(parseTwilio('voice', call({ direction: 'outbound-dial', parentCallSid: twilioSid('CA') }))).toEqual([]);
    expect(parseTwilio('voice', call({ status: 'ringing' }))).toEqual([]);
    expect(parseTwilio('voice', call({ from: 'anonymous' }))).toEqual([]);
  });

  it('should keep an MMS file by its place at Twilio, never by the URL a payload names', () => {
    const accountSid = twilioSid('AC');
    const mediaPath = `/Messages/${twilioSid('MM')}/Media/${twilioSid('ME')}`;
    const [event] = parseTwilio('sms', {
      ...twilioPayloads.incomingSms({ accountSid, from: '+79161234567', to: '+74951234567', body: 'Фото участка' }),
      NumMedia: '1',
      MediaUrl0: `https://api.twilio.com/2010-04-01/Accounts/${accountSid}${mediaPath}`,
      MediaContentType0: 'image/jpeg',
    });
    expect(event).toMatchObject({
      type: 'message',
      content: {
        kind: 'media',
        caption: 'Фото участка',
        media: { kind: 'image', fileRef: mediaPath, mimeType: 'image/jpeg' },
      },
    });
  });

  it('should read Zadarma’s wall-clock times in the account’s zone, across a daylight-saving change', () => {
    expect(zonedTime('2025-03-04 12:10:00', 'Europe/Moscow')?.toISOString()).toBe('2025-03-04T09:10:00.000Z');
    expect(zonedTime('2025-07-01 12:00:00', 'Europe/Berlin')?.toISOString()).toBe('2025-07-01T10:00:00.000Z');
    expect(zonedTime('2025-01-15 12:00:00', 'Europe/Berlin')?.toISOString()).toBe('2025-01-15T11:00:00.000Z');
    expect(zonedTime('15.01.2025 12:00', 'Europe/Berlin')).toBeUndefined();
  });
});
