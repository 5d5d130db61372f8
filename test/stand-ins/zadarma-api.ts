import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { formBody, type ProviderWebhook } from './post-webhook.js';

/**
 * A local stand-in for the Zadarma API call the voice channel makes (`pbx/record/request`, which
 * answers a temporary link to a call recording) and for the recordings behind those links, plus
 * builders of the notifications Zadarma posts, signed as its PHP library signs them
 * (https://zadarma.com/en/support/api/#api_webhooks, https://github.com/zadarma/user-api-v1).
 */

/** base64 of the hex HMAC-SHA1 (PHP's hash_hmac output is hex text), computed here on its own. */
export function signZadarma(text: string, secret: string): string {
  return Buffer.from(createHmac('sha1', secret).update(text).digest('hex'), 'utf8').toString('base64');
}

/** "YYYY-MM-DD hh:mm:ss": how Zadarma writes call_start, in the account's time zone. */
export function zadarmaTime(date: Date, timeZone = 'Europe/Moscow'): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')}`;
}

export function pbxCallId(): string {
  return `in_${randomBytes(16).toString('hex')}`;
}

export function callIdWithRecord(): string {
  return `${Math.floor(Date.now() / 1000)}.${randomInt(1_000_000, 9_999_999)}`;
}

/** The fields of Zadarma's notifications and, in order, the ones each signs. */
export const zadarmaPayloads = {
  notifyStart(call: { pbxCallId: string; callerId: string; calledDid: string; callStart: string }) {
    return {
      fields: {
        event: 'NOTIFY_START',
        call_start: call.callStart,
        pbx_call_id: call.pbxCallId,
        caller_id: call.callerId,
        called_did: call.calledDid,
      },
      signed: call.callerId + call.calledDid + call.callStart,
    };
  },
  notifyEnd(call: {
    pbxCallId: string;
    callerId: string;
    calledDid: string;
    callStart: string;
    internal?: string;
    durationSec: number;
    disposition: string;
    recordId?: string;
  }) {
    return {
      fields: {
        event: 'NOTIFY_END',
        call_start: call.callStart,
        pbx_call_id: call.pbxCallId,
        caller_id: call.callerId,
        called_did: call.calledDid,
        ...(call.internal ? { internal: call.internal } : {}),
        duration: String(call.durationSec),
        disposition: call.disposition,
        status_code: call.disposition === 'answered' ? '16' : '19',
        is_recorded: call.recordId ? '1' : '0',
        call_id_with_rec: call.recordId ?? '',
      },
      signed: call.callerId + call.calledDid + call.callStart,
    };
  },
  notifyOutEnd(call: {
    pbxCallId: string;
    callerId: string;
    destination: string;
    callStart: string;
    internal: string;
    durationSec: number;
    disposition: string;
    recordId?: string;
  }) {
    return {
      fields: {
        event: 'NOTIFY_OUT_END',
        call_start: call.callStart,
        pbx_call_id: call.pbxCallId,
        caller_id: call.callerId,
        destination: call.destination,
        internal: call.internal,
        duration: String(call.durationSec),
        disposition: call.disposition,
        status_code: '16',
        is_recorded: call.recordId ? '1' : '0',
        call_id_with_rec: call.recordId ?? '',
      },
      signed: call.internal + call.destination + call.callStart,
    };
  },
  notifyRecord(record: { pbxCallId: string; recordId: string }) {
    return {
      fields: { event: 'NOTIFY_RECORD', call_id_with_rec: record.recordId, pbx_call_id: record.pbxCallId },
      signed: record.pbxCallId + record.recordId,
    };
  },
};

/** A notification as Zadarma posts it: form fields and the `Signature` header. */
export function zadarmaNotification(
  secret: string,
  url: string,
  notification: { fields: Record<string, string>; signed: string },
): ProviderWebhook {
  return {
    url,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      signature: signZadarma(notification.signed, secret),
    },
    rawBody: formBody(Object.entries(notification.fields)),
  };
}

export interface ZadarmaApi {
  /** e.g. http://127.0.0.1:41234: what ZADARMA_API_ROOT takes. */
  apiRoot: string;
  /** Keeps a recording under its call_id_with_rec. */
  addRecording(recordId: string, bytes: Buffer): void;
  /** Record links asked for, by call id. */
  linkRequests(): string[];
  close(): Promise<void>;
}

export async function startZadarmaApi(options: {
  apiKey: string;
  apiSecret: string;
  port?: number;
}): Promise<ZadarmaApi> {
  const recordings = new Map<string, Buffer>();
  const requests: string[] = [];
  let origin = '';

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', origin);
    const file = /^\/records\/([\w.]+)\.mp3$/.exec(url.pathname)?.[1];
    if (req.method === 'GET' && file && recordings.has(file)) {
      const bytes = recordings.get(file)!;
      res.writeHead(200, { 'content-type': 'audio/mpeg', 'content-length': bytes.length, connection: 'close' });
      res.end(bytes);
      return;
    }
    if (url.pathname !== '/v1/pbx/record/request/')
      return reply(res, 404, { status: 'error', message: 'Method not found' });
    const params = [...url.searchParams].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const query = new URLSearchParams(params).toString();
    const md5 = createHash('md5').update(query).digest('hex');
    const expected = `${options.apiKey}:${signZadarma(url.pathname + query + md5, options.apiSecret)}`;
    if (req.headers.authorization !== expected) return reply(res, 401, { status: 'error', message: 'Not authorized' });
    const callId = url.searchParams.get('call_id') ?? '';
    requests.push(callId);
    if (!recordings.has(callId)) return reply(res, 200, { status: 'error', message: 'Record not found' });
    reply(res, 200, {
      status: 'success',
      link: `${origin}/records/${callId}.mp3`,
      lifetime_till: '2030-01-01 00:00:00',
    });
  }

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The Zadarma stand-in is not listening on TCP');
  origin = `http://127.0.0.1:${address.port}`;
  return {
    apiRoot: origin,
    addRecording: (recordId, bytes) => void recordings.set(recordId, bytes),
    linkRequests: () => [...requests],
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
  res.end(JSON.stringify(body));
}
