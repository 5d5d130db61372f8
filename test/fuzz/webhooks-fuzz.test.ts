import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signEmailEnvelope } from '../../bot/email/email-envelope-signature.js';
import { freePort } from '../../server/free-port.js';
import { startTestApi, type ApiClient, type TestApi } from '../api/api-harness.js';
import { signSmsru } from '../stand-ins/smsru-api.js';
import { signTwilio, twilioAuthToken, twilioPayloads, twilioSid } from '../stand-ins/twilio-api.js';
import { vkMessage, vkMessageNew } from '../stand-ins/vk-api.js';
import { messagePayload, whatsappMessage } from '../stand-ins/whatsapp-graph-api.js';
import { signZadarma } from '../stand-ins/zadarma-api.js';
import {
  countDocuments,
  expectRefusal,
  fuzzBody,
  fuzzParameters,
  grown,
  hugeString,
  INBOUND_COLLECTIONS,
  runsOf,
  send,
  timeoutFor,
  watchProcess,
  type FuzzAnswer,
  type FuzzBody,
} from './fuzz-kit.js';

/**
 * Every channel's webhook (/hooks/:type/:channelId) under generated bodies: no signature, a wrong
 * one, and the right one over a body that is not a payload the provider sends.
 *
 * What a refused delivery gets: 401 without the right signature, 400 for a signed body we cannot
 * read, and nothing of it is stored. A rightly signed body may still be a real delivery (a Twilio
 * SMS with an empty Body, an SMS.ru status of a message we do not know): the provider acknowledges
 * it and it is kept, as it should be. Where a signed body is not one we can use, the 2xx is the
 * provider's contract:
 * - Telegram, right secret: Telegram redelivers anything but a 2xx for up to a day
 *   (https://core.telegram.org/bots/api#setwebhook), so an update we do not read (a type we do not
 *   handle) is acknowledged; a body that is not an Update is still a 400.
 * - WhatsApp and VK, right signature: Meta and VK send many event kinds we ignore and both want a
 *   200 ("ok" for VK, https://dev.vk.com/ru/api/callback/getting-started) or they retry and
 *   eventually switch the webhook off.
 * - Twilio Voice and Zadarma, right signature: a call notification we cannot use is answered with
 *   empty TwiML / an empty 200, since Twilio plays "an application error has occurred" to the caller
 *   on any error answer (https://www.twilio.com/docs/usage/troubleshooting/debugging-your-application)
 *   and Zadarma does not read the answer of a notification at all.
 * - SMS.ru: a callback with no `data[…]` entries carries nothing to sign and is how SMS.ru checks a
 *   new callback address; it wants "100" back (https://sms.ru/api/callback).
 */

const SITE = 'https://shop.fuzz.example';

type Mode = 'none' | 'wrong' | 'right';

interface Channel {
  type: string;
  path: string;
  url: string;
  template: Record<string, unknown>;
  /** Headers and (for form-signed providers) the body to send for this mode. */
  sign(mode: Mode, body: FuzzBody, form: [string, string][]): { headers: Record<string, string>; body: Buffer };
  /** Which answers may be 2xx besides refusals. */
  mayAcknowledge(mode: Mode, form: [string, string][]): boolean;
}

const formBody = (fields: [string, string][]) => Buffer.from(new URLSearchParams(fields).toString());
const withType = (body: FuzzBody): Record<string, string> =>
  body.contentType ? { 'content-type': body.contentType } : {};

/** Form fields of `template` where values are dropped, replaced, or grown, plus fields of our own. */
function fuzzForm(template: Record<string, string>): fc.Arbitrary<[string, string][]> {
  const value = fc.oneof(
    fc.string(),
    fc.constant(''),
    hugeString.map((text) => text.slice(0, 6_000)),
  );
  return fc
    .tuple(
      fc.tuple(
        ...Object.entries(template).map(([name, original]) =>
          fc.option(fc.tuple(fc.constant(name), fc.oneof(fc.constant(original), value)), { nil: undefined }),
        ),
      ),
      fc.array(
        fc.tuple(
          fc.oneof(
            fc.string({ maxLength: 10 }),
            fc.constantFrom('__proto__', 'constructor', '$gt', 'data[]', 'data[0]'),
          ),
          value,
        ),
        {
          maxLength: 4,
        },
      ),
    )
    .map(([kept, extra]) => [...kept.filter((field): field is [string, string] => field !== undefined), ...extra]);
}

const ZADARMA_SIGNED: Record<string, string[]> = {
  NOTIFY_START: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_END: ['caller_id', 'called_did', 'call_start'],
  NOTIFY_ANSWER: ['caller_id', 'destination', 'call_start'],
  NOTIFY_OUT_START: ['internal', 'destination', 'call_start'],
  NOTIFY_RECORD: ['pbx_call_id', 'call_id_with_rec'],
};

