import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';
import { formBody, postWebhook, type ProviderWebhook, type WebhookAnswer } from './post-webhook.js';

/**
 * A local stand-in for the parts of Twilio's REST API the SMS and voice channels call (creating a
 * Message, fetching MMS media and call recordings), answering and failing the way Twilio documents
 * (https://www.twilio.com/docs/messaging/api/message-resource, https://www.twilio.com/docs/api/errors),
 * plus builders of the webhooks Twilio posts, signed as Twilio signs them
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */

export const TWILIO_API_VERSION = '2010-04-01';

type SidPrefix = 'AC' | 'SM' | 'MM' | 'ME' | 'CA' | 'RE';

/** A Twilio SID: two letters and 32 hex digits. */
export function twilioSid(prefix: SidPrefix): string {
  return `${prefix}${randomBytes(16).toString('hex')}`;
}

/** An Auth Token: 32 hex digits. */
export function twilioAuthToken(): string {
  return randomBytes(16).toString('hex');
}

/**
 * X-Twilio-Signature over a URL and form fields, computed here on its own from Twilio's
 * description: the URL, then each field sorted by name as name + value, HMAC-SHA1 with the Auth
 * Token, base64.
 */
export function signTwilio(authToken: string, url: string, fields: [string, string][]): string {
  const data = [...fields]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .reduce((signed, [name, value]) => signed + name + value, url);
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/** A webhook as Twilio posts it: form-encoded fields, signed for the URL it was configured with. */
export function twilioWebhook(authToken: string, url: string, params: Record<string, string>): ProviderWebhook {
  const fields = Object.entries(params);
  return {
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signTwilio(authToken, url, fields),
      'user-agent': 'TwilioProxy/1.1',
    },
    rawBody: formBody(fields),
  };
}

/** RFC 2822 time, as Twilio's Timestamp and RecordingStartTime carry it. */
export function rfc2822(date: Date): string {
  return date.toUTCString().replace('GMT', '+0000');
}

/** The fields of Twilio's webhooks, as its documentation lists them. */
export const twilioPayloads = {
  /** An SMS to the account's number (https://www.twilio.com/docs/messaging/guides/webhook-request). */
  incomingSms(message: { accountSid: string; from: string; to: string; body: string; messageSid?: string }) {
    const sid = message.messageSid ?? twilioSid('SM');
    return {
      ToCountry: 'RU',
      ToState: '',
      SmsMessageSid: sid,
      NumMedia: '0',
      ToCity: '',
      FromZip: '',
      SmsSid: sid,
      FromState: '',
      SmsStatus: 'received',
      FromCity: '',
      Body: message.body,
      FromCountry: 'RU',
      To: message.to,
      ToZip: '',
      NumSegments: '1',
      MessageSid: sid,
      AccountSid: message.accountSid,
      From: message.from,
      ApiVersion: TWILIO_API_VERSION,
    };
  },
  /** A status callback for a message we sent (https://www.twilio.com/docs/messaging/guides/track-outbound-message-status). */
  messageStatus(status: {
    accountSid: string;
    messageSid: string;
    from: string;
    to: string;
    status: string;
    errorCode?: string;
  }) {
    return {
      SmsSid: status.messageSid,
      SmsStatus: status.status,
      MessageStatus: status.status,
      To: status.to,
      MessageSid: status.messageSid,
      AccountSid: status.accountSid,
      From: status.from,
      ApiVersion: TWILIO_API_VERSION,
      ...(status.errorCode ? { ErrorCode: status.errorCode } : {}),
    };
  },
  /** A call's status callback (https://www.twilio.com/docs/voice/api/call-resource#statuscallback). */
  callStatus(call: {
    accountSid: string;
    callSid: string;
    from: string;
    to: string;
    direction: 'inbound' | 'outbound-api' | 'outbound-dial';
    status: string;
    durationSec?: number;
    at: Date;
    parentCallSid?: string;
  }) {
    return {
      Called: call.to,
      Direction: call.direction,
      Timestamp: rfc2822(call.at),
      CallbackSource: 'call-progress-events',
      SequenceNumber: '3',
      CallSid: call.callSid,
      To: call.to,
      ApiVersion: TWILIO_API_VERSION,
      CallStatus: call.status,
      From: call.from,
      AccountSid: call.accountSid,
      Caller: call.from,
      ...(call.durationSec === undefined
        ? {}
        : { CallDuration: String(call.durationSec), Duration: String(Math.ceil(call.durationSec / 60)) }),
      ...(call.parentCallSid ? { ParentCallSid: call.parentCallSid } : {}),
    };
  },
  /** A recording status callback (https://www.twilio.com/docs/voice/api/recording#recordingstatuscallback). */
  recordingStatus(recording: {
    accountSid: string;
    callSid: string;
    recordingSid: string;
    recordingUrl: string;
    durationSec: number;
    startedAt: Date;
    status?: string;
  }) {
    return {
      AccountSid: recording.accountSid,
      CallSid: recording.callSid,
      RecordingSid: recording.recordingSid,
      RecordingUrl: recording.recordingUrl,
      RecordingStatus: recording.status ?? 'completed',
      RecordingDuration: String(recording.durationSec),
      RecordingChannels: '1',
      RecordingStartTime: rfc2822(recording.startedAt),
      RecordingSource: 'DialVerb',
      RecordingTrack: 'both',
    };
  },
};

