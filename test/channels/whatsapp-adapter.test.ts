import { randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ChannelAccount, InboundRequest } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { createWhatsappAdapter } from '../../bot/whatsapp/whatsapp-adapter.js';
import type { WhatsappSecrets, WhatsappSettings } from '../../bot/whatsapp/whatsapp-schemas.js';
import {
  messagePayload,
  randomWamid,
  signedRawWebhook,
  signedWebhook,
  statusPayload,
  webhookPayload,
  whatsappMessage,
} from '../stand-ins/whatsapp-graph-api.js';
import { whatsappFixture } from './fixtures/whatsapp-fixture.js';

// Inbound only: nothing here calls the Graph API.
const adapter = createWhatsappAdapter({ graphUrl: 'http://127.0.0.1:9/v21.0' });

function newAccount(): ChannelAccount<WhatsappSettings, WhatsappSecrets> {
  return {
    id: randomBytes(12).toString('hex'),
    type: 'whatsapp',
    name: 'Sales line',
    settings: { phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)) },
    secrets: {
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    },
  };
}

function newSender() {
  return { waId: `7${randomInt(10 ** 9, 10 ** 10)}`, name: `Person ${randomBytes(3).toString('hex')}` };
}

function handshake(query: Record<string, unknown>, method = 'GET'): InboundRequest {
  return { method, headers: {}, query, rawBody: Buffer.alloc(0) };
}

/** Parses one inbound message of `message`'s type and returns its event. */
function parseOne(
  account: ChannelAccount<WhatsappSettings, WhatsappSecrets>,
  message: Record<string, unknown> & { type: string },
) {
  const sender = newSender();
  const id = randomWamid();
  const events = adapter.parse(
    signedWebhook(account.secrets.appSecret, messagePayload(account.settings.phoneNumberId, sender, message, id)),
    account,
  );
  expect(events).toHaveLength(1);
  const event = events[0];
  if (event?.type !== 'message') throw new Error(`Expected a message event, got ${event?.type}`);
  expect(event.externalMessageId).toBe(id);
  expect(event.chatId).toBe(sender.waId);
  expect(event.from).toEqual({ externalId: sender.waId, name: sender.name, phone: `+${sender.waId}` });
  return event;
}

describe('whatsapp adapter: account schemas', () => {
  it('should accept a numeric phone number id and refuse a phone number with a plus', () => {
    expect(adapter.settingsSchema.safeParse({ phoneNumberId: '106540352242922' }).success).toBe(true);
    const refused = adapter.settingsSchema.safeParse({ phoneNumberId: '+1 555 078 3881' });
    expect(refused.success).toBe(false);
    expect(refused.error?.issues[0]?.message).toMatch(/Phone number ID/);
  });

  it('should name each missing secret', () => {
    const refused = adapter.secretsSchema.safeParse({});
    expect(refused.error?.issues.map((issue) => issue.message)).toEqual([
      'accessToken is required',
      'appSecret is required',
      'verifyToken is required',
    ]);
  });
});

describe('whatsapp adapter: handshake', () => {
  it('should echo the challenge when the verify token matches', () => {
    const account = newAccount();
    const request = handshake({
      'hub.mode': 'subscribe',
      'hub.verify_token': account.secrets.verifyToken,
      'hub.challenge': '1158201444',
    });
    expect(adapter.handshake?.(request, account)).toBe('1158201444');
  });

  it('should refuse a wrong verify token', () => {
    const account = newAccount();
    const request = handshake({ 'hub.mode': 'subscribe', 'hub.verify_token': 'guess', 'hub.challenge': '1158201444' });
    expect(() => adapter.handshake?.(request, account)).toThrow(WebhookAuthError);
  });

  it('should refuse a handshake without a verify token', () => {
    const account = newAccount();
    expect(() => adapter.handshake?.(handshake({ 'hub.mode': 'subscribe', 'hub.challenge': '1' }), account)).toThrow(
      WebhookAuthError,
    );
  });

  it('should leave requests that are not a handshake alone', () => {
    const account = newAccount();
    expect(adapter.handshake?.(handshake({}), account)).toBeUndefined();
    const post = signedWebhook(account.secrets.appSecret, webhookPayload(account.settings.phoneNumberId, {}));
    expect(adapter.handshake?.(post, account)).toBeUndefined();
  });
});