describe('webhooks under fuzzing', () => {
  let api: TestApi;
  let admin: ApiClient;
  const channels: Channel[] = [];
  const watcher = watchProcess();

  async function connect(fields: Record<string, unknown>): Promise<{ id: string; webhookUrl?: string }> {
    const created = await admin.post('/channels', { name: `Fuzz ${randomBytes(3).toString('hex')}`, ...fields });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return created.body;
  }

  beforeAll(async () => {
    // Provider APIs on a port nobody listens on: registration fails fast and is only shown.
    const dead = `http://127.0.0.1:${await freePort()}`;
    api = await startTestApi({
      env: {
        TELEGRAM_API_ROOT: dead,
        WHATSAPP_GRAPH_URL: `${dead}/v21.0`,
        VK_API_ROOT: dead,
        TWILIO_API_ROOT: dead,
        SMSRU_API_ROOT: dead,
        ZADARMA_API_ROOT: dead,
      },
    });
    admin = await api.as('admin');
    const add = (view: { id: string; webhookUrl?: string }, channel: Omit<Channel, 'path' | 'url'>) => {
      // The site chat shows no webhook address (the widget talks over its socket), yet the route exists.
      const url = view.webhookUrl ?? `${api.baseUrl}/hooks/webchat/${view.id}`;
      channels.push({ ...channel, url, path: new URL(url).pathname });
    };

    const telegramSecret = randomBytes(16).toString('hex');
    add(
      await connect({
        type: 'telegram',
        token: `${randomInt(10 ** 8, 10 ** 9)}:AAH${randomBytes(24).toString('base64url')}`,
        webhookSecret: telegramSecret,
      }),
      {
        type: 'telegram',
        template: {
          update_id: 1,
          message: {
            message_id: 1,
            date: 1_700_000_000,
            chat: { id: 42, type: 'private', first_name: 'Анна' },
            from: { id: 42, is_bot: false, first_name: 'Анна', language_code: 'ru' },
            text: 'Здравствуйте',
          },
        },
        sign: (mode, body) => ({
          headers: {
            ...withType(body),
            ...(mode === 'none'
              ? {}
              : { 'x-telegram-bot-api-secret-token': mode === 'right' ? telegramSecret : `${telegramSecret}x` }),
          },
          body: body.body,
        }),
        mayAcknowledge: (mode) => mode === 'right',
      },
    );

    const whatsapp = {
      phoneNumberId: String(randomInt(10 ** 13, 10 ** 14)),
      accessToken: `EAAG${randomBytes(24).toString('base64url')}`,
      appSecret: randomBytes(16).toString('hex'),
      verifyToken: randomBytes(12).toString('base64url'),
    };
    add(await connect({ type: 'whatsapp', ...whatsapp }), {
      type: 'whatsapp',
      template: messagePayload(
        whatsapp.phoneNumberId,
        { waId: '79161234567', name: 'Анна' },
        whatsappMessage.text('Здравствуйте'),
      ) as Record<string, unknown>,
      sign: (mode, body) => ({
        headers: {
          ...withType(body),
          ...(mode === 'none'
            ? {}
            : {
                'x-hub-signature-256': `sha256=${createHmac(
                  'sha256',
                  mode === 'right' ? whatsapp.appSecret : 'not-the-secret',
                )
                  .update(body.body)
                  .digest('hex')}`,
              }),
        },
        body: body.body,
      }),
      mayAcknowledge: (mode) => mode === 'right',
    });

    const vk = {
      groupId: randomInt(10 ** 6, 10 ** 8),
      confirmationCode: randomBytes(4).toString('hex'),
      accessToken: `vk1.a.${randomBytes(32).toString('base64url')}`,
      secretKey: randomBytes(12).toString('hex'),
    };
    add(await connect({ type: 'vk', ...vk }), {
      type: 'vk',
      template: vkMessageNew(vk.groupId, undefined, vkMessage({ id: 1, fromId: 42, text: 'Привет' })) as Record<
        string,
        unknown
      >,
      // VK signs nothing: the secret rides in the body, so "right" puts it into object bodies.
      sign: (mode, body) => {
        if (mode === 'none') return { headers: withType(body), body: body.body };
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.body.toString('utf8'));
        } catch {
          return { headers: withType(body), body: body.body };
        }
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
          return { headers: withType(body), body: body.body };
        const secret = mode === 'right' ? vk.secretKey : `${vk.secretKey}x`;
        return {
          headers: withType(body),
          body: Buffer.from(JSON.stringify({ ...parsed, secret, group_id: vk.groupId })),
        };
      },
      mayAcknowledge: (mode) => mode === 'right',
    });

    const twilioSms = { accountSid: twilioSid('AC'), authToken: twilioAuthToken(), from: '+74951234567' };
    const twilioVoice = { accountSid: twilioSid('AC'), authToken: twilioAuthToken() };
    const twilioSign = (authToken: string, type: string) => (mode: Mode, body: FuzzBody, form: [string, string][]) => {
      const url = channels.find((channel) => channel.type === type)!.url;
      if (mode === 'none') return { headers: withType(body), body: body.body };
      return {
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signTwilio(mode === 'right' ? authToken : `${authToken}x`, url, form),
        },
        body: formBody(form),
      };
    };
    add(await connect({ type: 'sms', provider: 'twilio', ...twilioSms }), {
      type: 'sms-twilio',
      template: twilioPayloads.incomingSms({
        accountSid: twilioSms.accountSid,
        from: '+79161234567',
        to: twilioSms.from,
        body: 'Здравствуйте',
      }),
      sign: twilioSign(twilioSms.authToken, 'sms-twilio'),
      mayAcknowledge: (mode) => mode === 'right',
    });
    add(await connect({ type: 'voice', provider: 'twilio', ...twilioVoice }), {
      type: 'voice-twilio',
      template: {
        AccountSid: twilioVoice.accountSid,
        CallSid: twilioSid('CA'),
        CallStatus: 'ringing',
        Direction: 'inbound',
        From: '+79161234567',
        To: '+74951234567',
        ApiVersion: '2010-04-01',
      },
      sign: twilioSign(twilioVoice.authToken, 'voice-twilio'),
      mayAcknowledge: (mode) => mode === 'right',
    });

    const apiId = randomBytes(16).toString('hex').toUpperCase();
    add(await connect({ type: 'sms', provider: 'smsru', apiId }), {
      type: 'sms-smsru',
      template: {
        'data[0]': ['sms_received', '000000-10000001', '79161234567', '1700000000', 'Привет'].join('\n'),
        'data[1]': ['sms_status', '000000-10000002', '103', '1700000000'].join('\n'),
      },
      sign: (mode, body, form) => {
        if (mode === 'none') return { headers: withType(body), body: body.body };
        const entries = form.filter(([name]) => /^data\[\d*\]$/.test(name)).map(([, value]) => value);
        const hash = mode === 'right' ? signSmsru(apiId, entries) : createHash('sha256').update('x').digest('hex');
        return {
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: formBody([...form, ['hash', hash]]),
        };
      },
      // No entries: nothing to sign, SMS.ru's address check (see above).
      mayAcknowledge: (mode, form) =>
        mode === 'none' || !form.some(([name]) => /^data\[\d*\]$/.test(name)) || mode === 'right',
    });

    const zadarma = { apiKey: randomBytes(10).toString('hex'), apiSecret: randomBytes(10).toString('hex') };
    add(await connect({ type: 'voice', provider: 'zadarma', ...zadarma }), {
      type: 'voice-zadarma',
      template: {
        event: 'NOTIFY_START',
        call_start: '2026-11-27 10:00:00',
        pbx_call_id: 'in_0123456789abcdef',
        caller_id: '79161234567',
        called_did: '74951234567',
      },
      sign: (mode, body, form) => {
        if (mode === 'none') return { headers: withType(body), body: body.body };
        const fields = new Map(form);
        const event = fields.get('event') ?? '';
        const signed = (Object.hasOwn(ZADARMA_SIGNED, event) ? ZADARMA_SIGNED[event]! : ['caller_id'])
          .map((name) => fields.get(name) ?? '')
          .join('');
        return {
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            signature: signZadarma(signed, mode === 'right' ? zadarma.apiSecret : `${zadarma.apiSecret}x`),
          },
          body: formBody(form),
        };
      },
      mayAcknowledge: (mode) => mode === 'right',
    });

    const emailPassword = randomBytes(12).toString('hex');
    const deadPort = await freePort();
    add(
      await connect({
        type: 'email',
        address: `sales-${randomBytes(3).toString('hex')}@fuzz.example`,
        imapHost: '127.0.0.1',
        imapPort: deadPort,
        imapSecure: false,
        smtpHost: '127.0.0.1',
        smtpPort: deadPort,
        smtpSecure: false,
        username: 'sales',
        password: emailPassword,
      }),
      {
        type: 'email',
        template: { uid: 1, raw: 'From: a@b.c\r\nSubject: hi\r\n\r\nhi', receivedAt: '2026-11-27T10:00:00Z' },
        sign: (mode, body) => ({
          headers: {
            ...withType(body),
            ...(mode === 'none'
              ? {}
              : {
                  'x-email-envelope-signature': signEmailEnvelope(
                    body.body,
                    mode === 'right' ? emailPassword : `${emailPassword}x`,
                  ),
                }),
          },
          body: body.body,
        }),
        mayAcknowledge: (mode) => mode === 'right',
      },
    );

    add(await connect({ type: 'webchat', allowedOrigins: [SITE] }), {
      type: 'webchat',
      template: { text: 'Здравствуйте', clientId: 'c-1' },
      sign: (mode, body) => ({
        headers: {
          ...withType(body),
          ...(mode === 'none' ? {} : { origin: mode === 'right' ? SITE : 'https://evil.example' }),
        },
        body: body.body,
      }),
      mayAcknowledge: (mode) => mode === 'right',
    });
  });

  afterAll(async () => {
    watcher.stop();
    await api?.close();
  });

  // Nine channel kinds share 30% of the budget; the GET handshakes and unknown channels 5%.
  const runs = runsOf(0.3 / 9);

  const TYPES = [
    'telegram',
    'whatsapp',
    'vk',
    'sms-twilio',
    'voice-twilio',
    'sms-smsru',
    'voice-zadarma',
    'email',
    'webchat',
  ];
  for (const type of TYPES) {
    it(
      `should refuse or ignore generated ${type} deliveries and store nothing`,
      async () => {
        const channel = channels.find((candidate) => candidate.type === type)!;
        const before = await countDocuments(api.db);
        const acknowledged: string[] = [];
        await fc.assert(
          fc.asyncProperty(
            fc.constantFrom<Mode>('none', 'wrong', 'right'),
            fuzzBody(channel.template),
            fuzzForm(Object.fromEntries(Object.entries(channel.template).map(([key, value]) => [key, String(value)]))),
            fc.option(fc.constantFrom('?visitorId=v_0123456789abcdef', '?a[b]=1', '?__proto__[x]=1', '?%E0%A4%A'), {
              nil: '',
            }),
            async (mode, body, form, query) => {
              const request = channel.sign(mode, body, form);
              // A signed delivery may be a real one (then it is stored); only a refused one must leave no trace.
              const counted = mode === 'right' ? await countDocuments(api.db, INBOUND_COLLECTIONS) : undefined;
              const answer: FuzzAnswer = await send(`${api.baseUrl}${channel.path}${query}`, request);
              if (answer.status >= 200 && answer.status < 300 && channel.mayAcknowledge(mode, form)) {
                acknowledged.push(`${mode} ${answer.status}`);
                return;
              }
              expectRefusal(answer, `${type} ${mode} ${request.headers['content-type'] ?? ''}`);
              if (counted)
                expect(
                  grown(counted, await countDocuments(api.db, INBOUND_COLLECTIONS)),
                  `${type}: stored from a refused delivery`,
                ).toEqual({});
            },
          ),
          fuzzParameters(runs),
        );
        // Unsigned and wrongly signed deliveries never get past the check: nothing of theirs is kept.
        if (acknowledged.every((entry) => !entry.startsWith('right')))
          expect(grown(before, await countDocuments(api.db)), `${type}: stored from fuzzed deliveries`).toEqual({});
        expect(watcher.problems).toEqual([]);
      },
      timeoutFor(runs),
    );
  }

  it(
    'should refuse generated handshakes and deliveries to unknown channels',
    async () => {
      const handshakeRuns = runsOf(0.05);
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(
            ...channels.map((channel) => channel.path),
            '/hooks/telegram/nope',
            '/hooks/fax/1',
            '/hooks/vk/%00',
          ),
          fc.dictionary(
            fc.constantFrom('hub.mode', 'hub.verify_token', 'hub.challenge', 'type', '__proto__', 'a[b]', 'echostr'),
            fc.oneof(fc.string(), fc.constant('subscribe')),
          ),
          fc.constantFrom('GET', 'POST', 'PUT'),
          async (path, query, method) => {
            const url = `${api.baseUrl}${path}?${new URLSearchParams(query).toString()}`;
            const answer = await send(url, { method, ...(method === 'GET' ? {} : { body: Buffer.from('{}') }) });
            // A POST to a known channel may be the provider's ignored event (see above).
            if (method === 'POST' && answer.status === 200 && !path.includes('nope') && !path.includes('fax')) return;
            expectRefusal(answer, `${method} ${url}`);
          },
        ),
        fuzzParameters(handshakeRuns),
      );
      expect(watcher.problems).toEqual([]);
    },
    timeoutFor(runsOf(0.05)),
  );
});
