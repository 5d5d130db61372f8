import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';

/**
 * A local Telegram Bot API server for tests, speaking the documented protocol
 * (https://core.telegram.org/bots/api#making-requests): `/bot<token>/<method>` with the parameters in
 * the query string, JSON, urlencoded or multipart/form-data, answered with `{ ok, result }` or
 * `{ ok: false, error_code, description, parameters }`; files under `/file/bot<token>/<file_path>`.
 */

/** One message the bot sent, recorded once its response was written. */
export interface TelegramSentMessage extends SentRecord {
  method: string;
  messageId: number;
  /** Date.now() when the response was handed to the socket. */
  at: number;
  caption?: string;
  fileName?: string;
  fileBytes?: number;
}

export interface HeldSend {
  /** Resolves when the held request has arrived. */
  arrived: Promise<void>;
  /** Resolves when the held request's client hung up before release (it is then never recorded). */
  abandoned: Promise<void>;
  /** Lets the held request go on (it is dropped unrecorded if its client is gone by then). */
  release(): void;
}

export interface TelegramBotApiStandIn extends ProviderStandIn {
  /** What grammy's `apiRoot` option takes. */
  apiRoot: string;
  token: string;
  sent(): TelegramSentMessage[];
  /** When each message was sent (ms), in order: for rate assertions. */
  sentAt(): number[];
  /** Queues an update for getUpdates; assigns update_id when absent and returns it. */
  pushUpdate(update: Record<string, unknown>): number;
  /** Updates not yet confirmed by a getUpdates offset. */
  pendingUpdates(): number;
  addFile(fileId: string, bytes: Uint8Array | string, mimeType: string): void;
  answeredCallbacks(): string[];
  webhook(): { url: string; secretToken?: string; allowedUpdates?: string[] };
  /** Stalls the next send request until released or until its client disconnects. */
  holdNextSend(): HeldSend;
}

interface UploadedFile {
  fileName: string;
  bytes: Buffer;
}
type Params = Map<string, unknown>;

interface StoredFile {
  fileId: string;
  uniqueId: string;
  path: string;
  bytes: Buffer;
  mimeType: string;
}

type Failure = { kind: 'rate-limit'; retryAfter: number } | { kind: 'blocked' } | { kind: 'server-error' };

/** An answer with ok: false; the HTTP status equals error_code, as Telegram does. */
class ApiFailure extends Error {
  constructor(
    readonly errorCode: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number },
  ) {
    super(description);
    this.name = 'ApiFailure';
  }
}

/** The form field that carries the file, per send method. */
const FILE_FIELDS: Record<string, { field: string; kind: string }> = {
  sendphoto: { field: 'photo', kind: 'image' },
  senddocument: { field: 'document', kind: 'document' },
  sendvoice: { field: 'voice', kind: 'voice' },
  sendaudio: { field: 'audio', kind: 'audio' },
  sendvideo: { field: 'video', kind: 'video' },
  sendsticker: { field: 'sticker', kind: 'sticker' },
};