describe('whatsapp adapter: signature', () => {
  it('should accept a body signed with the app secret', () => {
    const account = newAccount();
    const request = signedWebhook(account.secrets.appSecret, webhookPayload(account.settings.phoneNumberId, {}));
    expect(() => adapter.verify(request, account)).not.toThrow();
  });

  it('should refuse a body signed with another secret', () => {
    const account = newAccount();
    const request = signedWebhook(randomBytes(16).toString('hex'), webhookPayload(account.settings.phoneNumberId, {}));
    expect(() => adapter.verify(request, account)).toThrow(WebhookAuthError);
  });

  it('should refuse a body changed after signing', () => {
    const account = newAccount();
    const request = signedWebhook(account.secrets.appSecret, webhookPayload(account.settings.phoneNumberId, {}));
    expect(() =>
      adapter.verify({ ...request, rawBody: Buffer.concat([request.rawBody, Buffer.from(' ')]) }, account),
    ).toThrow(WebhookAuthError);
  });

  it('should refuse a missing signature header', () => {
    const account = newAccount();
    const request = signedWebhook(account.secrets.appSecret, webhookPayload(account.settings.phoneNumberId, {}));
    expect(() => adapter.verify({ ...request, headers: {} }, account)).toThrow(WebhookAuthError);
  });

  it('should refuse signatures of a different length or shape without crashing', () => {
    const account = newAccount();
    const request = signedWebhook(account.secrets.appSecret, webhookPayload(account.settings.phoneNumberId, {}));
    const signature = String(request.headers['x-hub-signature-256']);
    for (const header of [
      signature.slice(0, -2),
      `${signature}00`,
      signature.replace('sha256=', 'sha1='),
      'garbage',
      [signature],
    ]) {
      expect(() => adapter.verify({ ...request, headers: { 'x-hub-signature-256': header } }, account)).toThrow(
        WebhookAuthError,
      );
    }
  });
});

