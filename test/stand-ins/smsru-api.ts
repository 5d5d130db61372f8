import { createHash, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';
import { formBody, postWebhook, type ProviderWebhook, type WebhookAnswer } from './post-webhook.js';

/**
 * A local stand-in for SMS.ru's `sms/send` (https://sms.ru/api/send), answering with its JSON
 * statuses and codes, plus the callbacks SMS.ru posts to the address set in the account
 * (https://sms.ru/api/callback): `data[…]` entries of lines, signed by `hash`.
 */

/** An api_id as SMS.ru shows it: an upper-case GUID. */
export function smsruApiId(): string {
  const hex = () => randomInt(0, 16).toString(16).toUpperCase();
  return [8, 4, 4, 4, 12].map((length) => Array.from({ length }, hex).join('')).join('-');
}

/** An SMS.ru message id, "000000-10000000"-shaped. */
export function smsruSmsId(): string {
  return `${randomInt(100000, 999999)}-${randomInt(10_000_000, 99_999_999)}`;
}

/** `hash`: hex SHA-256 of the api_id followed by every entry, computed here on its own. */
export function signSmsru(apiId: string, entries: string[]): string {
  return createHash('sha256')
    .update(apiId + entries.join(''), 'utf8')
    .digest('hex');
}

export const smsruEntries = {
  status: (smsId: string, code: number, at = new Date()) =>
    ['sms_status', smsId, String(code), String(Math.floor(at.getTime() / 1000))].join('\n'),
  received: (smsId: string, fromDigits: string, text: string, at = new Date()) =>
    ['sms_received', smsId, fromDigits, String(Math.floor(at.getTime() / 1000)), text].join('\n'),
};

/**
 * A callback as SMS.ru posts it: entries as `data[0]`, `data[1]`… and their `hash`, form-encoded,
 * or multipart as some SMS.ru deliveries come.
 */
export function smsruCallback(
  apiId: string,
  url: string,
  entries: string[],
  options: { multipart?: boolean; hash?: string } = {},
): ProviderWebhook {
  const fields: [string, string][] = [
    ...entries.map((entry, index): [string, string] => [`data[${index}]`, entry]),
    ['hash', options.hash ?? signSmsru(apiId, entries)],
  ];
  if (!options.multipart) {
    return { url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, rawBody: formBody(fields) };
  }
  const boundary = `----smsru${randomInt(10 ** 9, 10 ** 10)}`;
  const parts = fields.map(
    ([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
  return {
    url,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    rawBody: Buffer.from(`${parts.join('')}--${boundary}--\r\n`),
  };
}

export interface SmsruSentRecord extends SentRecord {
  smsId: string;
  from?: string;
}

type Failure =
  | { kind: 'request'; code: number }
  | { kind: 'number'; code: number }
  | { kind: 'http'; status: number; retryAfterSeconds?: number };

const STATUS_TEXT: Record<number, string> = {
  200: 'Неправильный api_id',
  202: 'Неправильно указан номер телефона получателя, либо на него нет маршрута',
  203: 'Нет текста сообщения',
  215: 'Этот номер находится в стоп-листе SMS.RU (от получателя поступала жалоба на спам)',
  500: 'Ошибка на сервере. Повторите запрос.',
};

export interface SmsruApi extends ProviderStandIn {
  /** e.g. http://127.0.0.1:41234: what SMSRU_API_ROOT takes. */
  apiRoot: string;
  sent(): SmsruSentRecord[];
  /** The next send is refused with this status code, for the whole request or for its number. */
  failNextWith(code: number, level?: 'request' | 'number'): void;
  /** Where the account's callbacks go (set in the SMS.ru account). */
  setCallback(url: string): void;
  /** Posts a status of a sent message to the callback, signed. */
  reportStatus(smsId: string, code: number): Promise<WebhookAnswer>;
  /** Posts a text someone sent to the account's number to the callback, signed. */
  receive(fromDigits: string, text: string, smsId?: string): Promise<WebhookAnswer>;
}

/** Starts the stand-in for one SMS.ru account; `webhookVia` as in startTwilioApi. */
export async function startSmsruApi(options: { apiId: string; port?: number; webhookVia?: string }): Promise<SmsruApi> {
  const records: SmsruSentRecord[] = [];
  const failures: Failure[] = [];
  let callbackUrl: string | undefined;
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    if (url.pathname !== '/sms/send')
      return reply(res, 200, { status: 'ERROR', status_code: 211, status_text: 'Метод не найден' });
    // SMS.ru takes the parameters in the query or in a POSTed form alike.
    const form = new URLSearchParams((await readBody(req)).toString('utf8'));
    for (const [name, value] of url.searchParams) if (!form.has(name)) form.set(name, value);
    const failure = failures.shift();
    if (failure?.kind === 'http') {
      res.writeHead(failure.status, {
        'content-type': 'text/plain',
        connection: 'close',
        ...(failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) }),
      });
      res.end('Too Many Requests');
      return;
    }
    const refuse = (code: number) => ({
      status: 'ERROR',
      status_code: code,
      status_text: STATUS_TEXT[code] ?? `Ошибка ${code}`,
    });
    if (form.get('api_id') !== options.apiId) return reply(res, 200, refuse(200));
    if (failure?.kind === 'request') return reply(res, 200, refuse(failure.code));
    const to = form.get('to') ?? '';
    const msg = form.get('msg') ?? '';
    const answer = (phone: Record<string, unknown>) =>
      reply(res, 200, { status: 'OK', status_code: 100, sms: { [to]: phone }, balance: 4122.56 });
    if (failure?.kind === 'number') return answer(refuse(failure.code));
    if (!/^\d{10,15}$/.test(to)) return answer(refuse(202));
    if (msg === '') return answer(refuse(203));
    const smsId = smsruSmsId();
    const from = form.get('from') ?? undefined;
    res.once('finish', () => records.push({ smsId, chatId: `+${to}`, text: msg, ...(from ? { from } : {}) }));
    answer({ status: 'OK', status_code: 100, sms_id: smsId });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      reply(res, 500, { status: 'ERROR', status_code: 500, status_text: String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The SMS.ru stand-in is not listening on TCP');
  origin = `http://127.0.0.1:${address.port}`;

  const post = (entries: string[]) => {
    if (!callbackUrl) throw new Error('No callback address is set in the SMS.ru stand-in');
    return postWebhook(smsruCallback(options.apiId, callbackUrl, entries), options.webhookVia);
  };

  return {
    apiRoot: origin,
    sent: () => [...records],
    failNextWith(code, level = 'number') {
      failures.push({ kind: level, code });
    },
    failNextWithRateLimit(retryAfterSeconds) {
      // SMS.ru documents no rate limit answer; a generic HTTP 429 with Retry-After checks it is honoured.
      failures.push({ kind: 'http', status: 429, retryAfterSeconds });
    },
    failNextWithBlocked() {
      failures.push({ kind: 'number', code: 215 });
    },
    failNextWithServerError() {
      failures.push({ kind: 'request', code: 500 });
    },
    setCallback(url) {
      callbackUrl = url;
    },
    reportStatus: (smsId, code) => post([smsruEntries.status(smsId, code)]),
    receive: (fromDigits, text, smsId = smsruSmsId()) => post([smsruEntries.received(smsId, fromDigits, text)]),
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

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}