export async function startTelegramBotApi(options: { token?: string } = {}): Promise<TelegramBotApiStandIn> {
  const token = options.token ?? `${randomInt(100_000_000, 999_999_999)}:${randomBytes(26).toString('base64url')}`;
  const botUser = {
    id: Number(token.split(':')[0]),
    is_bot: true,
    first_name: 'Stand-in Bot',
    username: 'stand_in_bot',
  };
  const sent: TelegramSentMessage[] = [];
  const answered: string[] = [];
  const files = new Map<string, StoredFile>();
  const lastMessageId = new Map<number, number>();
  const failures: Failure[] = [];
  const holds: { arrive: () => void; abandon: () => void; released: Promise<void> }[] = [];
  let updates: { update_id: number; [key: string]: unknown }[] = [];
  let nextUpdateId = randomInt(100_000, 900_000);
  let allowedUpdates: string[] | undefined;
  let webhook: { url: string; secretToken?: string } = { url: '' };
  /** The getUpdates request now waiting; a newer one ends it with 409, as Telegram does. */
  let waiting: { wake: (conflict: boolean) => void } | undefined;

  const now = () => Math.floor(Date.now() / 1000);

  const storeFile = (bytes: Buffer, mimeType: string, folder: string, fileId?: string): StoredFile => {
    const id = fileId ?? `BQAC${randomBytes(24).toString('base64url')}`;
    const file = {
      fileId: id,
      uniqueId: randomBytes(8).toString('hex'),
      path: `${folder}/file_${files.size}`,
      bytes,
      mimeType,
    };
    files.set(id, file);
    return file;
  };

  const deliverable = () =>
    updates.filter(
      (update) => !allowedUpdates?.length || Object.keys(update).some((key) => allowedUpdates?.includes(key)),
    );

  const chatIdOf = (params: Params): number => {
    const raw = params.get('chat_id');
    if (raw === undefined || raw === '') throw new ApiFailure(400, 'Bad Request: chat_id is empty');
    const id = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw) ? Number(raw) : undefined;
    if (id === undefined) throw new ApiFailure(400, 'Bad Request: chat not found');
    return id;
  };

  const buttonsOf = (params: Params): { captions?: string[]; markup?: unknown } => {
    const markup = jsonParam(params, 'reply_markup');
    if (!isRecord(markup) || !Array.isArray(markup.inline_keyboard)) return { markup };
    const buttons = markup.inline_keyboard.flat();
    for (const button of buttons) {
      if (!isRecord(button) || typeof button.text !== 'string' || !button.text) {
        throw new ApiFailure(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
      }
      const data = button.callback_data;
      if (typeof data === 'string' && (Buffer.byteLength(data) < 1 || Buffer.byteLength(data) > 64)) {
        throw new ApiFailure(400, 'Bad Request: BUTTON_DATA_INVALID');
      }
    }
    return { captions: buttons.flatMap((button) => (isRecord(button) ? [String(button.text)] : [])), markup };
  };

  /** Builds the Message a send returns and the record kept once the response is written. */
  const send = (method: string, params: Params): { result: Record<string, unknown>; record: TelegramSentMessage } => {
    const chatId = chatIdOf(params);
    const { captions, markup } = buttonsOf(params);
    const fileField = FILE_FIELDS[method];
    const record: Omit<TelegramSentMessage, 'messageId' | 'at'> = { method, chatId: String(chatId) };
    const extra: Record<string, unknown> = {};
    if (captions) record.buttons = captions;
    if (markup !== undefined) extra.reply_markup = markup;
    if (!fileField) {
      const text = stringParam(params, 'text');
      if (!text?.trim()) throw new ApiFailure(400, 'Bad Request: message text is empty');
      if (text.length > 4096) throw new ApiFailure(400, 'Bad Request: message is too long');
      record.text = text;
      extra.text = text;
    } else {
      const upload = fileParam(params, fileField.field, files);
      if (!upload) throw new ApiFailure(400, `Bad Request: there is no ${fileField.field} in the request`);
      const caption = method === 'sendsticker' ? undefined : stringParam(params, 'caption');
      if (caption !== undefined && caption.length > 1024)
        throw new ApiFailure(400, 'Bad Request: message caption is too long');
      const stored = storeFile(upload.bytes, 'application/octet-stream', fileField.field);
      record.mediaKind = fileField.kind;
      record.fileName = upload.fileName;
      record.fileBytes = upload.bytes.length;
      if (caption) {
        record.text = caption;
        record.caption = caption;
        extra.caption = caption;
      }
      extra[fileField.field] = mediaResult(fileField.field, stored, upload.fileName);
    }
    const messageId = (lastMessageId.get(chatId) ?? 0) + 1;
    lastMessageId.set(chatId, messageId);
    const chat =
      chatId > 0
        ? { id: chatId, type: 'private', first_name: 'Client' }
        : { id: chatId, type: 'group', title: 'Group' };
    const result = { message_id: messageId, from: botUser, chat, date: now(), ...extra };
    return { result, record: { ...record, messageId, at: 0 } };
  };

  /** Resolves undefined when the client hung up while waiting. */
  const getUpdates = async (params: Params, req: IncomingMessage): Promise<unknown[] | undefined> => {
    if (webhook.url) {
      throw new ApiFailure(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    }
    const offset = intParam(params, 'offset');
    if (offset !== undefined) updates = updates.filter((update) => update.update_id >= offset);
    const allowed = jsonParam(params, 'allowed_updates');
    if (Array.isArray(allowed)) allowedUpdates = allowed.map(String);
    const limit = Math.min(Math.max(intParam(params, 'limit') ?? 100, 1), 100);
    const timeout = intParam(params, 'timeout') ?? 0;
    waiting?.wake(true);
    waiting = undefined;
    if (deliverable().length === 0 && timeout > 0) {
      const outcome = await new Promise<'news' | 'timeout' | 'conflict' | 'gone'>((resolve) => {
        const entry = { wake: (conflict: boolean) => finish(conflict ? 'conflict' : 'news') };
        const timer = setTimeout(() => finish('timeout'), timeout * 1000);
        const unwatch = watchClient(req, () => finish('gone'));
        function finish(how: 'news' | 'timeout' | 'conflict' | 'gone') {
          clearTimeout(timer);
          unwatch();
          if (waiting === entry) waiting = undefined;
          resolve(how);
        }
        waiting = entry;
      });
      if (outcome === 'conflict') {
        throw new ApiFailure(
          409,
          'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
        );
      }
      if (outcome === 'gone') return undefined;
    }
    return deliverable().slice(0, limit);
  };

  const call = async (method: string, params: Params, req: IncomingMessage): Promise<unknown> => {
    switch (method) {
      case 'getme':
        return botUser;
      case 'getupdates':
        return getUpdates(params, req);
      case 'setwebhook': {
        const url = stringParam(params, 'url') ?? '';
        const secretToken = stringParam(params, 'secret_token');
        if (secretToken !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secretToken)) {
          throw new ApiFailure(400, 'Bad Request: secret token contains unallowed characters');
        }
        const allowed = jsonParam(params, 'allowed_updates');
        if (Array.isArray(allowed)) allowedUpdates = allowed.map(String);
        if (booleanParam(params, 'drop_pending_updates')) updates = [];
        webhook = secretToken === undefined ? { url } : { url, secretToken };
        return true;
      }
      case 'deletewebhook':
        if (booleanParam(params, 'drop_pending_updates')) updates = [];
        webhook = { url: '' };
        return true;
      case 'getwebhookinfo':
        return {
          url: webhook.url,
          has_custom_certificate: false,
          pending_update_count: updates.length,
          ...(allowedUpdates ? { allowed_updates: allowedUpdates } : {}),
        };
      case 'answercallbackquery': {
        const id = stringParam(params, 'callback_query_id');
        if (!id) {
          throw new ApiFailure(
            400,
            'Bad Request: query is too old and response timeout expired or query ID is invalid',
          );
        }
        answered.push(id);
        return true;
      }
      case 'getfile': {
        const file = files.get(stringParam(params, 'file_id') ?? '');
        if (!file) throw new ApiFailure(400, 'Bad Request: invalid file_id');
        return {
          file_id: file.fileId,
          file_unique_id: file.uniqueId,
          file_size: file.bytes.length,
          file_path: file.path,
        };
      }
      default:
        throw new ApiFailure(404, 'Not Found');
    }
  };

  /** A send method: may be held or made to fail, and is recorded only once its answer is written. */
  const handleSend = async (
    method: string,
    params: Params,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const hold = holds.shift();
    if (hold) {
      hold.arrive();
      let gone = false;
      await new Promise<void>((resolve) => {
        const unwatch = watchClient(req, () => {
          gone = true;
          resolve();
        });
        void hold.released.then(() => {
          unwatch();
          resolve();
        });
      });
      if (gone) {
        hold.abandon();
        return void res.destroy();
      }
    }
    const failure = failures.shift();
    if (failure) throw failureAnswer(failure);
    const { result, record } = send(method, params);
    // 'finish' fires once the whole answer is handed to the OS. A send whose client vanished first
    // (a killed worker) is never recorded, which is what the crash tests count on.
    res.once('finish', () => sent.push({ ...record, at: Date.now() }));
    answer(res, 200, { ok: true, result });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      const file =
        fileMatch[1] === token ? [...files.values()].find((stored) => stored.path === fileMatch[2]) : undefined;
      if (!file) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const callMatch = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!callMatch?.[2]) return answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    if (callMatch[1] !== token) return answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    // Method names are case-insensitive (https://core.telegram.org/bots/api#making-requests).
    const method = callMatch[2].toLowerCase();
    const params: Params = new Map(url.searchParams);
    for (const [key, value] of await readBody(req)) params.set(key, value);
    if (method === 'sendmessage' || FILE_FIELDS[method]) return handleSend(method, params, req, res);
    const result = await call(method, params, req);
    if (result === undefined) return void res.destroy();
    answer(res, 200, { ok: true, result });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent || res.destroyed) return;
      const failure = error instanceof ApiFailure ? error : new ApiFailure(400, `Bad Request: ${String(error)}`);
      answer(res, failure.errorCode, {
        ok: false,
        error_code: failure.errorCode,
        description: failure.description,
        ...(failure.parameters ? { parameters: failure.parameters } : {}),
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The Telegram stand-in has no TCP address');

  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    token,
    sent: () => [...sent],
    sentAt: () => sent.map((message) => message.at),
    pushUpdate(update) {
      const updateId = typeof update.update_id === 'number' ? update.update_id : nextUpdateId++;
      updates.push({ ...update, update_id: updateId });
      waiting?.wake(false);
      return updateId;
    },
    pendingUpdates: () => updates.length,
    addFile(fileId, bytes, mimeType) {
      storeFile(Buffer.from(bytes), mimeType, 'documents', fileId);
    },
    answeredCallbacks: () => [...answered],
    webhook: () => ({ ...webhook, ...(allowedUpdates ? { allowedUpdates } : {}) }),
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
    failNextWithRateLimit: (retryAfter) => failures.push({ kind: 'rate-limit', retryAfter }),
    failNextWithBlocked: () => failures.push({ kind: 'blocked' }),
    failNextWithServerError: () => failures.push({ kind: 'server-error' }),
    async close() {
      waiting?.wake(false);
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // grammy keeps connections alive; without this close() would wait for them to time out.
      server.closeAllConnections();
      await closed;
    },
  };
}