describe('whatsapp adapter: parse', () => {
  it('should read a text message as documented', () => {
    const account = newAccount();
    const event = parseOne(account, whatsappMessage.text('Hello, how much is delivery?'));
    expect(event.content).toEqual({ kind: 'text', text: 'Hello, how much is delivery?' });
    expect(event.sentAt).toBeInstanceOf(Date);
    expect(Math.abs(event.sentAt.getTime() - Date.now())).toBeLessThan(5_000);
  });

  it('should read an image with its caption', () => {
    const event = parseOne(newAccount(), whatsappMessage.image('1479537139650973', 'My order'));
    expect(event.content).toEqual({
      kind: 'media',
      media: { kind: 'image', fileRef: '1479537139650973', mimeType: 'image/jpeg' },
      caption: 'My order',
    });
  });

  it('should tell a voice note from an audio file', () => {
    const account = newAccount();
    const voice = parseOne(account, whatsappMessage.audio('9001', true));
    const audio = parseOne(account, whatsappMessage.audio('9002', false));
    expect(voice.content).toMatchObject({ kind: 'media', media: { kind: 'voice', fileRef: '9001' } });
    expect(audio.content).toMatchObject({ kind: 'media', media: { kind: 'audio', fileRef: '9002' } });
  });

  it('should keep a document file name', () => {
    const event = parseOne(newAccount(), whatsappMessage.document('9003', 'invoice-42.pdf', 'Invoice'));
    expect(event.content).toEqual({
      kind: 'media',
      media: { kind: 'document', fileRef: '9003', mimeType: 'application/pdf', fileName: 'invoice-42.pdf' },
      caption: 'Invoice',
    });
  });

  it('should read a location', () => {
    const event = parseOne(newAccount(), whatsappMessage.location(55.7539, 37.6208, 'Red Square', 'Moscow, 109012'));
    expect(event.content).toEqual({
      kind: 'location',
      latitude: 55.7539,
      longitude: 37.6208,
      name: 'Red Square',
      address: 'Moscow, 109012',
    });
  });

  it('should read the first shared contact card', () => {
    const event = parseOne(newAccount(), whatsappMessage.contacts('Anna Petrova', '+7 (916) 555-12-34', '79165551234'));
    expect(event.content).toEqual({
      kind: 'contact',
      name: 'Anna Petrova',
      phone: '+7 (916) 555-12-34',
      externalId: '79165551234',
    });
  });

  it('should read reply-button and list taps as button content answering the tapped message', () => {
    const account = newAccount();
    const asked = randomWamid();
    const button = parseOne(account, whatsappMessage.buttonReply('plan-basic', 'Basic', asked));
    const row = parseOne(account, whatsappMessage.listReply('slot-3', 'Tuesday 15:00', asked));
    expect(button.content).toEqual({ kind: 'button', payload: 'plan-basic', text: 'Basic' });
    expect(button.replyToExternalId).toBe(asked);
    expect(row.content).toEqual({ kind: 'button', payload: 'slot-3', text: 'Tuesday 15:00' });
    expect(row.replyToExternalId).toBe(asked);
  });

  it('should read a template quick-reply tap', () => {
    const event = parseOne(
      newAccount(),
      whatsappMessage.templateButton('STOP_PROMOS', 'Stop promotions', randomWamid()),
    );
    expect(event.content).toEqual({ kind: 'button', payload: 'STOP_PROMOS', text: 'Stop promotions' });
  });

  it('should keep the Click to WhatsApp ad as the source', () => {
    const event = parseOne(newAccount(), {
      ...whatsappMessage.text('I saw your ad'),
      referral: {
        source_url: 'https://fb.me/3cr4Wqqkv',
        source_id: '120226305854810726',
        source_type: 'ad',
        headline: 'Chat with us',
        body: 'Summer sale',
        media_type: 'image',
        image_url: 'https://scontent.xx.fbcdn.net/v/t45.1.jpg',
        ctwa_clid:
          'ARAkLkA8rmlFeiCktEJQ-QTwRiyYHAFDLMNDBH0CD3qpjd0HR4irJ6LEkR7JwFF4XvnO2E4Nx0-eM-GABDLOPaOdRMv-_zfUQ2a',
      },
    });
    expect(event.source).toEqual({ payload: '120226305854810726', url: 'https://fb.me/3cr4Wqqkv' });
  });

  it('should show a reaction as a placeholder rather than drop it', () => {
    const event = parseOne(newAccount(), whatsappMessage.reaction(randomWamid(), '👍'));
    expect(event.content).toEqual({ kind: 'text', text: '[unsupported message: reaction]' });
  });

  it('should read sent, delivered and read statuses', () => {
    const account = newAccount();
    const id = randomWamid();
    for (const status of ['sent', 'delivered', 'read'] as const) {
      const payload = statusPayload(account.settings.phoneNumberId, { id, status, recipientId: '79165551234' });
      const events = adapter.parse(signedWebhook(account.secrets.appSecret, payload), account);
      expect(events).toEqual([{ type: 'status', externalMessageId: id, status, at: expect.any(Date) }]);
    }
  });

  it('should read a failed status with its error code and details', () => {
    const account = newAccount();
    const id = randomWamid();
    const payload = statusPayload(account.settings.phoneNumberId, {
      id,
      status: 'failed',
      recipientId: '79165551234',
      error: {
        code: 131047,
        title: 'Re-engagement message',
        details:
          'Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    });
    const [event] = adapter.parse(signedWebhook(account.secrets.appSecret, payload), account);
    expect(event).toEqual({
      type: 'status',
      externalMessageId: id,
      status: 'failed',
      at: expect.any(Date),
      error: {
        code: '131047',
        reason:
          'Re-engagement message: Message failed to send because more than 24 hours have passed since the customer last replied to this number.',
      },
    });
  });

  it("should skip changes for another of the app's numbers and fields other than messages", () => {
    const account = newAccount();
    const otherNumber = messagePayload('106540352242922', newSender(), whatsappMessage.text('not for this number'));
    expect(adapter.parse(signedWebhook(account.secrets.appSecret, otherNumber), account)).toEqual([]);
    const templateReview = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            {
              field: 'message_template_status_update',
              value: {
                event: 'APPROVED',
                message_template_id: 1234567,
                message_template_name: 'order_ready',
                reason: 'NONE',
              },
            },
          ],
        },
      ],
    };
    expect(adapter.parse(signedWebhook(account.secrets.appSecret, templateReview), account)).toEqual([]);
  });

  it('should read every message in a batch', () => {
    const account = newAccount();
    const sender = newSender();
    const payload = webhookPayload(account.settings.phoneNumberId, {
      contacts: [{ profile: { name: sender.name }, wa_id: sender.waId }],
      messages: ['one', 'two', 'three'].map((body) => ({
        from: sender.waId,
        id: randomWamid(),
        timestamp: '1700000000',
        ...whatsappMessage.text(body),
      })),
    });
    const events = adapter.parse(signedWebhook(account.secrets.appSecret, payload), account);
    expect(events.map((event) => event.type === 'message' && event.content)).toEqual([
      { kind: 'text', text: 'one' },
      { kind: 'text', text: 'two' },
      { kind: 'text', text: 'three' },
    ]);
  });

  it('should refuse bodies that are not a WhatsApp webhook with MalformedPayloadError only', () => {
    const account = newAccount();
    const { appSecret } = account.secrets;
    const { phoneNumberId } = account.settings;
    const requests = [
      signedRawWebhook(appSecret, Buffer.from('not json')),
      signedWebhook(appSecret, null),
      signedWebhook(appSecret, { object: 'instagram', entry: [] }),
      signedWebhook(appSecret, { object: 'whatsapp_business_account', entry: [{ changes: 'x' }] }),
      signedWebhook(appSecret, webhookPayload(phoneNumberId, { metadata: 'none' })),
      signedWebhook(
        appSecret,
        webhookPayload(phoneNumberId, {
          messages: [{ from: '1', id: 'wamid.1', timestamp: 'yesterday', type: 'text', text: { body: 'x' } }],
        }),
      ),
      signedWebhook(
        appSecret,
        webhookPayload(phoneNumberId, { messages: [{ from: '1', id: 'wamid.1', timestamp: '1', type: 'image' }] }),
      ),
      signedWebhook(appSecret, webhookPayload(phoneNumberId, { statuses: [{ id: 'wamid.1', status: 'read' }] })),
    ];
    for (const request of requests) {
      expect(() => adapter.parse(request, account)).toThrow(MalformedPayloadError);
    }
  });

  it("should refuse the conformance fixture's malformed bodies", async () => {
    const { account, standIn } = await whatsappFixture.start();
    try {
      for (const request of whatsappFixture.malformed(account)) {
        expect(() => whatsappFixture.adapter.verify(request, account)).not.toThrow();
        expect(() => whatsappFixture.adapter.parse(request, account)).toThrow(MalformedPayloadError);
      }
      expect(() => whatsappFixture.adapter.verify(whatsappFixture.badlySigned(account), account)).toThrow(
        WebhookAuthError,
      );
    } finally {
      await standIn.close();
    }
  });
});