export interface TwilioSentRecord extends SentRecord {
  sid: string;
  from: string;
  /** Date.now() when the answer was written: rate checks read it. */
  at: number;
  statusCallback?: string;
}

interface Failure {
  httpStatus: number;
  code: number;
  message: string;
  retryAfterSeconds?: number;
}

export interface TwilioApi extends ProviderStandIn {
  /** e.g. http://127.0.0.1:41234: what TWILIO_API_ROOT takes. */
  apiRoot: string;
  sent(): TwilioSentRecord[];
  /** The next Messages.json answers `httpStatus` with Twilio error `code`. */
  failNextWith(code: number, httpStatus: number, message?: string): void;
  /** Posts a message's status callback to its StatusCallback, signed, as Twilio does. */
  reportStatus(messageSid: string, status: string, errorCode?: string): Promise<WebhookAnswer>;
  /** Keeps a call recording and answers its RecordingSid and RecordingUrl. */
  addRecording(bytes: Buffer): { recordingSid: string; recordingUrl: string };
  /** How often each recording was downloaded. */
  downloads(): Map<string, number>;
  /** Stalls the next Messages.json until released or its client hangs up (then it is never recorded). */
  holdNextSend(): { arrived: Promise<void>; abandoned: Promise<void>; release(): void };
}

/**
 * Starts the stand-in for one Twilio account. `webhookVia` is where callbacks really go when the
 * URLs Twilio was given (the app's PUBLIC_URL) do not resolve here: the app's own address.
 */