function failureAnswer(failure: Failure): ApiFailure {
  switch (failure.kind) {
    case 'rate-limit':
      return new ApiFailure(429, `Too Many Requests: retry after ${failure.retryAfter}`, {
        retry_after: failure.retryAfter,
      });
    case 'blocked':
      return new ApiFailure(403, 'Forbidden: bot was blocked by the user');
    case 'server-error':
      return new ApiFailure(500, 'Internal Server Error');
  }
}

function mediaResult(field: string, file: StoredFile, fileName: string): unknown {
  const base = { file_id: file.fileId, file_unique_id: file.uniqueId, file_size: file.bytes.length };
  switch (field) {
    case 'photo':
      // Telegram answers with the sizes it made of the photo, smallest first.
      return [
        { ...base, file_id: `${file.fileId}_s`, width: 90, height: 67 },
        { ...base, width: 800, height: 600 },
      ];
    case 'sticker':
      return { ...base, type: 'regular', width: 512, height: 512, is_animated: false, is_video: false };
    case 'document':
      return { ...base, file_name: fileName, mime_type: file.mimeType };
    default:
      return { ...base, duration: 1, file_name: fileName, mime_type: file.mimeType };
  }
}

/**
 * Calls `gone` once the client hangs up; returns the unsubscribe. Node keeps a socket half-open after
 * the client's FIN so a pending response can still go out, so the response's 'close' would come only
 * after we wrote to nobody: the socket's 'end' is the first sign.
 */
