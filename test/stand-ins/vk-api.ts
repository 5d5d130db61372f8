import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { InboundRequest } from '../../bot/channels/channel-adapter.js';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';

/**
 * A local stand-in for the VK API methods the VK adapter calls, answering and failing the way VK
 * documents them (https://dev.vk.com/method/messages.send, https://dev.vk.com/reference/errors:
 * errors come with HTTP 200 as `{"error": {"error_code", "error_msg"}}`), with the two upload
 * servers for message photos and documents, plus builders of Callback API events shaped like VK's
 * (https://dev.vk.com/api/community-events/json-schema).
 */

export const VK_VERSION = '5.199';

export interface VkSentRecord extends SentRecord {
  peerId: string;
  randomId: number;
  /** The message id the stand-in answered with. */
  externalMessageId: string;
  /** The request's parameters as the stand-in received them (the token left out). */
  params: Record<string, string>;
  /** The `keyboard` parameter, parsed. */
  keyboard?: unknown;
  attachment?: string;
}

export interface VkUploadRecord {
  kind: 'photo' | 'doc' | 'audio_message';
  fileName?: string;
  mimeType: string;
  bytes: Buffer;
}

export interface VkApiStandIn extends ProviderStandIn {
  /** e.g. http://127.0.0.1:41234/method, what createVkAdapter takes. */
  apiRoot: string;
  sent(): VkSentRecord[];
  /** Every method call in order, sends that were refused included. */
  calls(): { method: string; params: Record<string, string> }[];
  uploads(): VkUploadRecord[];
  /** The next messages.send answers VK error `code` (with `httpStatus`, 200 unless given). */
  failNextWith(code: number, options?: { message?: string; httpStatus?: number; retryAfterSeconds?: number }): void;
  /**
   * Serves `bytes` the way VK serves attachment files; returns the file's URL. `viaRedirect` gives
   * a link that redirects to the file, as a document's vk.com/doc… link does.
   */
  addFile(bytes: Buffer, mimeType: string, options?: { viaRedirect?: boolean }): string;
}

interface Failure {
  code: number;
  message: string;
  httpStatus: number;
  retryAfterSeconds?: number;
}

interface SavedMedia {
  kind: VkUploadRecord['kind'];
}

/** Error messages as VK words them. */
const MESSAGES: Record<number, string> = {
  1: 'Unknown error occurred',
  3: 'Unknown method passed',
  5: 'User authorization failed: invalid access_token (4).',
  6: 'Too many requests per second',
  8: 'Invalid request: v (version) is required',
  9: 'Flood control',
  10: 'Internal server error',
  100: 'One of the parameters specified was missing or invalid',
  121: 'Invalid hash',
  900: "Can't send messages for users from blacklist",
  901: "Can't send messages for users without permission",
  902: "Can't send messages to this user due to their privacy settings",
  911: 'Keyboard format is invalid',
  914: 'Message is too long',
};