export async function startTwilioApi(options: {
  accountSid: string;
  authToken: string;
  /** Numbers and Messaging Services the account may send from. */
  senders?: string[];
  port?: number;
  webhookVia?: string;
}): Promise<TwilioApi> {
  const records: TwilioSentRecord[] = [];
  const failures: Failure[] = [];
  const recordings = new Map<string, Buffer>();
  const downloads = new Map<string, number>();
  const holds: { arrive: () => void; abandon: () => void; released: Promise<void> }[] = [];
  let origin = '';
  const accountPath = `/${TWILIO_API_VERSION}/Accounts/${options.accountSid}`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const expected = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      return replyError(res, { httpStatus: 401, code: 20003, message: 'Authenticate' });
    }
    const path = new URL(req.url ?? '/', origin).pathname;
    if (!path.startsWith(`${accountPath}/`)) {
      return replyError(res, { httpStatus: 404, code: 20404, message: `The requested resource ${path} was not found` });
    }
    const below = path.slice(accountPath.length);
    if (req.method === 'POST' && below === '/Messages.json') return createMessage(req, res);
    const recording = /^\/Recordings\/(RE[0-9a-f]{32})\.mp3$/.exec(below)?.[1];
    if (req.method === 'GET' && recording && recordings.has(recording)) {
      downloads.set(recording, (downloads.get(recording) ?? 0) + 1);
      const bytes = recordings.get(recording)!;
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': bytes.length, connection: 'close' });
      res.end(bytes);
      return;
    }
    return replyError(res, { httpStatus: 404, code: 20404, message: `The requested resource ${path} was not found` });
  }

  async function createMessage(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    const hold = holds.shift();
    if (hold) {
      hold.arrive();
      const gone = await new Promise<boolean>((resolve) => {
        const onClose = () => resolve(!res.writableFinished);
        res.once('close', onClose);
        void hold.released.then(() => {
          res.off('close', onClose);
          resolve(res.destroyed);
        });
      });
      if (gone) return hold.abandon();
    }
    const failure = failures.shift();
    if (failure) return replyError(res, failure);
    const to = form.get('To') ?? '';
    const body = form.get('Body') ?? '';
    const from = form.get('From') ?? form.get('MessagingServiceSid') ?? '';
    if (!/^\+[1-9]\d{6,14}$/.test(to)) {
      return replyError(res, {
        httpStatus: 400,
        code: 21211,
        message: `The 'To' number ${to} is not a valid phone number.`,
      });
    }
    if (!from || (options.senders && !options.senders.includes(from))) {
      return replyError(res, {
        httpStatus: 400,
        code: 21606,
        message: `The From phone number ${from} is not a valid, SMS-capable inbound phone number or short code for your account.`,
      });
    }
    if (body === '') return replyError(res, { httpStatus: 400, code: 21602, message: 'Message body is required.' });
    if (body.length > 1600) {
      return replyError(res, {
        httpStatus: 400,
        code: 21617,
        message: 'The concatenated message body exceeds the 1600 character limit.',
      });
    }
    const sid = twilioSid('SM');
    const statusCallback = form.get('StatusCallback') ?? undefined;
    // Recorded once the answer is written: a sender killed before hearing back did not send.
    res.once('finish', () => records.push({ sid, chatId: to, text: body, from, statusCallback, at: Date.now() }));
    const now = rfc2822(new Date());
    reply(res, 201, {
      account_sid: options.accountSid,
      api_version: TWILIO_API_VERSION,
      body,
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: from.startsWith('MG') ? null : from,
      messaging_service_sid: from.startsWith('MG') ? from : null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `${accountPath}/Messages/${sid}/Media.json` },
      to,
      uri: `${accountPath}/Messages/${sid}.json`,
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      replyError(res, { httpStatus: 500, code: 20500, message: `Stand-in failure: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The Twilio stand-in is not listening on TCP');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    apiRoot: origin,
    sent: () => [...records],
    failNextWith(code, httpStatus, message = `Stand-in failure ${code}`) {
      failures.push({ httpStatus, code, message });
    },
    failNextWithRateLimit(retryAfterSeconds) {
      // Twilio's 429s do not promise a Retry-After; the stand-in sends one so a suite can check it is honoured.
      failures.push({ httpStatus: 429, code: 20429, message: 'Too Many Requests', retryAfterSeconds });
    },
    failNextWithBlocked() {
      failures.push({ httpStatus: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' });
    },
    failNextWithServerError() {
      failures.push({ httpStatus: 500, code: 20500, message: 'Internal Server Error' });
    },
    async reportStatus(messageSid, status, errorCode) {
      const record = records.find((sent) => sent.sid === messageSid);
      if (!record?.statusCallback) throw new Error(`Message ${messageSid} was not sent with a StatusCallback`);
      const params = twilioPayloads.messageStatus({
        accountSid: options.accountSid,
        messageSid,
        from: record.from,
        to: record.chatId,
        status,
        errorCode,
      });
      return postWebhook(twilioWebhook(options.authToken, record.statusCallback, params), options.webhookVia);
    },
    addRecording(bytes) {
      const recordingSid = twilioSid('RE');
      recordings.set(recordingSid, bytes);
      // Twilio's RecordingUrl has no extension; the media is fetched with .mp3 or .wav added.
      return { recordingSid, recordingUrl: `https://api.twilio.com${accountPath}/Recordings/${recordingSid}` };
    },
    downloads: () => new Map(downloads),
    holdNextSend() {
      let arrive = () => {};
      let abandon = () => {};
      let release = () => {};
      const arrived = new Promise<void>((resolve) => (arrive = resolve));
      const abandoned = new Promise<void>((resolve) => (abandon = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrive, abandon, released });
      return { arrived, abandoned, release };
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// `connection: close`: a fixture restarts the stand-in on the same port between tests, and a
// kept-alive socket to the stopped one would fail the next request as a network error.
function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  res.end(JSON.stringify(body));
}

/** Twilio's error body (https://www.twilio.com/docs/usage/twilios-response#response-formats-exceptions). */
function replyError(res: ServerResponse, failure: Failure): void {
  reply(
    res,
    failure.httpStatus,
    {
      code: failure.code,
      message: failure.message,
      more_info: `https://www.twilio.com/docs/errors/${failure.code}`,
      status: failure.httpStatus,
    },
    failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) },
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