function watchClient(req: IncomingMessage, gone: () => void): () => void {
  const { socket } = req;
  if (socket.readableEnded || socket.destroyed) {
    gone();
    return () => {};
  }
  socket.once('end', gone);
  socket.once('close', gone);
  return () => {
    socket.off('end', gone);
    socket.off('close', gone);
  };
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringParam(params: Params, name: string): string | undefined {
  const value = params.get(name);
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function booleanParam(params: Params, name: string): boolean {
  const value = params.get(name);
  return value === true || value === 'true';
}

function intParam(params: Params, name: string): number | undefined {
  const value = params.get(name);
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) ? number : undefined;
}

/** Form and query parameters carry objects as JSON-serialized strings. */
function jsonParam(params: Params, name: string): unknown {
  const value = params.get(name);
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    throw new ApiFailure(400, `Bad Request: can't parse ${name} JSON object`);
  }
}

/** A file sent as a multipart part (directly or as attach://<part>), or a file_id already on the server. */
function fileParam(params: Params, name: string, files: Map<string, StoredFile>): UploadedFile | undefined {
  const value = params.get(name);
  if (isUpload(value)) return value;
  if (typeof value !== 'string' || !value) return undefined;
  const attached = value.startsWith('attach://') ? params.get(value.slice('attach://'.length)) : undefined;
  if (isUpload(attached)) return attached;
  const known = files.get(value);
  if (known) return { fileName: known.path.split('/').pop() ?? 'file', bytes: known.bytes };
  throw new ApiFailure(400, 'Bad Request: wrong file identifier/HTTP URL specified');
}