export async function startVkApi(options: {
  groupId: number;
  accessToken: string;
  /** A port to listen on; a random free one when absent. */
  port?: number;
}): Promise<VkApiStandIn> {
  const records: VkSentRecord[] = [];
  const calls: { method: string; params: Record<string, string> }[] = [];
  const uploads: VkUploadRecord[] = [];
  const failures: Failure[] = [];
  const files = new Map<string, { bytes: Buffer; mimeType: string }>();
  /** Uploaded and not yet saved: photos by hash, documents by file key. */
  const pendingPhotos = new Map<string, VkUploadRecord>();
  const pendingDocs = new Map<string, VkUploadRecord>();
  /** Saved, by attachment string without access key: what messages.send may attach. */
  const saved = new Map<string, SavedMedia>();
  /** `${peer_id}:${random_id}` of every message sent: VK does not send one twice. */
  const byRandomId = new Map<string, number>();
  let nextMessageId = randomInt(1_000, 100_000);
  let nextObjectId = randomInt(100_000, 1_000_000);
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.split('/').filter(Boolean);
    if (req.method === 'GET' && path[0] === 'files' && path[1]) {
      const file = files.get(path[1]);
      if (!file) return reply(res, 404, { error: 'not found' });
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length, connection: 'close' });
      res.end(file.bytes);
      return;
    }
    if (req.method === 'GET' && path[0] === 'doc' && path[1]) {
      res.writeHead(302, { location: `/files/${path[1]}`, connection: 'close' });
      res.end();
      return;
    }
    if (req.method === 'POST' && path[0] === 'upload' && (path[1] === 'photo' || path[1] === 'doc')) {
      return handleUpload(req, res, path[1], url.searchParams.get('type') === 'audio_message');
    }
    if (path[0] !== 'method' || !path[1] || path.length !== 2) return reply(res, 404, { error: 'not found' });
    const method = path[1];
    const params = await readParams(req, url);
    const token = params.access_token ?? bearer(req.headers.authorization);
    delete params.access_token;
    calls.push({ method, params });
    if (token !== options.accessToken) return replyError(res, failure(5));
    if (!params.v) return replyError(res, failure(8));
    switch (method) {
      case 'messages.send':
        return handleSend(res, params);
      case 'photos.getMessagesUploadServer':
        if (!/^-?\d+$/.test(params.peer_id ?? '')) return replyError(res, failure(100, 'peer_id is undefined'));
        return reply(res, 200, {
          response: {
            album_id: -3,
            upload_url: `${origin}/upload/photo?k=${key()}`,
            user_id: 0,
            group_id: options.groupId,
          },
        });
      case 'docs.getMessagesUploadServer': {
        if (!/^-?\d+$/.test(params.peer_id ?? '')) return replyError(res, failure(100, 'peer_id is undefined'));
        const type = params.type ?? 'doc';
        if (type !== 'doc' && type !== 'audio_message') return replyError(res, failure(100, 'type is invalid'));
        return reply(res, 200, { response: { upload_url: `${origin}/upload/doc?type=${type}&k=${key()}` } });
      }
      case 'photos.saveMessagesPhoto':
        return handleSavePhoto(res, params);
      case 'docs.save':
        return handleSaveDoc(res, params);
      default:
        return replyError(res, failure(3, `Unknown method passed: ${method}`));
    }
  }

  function handleSend(res: ServerResponse, params: Record<string, string>): void {
    const queued = failures.shift();
    if (queued) return replyError(res, queued);
    const request = sendParamsSchema.safeParse(params);
    if (!request.success) return replyError(res, failure(100, z.prettifyError(request.error)));
    const { peer_id: peerId, random_id: randomId, message, attachment } = request.data;
    if (!message && !attachment) return replyError(res, failure(100, 'message is empty or invalid'));
    if (message && message.length > 9000) return replyError(res, failure(914));
    const keyboard = params.keyboard === undefined ? undefined : keyboardSchema.safeParse(parseJson(params.keyboard));
    if (keyboard && !keyboard.success) return replyError(res, failure(911, z.prettifyError(keyboard.error)));
    const attached = (attachment ?? '')
      .split(',')
      .filter(Boolean)
      .map((ref) => saved.get(ref.replace(/^((?:photo|doc)-?\d+_\d+)_.*$/, '$1')));
    if (attached.some((media) => media === undefined)) return replyError(res, failure(100, 'attachment is invalid'));
    // VK's check against resending: a random_id already used in the dialog sends nothing new.
    const dedupe = `${peerId}:${randomId}`;
    const earlier = byRandomId.get(dedupe);
    if (earlier !== undefined) return reply(res, 200, { response: earlier });
    const id = nextMessageId++;
    byRandomId.set(dedupe, id);
    const record: VkSentRecord = {
      chatId: peerId,
      peerId,
      randomId,
      externalMessageId: String(id),
      params,
      ...(message ? { text: message } : {}),
      ...(keyboard?.success
        ? { keyboard: keyboard.data, buttons: keyboard.data.buttons.flat().map((button) => button.action.label) }
        : {}),
      ...(attachment ? { attachment, mediaKind: attached[0]?.kind } : {}),
    };
    // Counted only once the answer is fully written, as a provider would have it.
    res.once('finish', () => records.push(record));
    reply(res, 200, { response: id });
  }

  async function handleUpload(
    req: IncomingMessage,
    res: ServerResponse,
    server: 'photo' | 'doc',
    voice: boolean,
  ): Promise<void> {
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: await readBody(req),
    })
      .formData()
      .catch(() => undefined);
    const file = form?.get(server === 'photo' ? 'photo' : 'file');
    if (!(file instanceof Blob) || file.size === 0) {
      // The upload servers' own way of refusing: a photo list that is empty, a document error.
      return server === 'photo'
        ? reply(res, 200, { server: 1, photo: '[]', hash: key() })
        : reply(res, 200, { error: 'no_file', error_descr: 'file is empty' });
    }
    const upload: VkUploadRecord = {
      kind: server === 'photo' ? 'photo' : voice ? 'audio_message' : 'doc',
      fileName: file instanceof File ? file.name : undefined,
      mimeType: file.type,
      bytes: Buffer.from(await file.arrayBuffer()),
    };
    uploads.push(upload);
    const handle = key();
    if (server === 'photo') {
      pendingPhotos.set(handle, upload);
      return reply(res, 200, { server: 1, photo: JSON.stringify([{ photo: handle, sizes: [] }]), hash: handle });
    }
    pendingDocs.set(handle, upload);
    reply(res, 200, { file: handle });
  }

  function handleSavePhoto(res: ServerResponse, params: Record<string, string>): void {
    const upload = pendingPhotos.get(params.hash ?? '');
    if (!upload || !params.photo || !params.server) return replyError(res, failure(121));
    pendingPhotos.delete(params.hash ?? '');
    const id = nextObjectId++;
    const ownerId = -options.groupId;
    saved.set(`photo${ownerId}_${id}`, { kind: 'photo' });
    reply(res, 200, {
      response: [
        {
          album_id: -3,
          date: Math.floor(Date.now() / 1000),
          id,
          owner_id: ownerId,
          access_key: randomBytes(9).toString('hex'),
          sizes: [{ type: 'x', url: `${origin}/files/none`, width: 604, height: 403 }],
          text: '',
        },
      ],
    });
  }

  function handleSaveDoc(res: ServerResponse, params: Record<string, string>): void {
    const upload = pendingDocs.get(params.file ?? '');
    if (!upload) return replyError(res, failure(100, 'file is invalid'));
    pendingDocs.delete(params.file ?? '');
    const id = nextObjectId++;
    const ownerId = -options.groupId;
    saved.set(`doc${ownerId}_${id}`, { kind: upload.kind });
    const object = { id, owner_id: ownerId, access_key: randomBytes(9).toString('hex') };
    if (upload.kind === 'audio_message') {
      return reply(res, 200, { response: { type: 'audio_message', audio_message: { ...object, duration: 1 } } });
    }
    const title = params.title ?? upload.fileName ?? 'file';
    reply(res, 200, {
      response: {
        type: 'doc',
        doc: {
          ...object,
          title,
          size: upload.bytes.length,
          ext: title.split('.').pop() ?? '',
          url: `${origin}/files/none`,
          type: 8,
        },
      },
    });
  }

  function failure(code: number, detail?: string): Failure {
    const message = MESSAGES[code] ?? `Error ${code}`;
    return { code, httpStatus: 200, message: detail ? `${message}: ${detail}` : message };
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      replyError(res, { code: 10, httpStatus: 500, message: `Internal server error: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The VK stand-in is not listening on TCP');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    apiRoot: `${origin}/method`,
    sent: () => [...records],
    calls: () => [...calls],
    uploads: () => [...uploads],
    failNextWith(code, failOptions = {}) {
      failures.push({
        code,
        httpStatus: failOptions.httpStatus ?? 200,
        message: failOptions.message ?? MESSAGES[code] ?? `Error ${code}`,
        retryAfterSeconds: failOptions.retryAfterSeconds,
      });
    },
    failNextWithRateLimit(retryAfterSeconds) {
      // VK documents no Retry-After; the stand-in sends one so a suite can check it is honoured.
      failures.push({ code: 6, httpStatus: 200, message: MESSAGES[6]!, retryAfterSeconds });
    },
    failNextWithBlocked() {
      failures.push({ code: 901, httpStatus: 200, message: MESSAGES[901]! });
    },
    failNextWithServerError() {
      failures.push({ code: 10, httpStatus: 500, message: MESSAGES[10]! });
    },
    addFile(bytes, mimeType, fileOptions = {}) {
      const id = key();
      files.set(id, { bytes, mimeType });
      return `${origin}/${fileOptions.viaRedirect ? 'doc' : 'files'}/${id}`;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const sendParamsSchema = z.object({
  peer_id: z.string().regex(/^-?\d+$/, 'peer_id is required'),
  random_id: z
    .string({ error: 'random_id is a required parameter' })
    .regex(/^-?\d+$/, 'random_id is an integer')
    .transform(Number),
  message: z.string().optional(),
  attachment: z.string().optional(),
});

/** An inline keyboard as https://dev.vk.com/api/bots/development/keyboard describes it. */
const keyboardSchema = z
  .object({
    inline: z.boolean().optional(),
    one_time: z.boolean().optional(),
    buttons: z.array(
      z
        .array(
          z.object({
            action: z.object({
              type: z.literal('text'),
              label: z.string().refine((label) => Array.from(label).length <= 40, 'label is at most 40 characters'),
              payload: z.string().max(255).optional(),
            }),
            color: z.enum(['primary', 'secondary', 'negative', 'positive']).optional(),
          }),
        )
        .min(1)
        .max(5),
    ),
  })
  .refine((keyboard) => !keyboard.inline || keyboard.buttons.length <= 6, 'an inline keyboard has at most 6 rows')
  .refine(
    (keyboard) => !keyboard.inline || keyboard.buttons.flat().length <= 10,
    'an inline keyboard has at most 10 buttons',
  )
  .refine((keyboard) => !keyboard.inline || keyboard.one_time === undefined, 'one_time is not for inline keyboards');

// `connection: close`: a fixture restarts the stand-in on the same port between tests, and a
// kept-alive socket to the stopped one would fail the next request as a network error.
function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', connection: 'close', ...headers });
  res.end(JSON.stringify(body));
}

function replyError(res: ServerResponse, failure: Failure): void {
  const headers: Record<string, string> =
    failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  reply(
    res,
    failure.httpStatus,
    { error: { error_code: failure.code, error_msg: failure.message, request_params: [] } },
    headers,
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/** Parameters from the query and a form body, as VK takes them either way. */
async function readParams(req: IncomingMessage, url: URL): Promise<Record<string, string>> {
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const body = await readBody(req);
  if (body.length === 0) return params;
  const form = await new Request('http://x', {
    method: 'POST',
    headers: { 'content-type': req.headers['content-type'] ?? 'application/x-www-form-urlencoded' },
    body,
  })
    .formData()
    .catch(() => undefined);
  for (const [name, value] of form?.entries() ?? []) if (typeof value === 'string') params[name] = value;
  return params;
}

function bearer(header: string | undefined): string | undefined {
  return header?.match(/^Bearer (.+)$/)?.[1];
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function key(): string {
  return randomBytes(12).toString('hex');
}

/* ---------- Callback API events, shaped like VK's ---------- */

/** A POST as VK's Callback API sends it: the event as a JSON body, the secret key inside it. */
export function vkCallbackRequest(event: unknown): InboundRequest {
  return vkRawCallbackRequest(Buffer.from(JSON.stringify(event), 'utf8'));
}

export function vkRawCallbackRequest(rawBody: Buffer): InboundRequest {
  return { method: 'POST', headers: { 'content-type': 'application/json' }, query: {}, rawBody };
}

/** One event of `type` for community `groupId`; `secret` undefined leaves the field out. */
export function vkEvent(groupId: number, secret: string | undefined, type: string, object?: unknown): unknown {
  return {
    group_id: groupId,
    type,
    event_id: randomBytes(20).toString('hex'),
    v: VK_VERSION,
    ...(object === undefined ? {} : { object }),
    ...(secret === undefined ? {} : { secret }),
  };
}

/** A private message from user `fromId` (https://dev.vk.com/reference/objects/message). */
export function vkMessage(fields: {
  id: number;
  fromId: number;
  text: string;
  peerId?: number;
  attachments?: unknown[];
  [extra: string]: unknown;
}): Record<string, unknown> {
  const { id, fromId, text, peerId, attachments, ...extra } = fields;
  return {
    date: Math.floor(Date.now() / 1000),
    from_id: fromId,
    id,
    out: 0,
    version: 10_000_000 + id,
    attachments: attachments ?? [],
    conversation_message_id: id,
    fwd_messages: [],
    important: false,
    is_hidden: false,
    peer_id: peerId ?? fromId,
    random_id: 0,
    text,
    ...extra,
  };
}

/** message_new as API 5.103+ sends it: the message and what the person's app can show. */
export function vkMessageNew(groupId: number, secret: string | undefined, message: Record<string, unknown>): unknown {
  return vkEvent(groupId, secret, 'message_new', {
    message,
    client_info: {
      button_actions: ['text', 'vkpay', 'open_app', 'location', 'open_link', 'callback', 'intent_subscribe'],
      keyboard: true,
      inline_keyboard: true,
      carousel: true,
      lang_id: 0,
    },
  });
}

/** Attachments of an incoming message, as VK's message objects carry them. */
export const vkAttachment = {
  photo: (url: string, ownerId = randomInt(1, 10 ** 8)) => ({
    type: 'photo',
    photo: {
      album_id: -3,
      date: Math.floor(Date.now() / 1000),
      id: randomInt(1, 10 ** 9),
      owner_id: ownerId,
      access_key: randomBytes(9).toString('hex'),
      sizes: [
        { height: 75, type: 's', width: 56, url: `${url}?size=56x75` },
        { height: 1280, type: 'w', width: 960, url },
        { height: 604, type: 'x', width: 453, url: `${url}?size=453x604` },
      ],
      text: '',
      has_tags: false,
    },
  }),
  doc: (url: string, title: string, size: number) => ({
    type: 'doc',
    doc: {
      id: randomInt(1, 10 ** 9),
      owner_id: randomInt(1, 10 ** 8),
      title,
      size,
      ext: title.split('.').pop() ?? '',
      date: Math.floor(Date.now() / 1000),
      type: 1,
      url,
      access_key: randomBytes(9).toString('hex'),
    },
  }),
  audioMessage: (linkOgg: string) => ({
    type: 'audio_message',
    audio_message: {
      id: randomInt(1, 10 ** 9),
      owner_id: randomInt(1, 10 ** 8),
      duration: 3,
      waveform: [0, 3, 7, 12, 7, 3, 0],
      link_ogg: linkOgg,
      link_mp3: `${linkOgg}.mp3`,
      access_key: randomBytes(9).toString('hex'),
    },
  }),
  video: (ownerId: number, id: number, title: string) => ({
    type: 'video',
    video: { id, owner_id: ownerId, title, duration: 12, access_key: randomBytes(9).toString('hex') },
  }),
  wall: () => ({ type: 'wall', wall: { id: randomInt(1, 10 ** 6), from_id: -1, text: 'Пост' } }),
};