function isUpload(value: unknown): value is UploadedFile {
  return isRecord(value) && Buffer.isBuffer(value.bytes) && typeof value.fileName === 'string';
}

async function readBody(req: IncomingMessage): Promise<Map<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.from(chunk));
  const body = Buffer.concat(chunks);
  if (body.length === 0) return new Map();
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    const json: unknown = JSON.parse(body.toString('utf8'));
    if (!isRecord(json)) throw new ApiFailure(400, 'Bad Request: parameters must be a JSON object');
    return new Map(Object.entries(json));
  }
  if (type.startsWith('application/x-www-form-urlencoded')) return new Map(new URLSearchParams(body.toString('utf8')));
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data') && boundary) return parseMultipart(body, boundary[1] ?? boundary[2] ?? '');
  throw new ApiFailure(400, 'Bad Request: unsupported content type');
}

/**
 * multipart/form-data (RFC 7578), read as leniently as Telegram's server does: grammy writes
 * `content-disposition:form-data;name="x";filename=y` without spaces or quotes, which the
 * Request.formData() of Node 20 refuses.
 */
function parseMultipart(body: Buffer, boundary: string): Map<string, unknown> {
  const fields = new Map<string, unknown>();
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const first = body.indexOf(`--${boundary}`);
  if (first < 0) throw new ApiFailure(400, 'Bad Request: multipart boundary not found');
  let position = first + delimiter.length - 2;
  while (body.subarray(position, position + 2).toString() !== '--') {
    const start = position + 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) throw new ApiFailure(400, 'Bad Request: unterminated multipart body');
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = part.subarray(0, Math.max(headerEnd, 0)).toString('utf8');
    const content = part.subarray(headerEnd + 4);
    const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line)) ?? '';
    const name = dispositionParam(disposition, 'name');
    const fileName = dispositionParam(disposition, 'filename');
    if (name !== undefined) {
      fields.set(name, fileName === undefined ? content.toString('utf8') : { fileName, bytes: Buffer.from(content) });
    }
    position = end + delimiter.length;
  }
  return fields;
}

function dispositionParam(header: string, param: string): string | undefined {
  const match = new RegExp(`;\\s*${param}\\s*=\\s*(?:"([^"]*)"|([^;]*))`, 'i').exec(header);
  return match ? (match[1] ?? match[2]?.trim()) : undefined;
}
