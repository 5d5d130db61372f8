import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { InboundRequest } from '../../bot/channels/channel-adapter.js';
import type { ProviderStandIn, SentRecord } from '../channels/adapter-fixture.js';

/**
 * A local stand-in for the parts of Meta's Graph API the WhatsApp adapter calls, answering and
 * failing the way the Cloud API documents (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages),
 * plus builders of signed webhook requests shaped like Meta's payload examples.
 */

export const GRAPH_VERSION = 'v21.0';

export interface WhatsappSentRecord extends SentRecord {
  /** The request body as the stand-in received it. */
  body: unknown;
  /** Date.now() when the answer was written: spacing checks (80 messages/s) read it. */
  at: number;
  /** The wamid the stand-in answered with. */
  externalMessageId: string;
}

export interface HeldSend {
  /** Resolves once the held request has arrived and is waiting. */
  arrived: Promise<void>;
  /**
   * The wamid the held send will be answered with, known on arrival: a test can post that
   * message's status webhook before the sender has heard back (as Meta sometimes does).
   */
  externalMessageId: Promise<string>;
  /** Resolves if its client disconnects before it is answered (the sender crashed or gave up). */
  gone: Promise<void>;
  /** Lets it go on to be answered (unless its client has gone meanwhile). */
  release(): void;
}

export interface WhatsappGraphApi extends ProviderStandIn {
  /** e.g. http://127.0.0.1:41234/v21.0, what createWhatsappAdapter takes. */
  graphUrl: string;
  sent(): WhatsappSentRecord[];
  /** Files received by POST /{phone-number-id}/media, in order. */
  uploads(): { id: string; mimeType: string; fileName?: string; bytes: Buffer }[];
  /** The next send answers `httpStatus` with Graph error `code` (and `error_data.details`, when given). */
  failNextWith(code: number, httpStatus: number, options?: { retryAfterSeconds?: number; details?: string }): void;
  /** Makes a file available as an inbound media id. */
  addMedia(id: string, bytes: Buffer, mimeType: string): void;
  /** Stalls the next send until released or its client disconnects. */
  holdNextSend(): HeldSend;
}

interface Failure {
  httpStatus: number;
  code: number;
  message: string;
  details?: string;
  retryAfterSeconds?: number;
}

interface StoredMedia {
  bytes: Buffer;
  mimeType: string;
  fileName?: string;
}

export async function startWhatsappGraphApi(options: {
  phoneNumberId: string;
  accessToken: string;
  /** A port to listen on; a random free one when absent. */
  port?: number;
}): Promise<WhatsappGraphApi> {
  const records: WhatsappSentRecord[] = [];
  const uploads: { id: string; mimeType: string; fileName?: string; bytes: Buffer }[] = [];
  const media = new Map<string, StoredMedia>();
  const failures: Failure[] = [];
  const holds: {
    arrived: (externalMessageId: string) => void;
    gone: () => void;
    released: Promise<void>;
    release: () => void;
  }[] = [];
  let origin = '';

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const path = url.pathname.split('/').filter(Boolean);
    if (req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return replyError(res, {
        httpStatus: 401,
        code: 190,
        message: 'Invalid OAuth access token - Cannot parse access token',
      });
    }
    if (req.method === 'GET' && path.join('/') === 'whatsapp_business/attachments') {
      const file = media.get(url.searchParams.get('mid') ?? '');
      if (!file) return reply(res, 404, { error: 'not found' });
      res.writeHead(200, { 'content-type': file.mimeType, 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    if (path[0] !== GRAPH_VERSION) return replyError(res, unknownObject(url.pathname));
    if (req.method === 'POST' && path.length === 3 && path[1] === options.phoneNumberId && path[2] === 'messages') {
      return handleSend(req, res);
    }
    if (req.method === 'POST' && path.length === 3 && path[1] === options.phoneNumberId && path[2] === 'media') {
      return handleUpload(req, res);
    }
    const mediaId = path[1];
    if (req.method === 'GET' && path.length === 2 && mediaId) {
      const file = media.get(mediaId);
      if (!file) return replyError(res, unknownObject(mediaId));
      // Meta's example gives file_size as a string; the adapter takes either.
      return reply(res, 200, {
        messaging_product: 'whatsapp',
        url: `${origin}/whatsapp_business/attachments/?mid=${mediaId}&ext=${Date.now()}`,
        mime_type: file.mimeType,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        file_size: String(file.bytes.length),
        id: mediaId,
      });
    }
    return replyError(res, unknownObject(url.pathname));
  }

  async function handleSend(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const externalMessageId = `wamid.${randomBytes(24).toString('base64')}`;
    const hold = holds.shift();
    if (hold) {
      let clientGone = false;
      const gone = new Promise<void>((resolve) =>
        res.once('close', () => {
          if (res.writableFinished) return;
          clientGone = true;
          hold.gone();
          resolve();
        }),
      );
      hold.arrived(externalMessageId);
      await Promise.race([hold.released, gone]);
      if (clientGone) return;
    }
    const failure = failures.shift();
    if (failure) return replyError(res, failure);
    const body = messageRequestSchema.safeParse(parseJson(raw.toString('utf8')));
    if (!body.success) return replyError(res, validationFailure(body.error));
    const unknownMedia = mediaIdOf(body.data);
    if (unknownMedia !== undefined && !media.has(unknownMedia)) {
      return replyError(res, {
        httpStatus: 400,
        code: 131009,
        message: 'Parameter value is not valid',
        details: `Invalid media id ${unknownMedia}`,
      });
    }
    const record: WhatsappSentRecord = { ...sentRecordOf(body.data), body: body.data, at: 0, externalMessageId };
    // Counted only once the answer is fully written: a crash test kills the sender while a send is
    // held, and a request whose client died before hearing back must not count as delivered.
    res.once('finish', () => records.push({ ...record, at: Date.now() }));
    reply(res, 200, {
      messaging_product: 'whatsapp',
      contacts: [{ input: body.data.to, wa_id: body.data.to }],
      messages: [{ id: externalMessageId }],
    });
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const form = await new Request('http://x', {
      method: 'POST',
      headers: { 'content-type': req.headers['content-type'] ?? '' },
      body: raw,
    })
      .formData()
      .catch(() => undefined);
    if (form?.get('messaging_product') !== 'whatsapp') {
      return replyError(res, { httpStatus: 400, code: 100, message: 'The parameter messaging_product is required.' });
    }
    const file = form.get('file');
    const type = form.get('type');
    if (!(file instanceof Blob) || typeof type !== 'string' || type === '') {
      return replyError(res, {
        httpStatus: 400,
        code: 131008,
        message: 'Required parameter is missing',
        details: 'file and type are required',
      });
    }
    const id = String(randomInt(10 ** 13, 10 ** 14));
    const stored = {
      bytes: Buffer.from(await file.arrayBuffer()),
      mimeType: type,
      fileName: file instanceof File ? file.name : undefined,
    };
    media.set(id, stored);
    uploads.push({ id, ...stored });
    reply(res, 200, { id });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      replyError(res, { httpStatus: 500, code: 1, message: `Stand-in failure: ${String(error)}` });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The WhatsApp stand-in is not listening on TCP');
  origin = `http://127.0.0.1:${address.port}`;

  return {
    graphUrl: `${origin}/${GRAPH_VERSION}`,
    sent: () => [...records],
    uploads: () => [...uploads],
    failNextWith(code, httpStatus, failOptions = {}) {
      failures.push({ httpStatus, code, message: `(#${code}) Stand-in failure`, ...failOptions });
    },
    failNextWithRateLimit(retryAfterSeconds) {
      // Meta documents no Retry-After; the stand-in sends one so a suite can check it is honoured.
      failures.push({
        httpStatus: 400,
        code: 130429,
        message: '(#130429) Rate limit hit',
        details:
          'Message failed to send because there were too many messages sent from this phone number in a short period of time',
        retryAfterSeconds,
      });
    },
    failNextWithBlocked() {
      failures.push({
        httpStatus: 400,
        code: 131026,
        message: '(#131026) Message undeliverable',
        details:
          'Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number',
      });
    },
    failNextWithServerError() {
      failures.push({ httpStatus: 500, code: 131000, message: '(#131000) Something went wrong' });
    },
    addMedia(id, bytes, mimeType) {
      media.set(id, { bytes, mimeType });
    },
    holdNextSend() {
      let arrived = (_externalMessageId: string) => {};
      let gone = () => {};
      let release = () => {};
      const arrival = new Promise<string>((resolve) => (arrived = resolve));
      const departure = new Promise<void>((resolve) => (gone = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      holds.push({ arrived, gone, released, release });
      return { arrived: arrival.then(() => undefined), externalMessageId: arrival, gone: departure, release };
    },
    async close() {
      for (const hold of holds.splice(0)) hold.release();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// `connection: close`: a fixture restarts the stand-in on the same port between tests, and a
// kept-alive socket to the stopped one would fail the next request as a network error.
const reply = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close', ...headers });
  res.end(JSON.stringify(body));
};

/** Graph's error body (https://developers.facebook.com/docs/graph-api/guides/error-handling). */
function replyError(res: ServerResponse, failure: Failure): void {
  const headers: Record<string, string> =
    failure.retryAfterSeconds === undefined ? {} : { 'retry-after': String(failure.retryAfterSeconds) };
  reply(
    res,
    failure.httpStatus,
    {
      error: {
        message: failure.message,
        type: 'OAuthException',
        code: failure.code,
        error_data: failure.details ? { messaging_product: 'whatsapp', details: failure.details } : undefined,
        fbtrace_id: randomBytes(9).toString('base64url'),
      },
    },
    headers,
  );
}

function unknownObject(id: string): Failure {
  return {
    httpStatus: 400,
    code: 100,
    message: `Unsupported request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`,
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const chars = (text: string) => Array.from(text).length;

const mediaObject = z
  .object({
    id: z.string().min(1).optional(),
    link: z.url().optional(),
    caption: z.string().max(1024).optional(),
    filename: z.string().optional(),
    voice: z.boolean().optional(),
  })
  .refine((media) => media.id || media.link, 'A media object needs an id or a link');

const replyButton = z.object({
  type: z.literal('reply'),
  reply: z.object({
    id: z.string().min(1).max(256),
    title: z
      .string()
      .min(1)
      .refine((title) => chars(title) <= 20, 'Button title length invalid. Min length: 1, Max length: 20'),
  }),
});

const listRow = z.object({
  id: z.string().min(1).max(200),
  title: z
    .string()
    .min(1)
    .refine((title) => chars(title) <= 24, 'Row title length invalid. Max length: 24'),
  description: z
    .string()
    .refine((text) => chars(text) <= 72, 'Row description length invalid. Max length: 72')
    .optional(),
});

const interactive = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('button'),
    header: z
      .object({ type: z.enum(['text', 'image', 'video', 'document']) })
      .loose()
      .optional(),
    body: z.object({ text: z.string().min(1).max(1024) }),
    action: z.object({
      buttons: z
        .array(replyButton)
        .min(1)
        .max(3)
        .refine(
          (buttons) => new Set(buttons.map((b) => b.reply.title)).size === buttons.length,
          'Button titles must be unique',
        ),
    }),
  }),
  z.object({
    type: z.literal('list'),
    body: z.object({ text: z.string().min(1).max(4096) }),
    action: z.object({
      button: z
        .string()
        .min(1)
        .refine((label) => chars(label) <= 20, 'List button label is at most 20 characters'),
      sections: z
        .array(z.object({ title: z.string().max(24).optional(), rows: z.array(listRow).min(1) }))
        .min(1)
        .max(10)
        .refine((sections) => sections.flatMap((s) => s.rows).length <= 10, 'A list has at most 10 rows')
        .refine((sections) => sections.length === 1 || sections.every((s) => s.title), 'Several sections need titles'),
    }),
  }),
]);

const MESSAGE_TYPES = ['text', 'interactive', 'template', 'image', 'video', 'audio', 'document', 'sticker'] as const;
const MEDIA_TYPES = ['image', 'video', 'audio', 'document', 'sticker'] as const;

const messageRequestSchema = z
  .object({
    messaging_product: z.literal('whatsapp'),
    recipient_type: z.literal('individual').optional(),
    to: z.string().min(1),
    type: z.enum(MESSAGE_TYPES),
    text: z.object({ body: z.string().min(1).max(4096), preview_url: z.boolean().optional() }).optional(),
    interactive: interactive.optional(),
    template: z
      .object({
        name: z.string().min(1),
        language: z.object({ code: z.string().min(1) }),
        components: z
          .array(
            z.object({
              type: z.string(),
              parameters: z.array(z.object({ type: z.string(), text: z.string().optional() })),
            }),
          )
          .optional(),
      })
      .optional(),
    image: mediaObject.optional(),
    video: mediaObject.optional(),
    audio: mediaObject.optional(),
    document: mediaObject.optional(),
    sticker: mediaObject.optional(),
  })
  .superRefine((body, context) => {
    if (body[body.type] === undefined) {
      context.addIssue({ code: 'custom', path: [body.type], message: `The parameter ${body.type} is required.` });
    }
    if ((body.type === 'audio' || body.type === 'sticker') && body[body.type]?.caption !== undefined) {
      context.addIssue({ code: 'custom', path: [body.type, 'caption'], message: `${body.type} takes no caption` });
    }
  });
type MessageRequest = z.infer<typeof messageRequestSchema>;

function validationFailure(error: z.ZodError): Failure {
  const issue = error.issues[0];
  if (issue?.path[0] === 'messaging_product') {
    return { httpStatus: 400, code: 100, message: '(#100) The parameter messaging_product is required.' };
  }
  const missing = issue?.code === 'invalid_type' || issue?.message.endsWith('is required.');
  return {
    httpStatus: 400,
    code: missing ? 131008 : 131009,
    message: missing ? '(#131008) Required parameter is missing' : '(#131009) Parameter value is not valid',
    details: z.prettifyError(error),
  };
}

function mediaIdOf(body: MessageRequest): string | undefined {
  if (body.type === 'interactive' && body.interactive?.type === 'button') {
    const header = body.interactive.header;
    const object = header && header.type !== 'text' ? mediaObject.safeParse(header[header.type]) : undefined;
    return object?.success ? object.data.id : undefined;
  }
  return isMediaType(body.type) ? body[body.type]?.id : undefined;
}

function isMediaType(type: string): type is (typeof MEDIA_TYPES)[number] {
  return MEDIA_TYPES.some((mediaType) => mediaType === type);
}

function sentRecordOf(body: MessageRequest): SentRecord {
  const record: SentRecord = { chatId: body.to };
  if (body.text) record.text = body.text.body;
  if (body.template) record.template = body.template.name;
  if (isMediaType(body.type)) {
    record.mediaKind = body.type;
    record.text = body[body.type]?.caption;
  }
  const form = body.interactive;
  if (form) {
    record.text = form.body.text;
    record.buttons =
      form.type === 'button'
        ? form.action.buttons.map((button) => button.reply.title)
        : form.action.sections.flatMap((section) => section.rows.map((row) => row.title));
    if (form.type === 'button' && form.header && form.header.type !== 'text') record.mediaKind = form.header.type;
  }
  return record;
}

/* ---------- Webhook requests, shaped like Meta's payload examples ---------- */

/** A POST as Meta sends it: x-hub-signature-256 is the HMAC-SHA256 of the exact body bytes. */
export function signedWebhook(appSecret: string, payload: unknown): InboundRequest {
  return signedRawWebhook(appSecret, Buffer.from(JSON.stringify(payload), 'utf8'));
}

/** The same for any bytes, JSON or not. */
export function signedRawWebhook(appSecret: string, rawBody: Buffer): InboundRequest {
  const signature = createHmac('sha256', appSecret).update(rawBody).digest('hex');
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
    query: {},
    rawBody,
  };
}

/** A `messages` change for one business number (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/components). */
export function webhookPayload(phoneNumberId: string, value: Record<string, unknown>): unknown {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              ...value,
            },
            field: 'messages',
          },
        ],
      },
    ],
  };
}

export interface WebhookSender {
  waId: string;
  name: string;
}

/**
 * One inbound message from `sender`; `message` is its type and type object, e.g. from
 * `whatsappMessage.text('Hi')`, plus any context / referral.
 */
export function messagePayload(
  phoneNumberId: string,
  sender: WebhookSender,
  message: Record<string, unknown> & { type: string },
  id = randomWamid(),
): unknown {
  return webhookPayload(phoneNumberId, {
    contacts: [{ profile: { name: sender.name }, wa_id: sender.waId }],
    messages: [{ from: sender.waId, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
  });
}

/** The type-specific part of inbound messages, as in https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples. */
export const whatsappMessage = {
  text: (body: string) => ({ type: 'text', text: { body } }),
  image: (id: string, caption?: string) => ({
    type: 'image',
    image: { caption, mime_type: 'image/jpeg', sha256: 'IMAGE_HASH', id },
  }),
  audio: (id: string, voice: boolean) => ({
    type: 'audio',
    audio: { mime_type: 'audio/ogg; codecs=opus', sha256: 'AUDIO_HASH', id, voice },
  }),
  document: (id: string, filename: string, caption?: string) => ({
    type: 'document',
    document: { caption, filename, mime_type: 'application/pdf', sha256: 'DOCUMENT_HASH', id },
  }),
  location: (latitude: number, longitude: number, name?: string, address?: string) => ({
    type: 'location',
    location: { latitude, longitude, name, address },
  }),
  contacts: (formattedName: string, phone: string, waId: string) => ({
    type: 'contacts',
    contacts: [
      {
        name: { formatted_name: formattedName, first_name: formattedName.split(' ')[0] },
        phones: [{ phone, wa_id: waId, type: 'MOBILE' }],
      },
    ],
  }),
  buttonReply: (id: string, title: string, contextId: string) => ({
    type: 'interactive',
    context: { from: '15550783881', id: contextId },
    interactive: { type: 'button_reply', button_reply: { id, title } },
  }),
  listReply: (id: string, title: string, contextId: string) => ({
    type: 'interactive',
    context: { from: '15550783881', id: contextId },
    interactive: { type: 'list_reply', list_reply: { id, title, description: `${title}, described` } },
  }),
  templateButton: (payload: string, text: string, contextId: string) => ({
    type: 'button',
    context: { from: '15550783881', id: contextId },
    button: { payload, text },
  }),
  reaction: (messageId: string, emoji: string) => ({ type: 'reaction', reaction: { message_id: messageId, emoji } }),
};

/** A status change of a message we sent (https://developers.facebook.com/docs/whatsapp/cloud-api/webhooks/payload-examples#message-status-updates). */
export function statusPayload(
  phoneNumberId: string,
  status: {
    id: string;
    status: 'sent' | 'delivered' | 'read' | 'failed';
    recipientId: string;
    error?: { code: number; title: string; details: string };
  },
): unknown {
  const { error } = status;
  return webhookPayload(phoneNumberId, {
    statuses: [
      {
        id: status.id,
        status: status.status,
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: status.recipientId,
        ...(status.status === 'failed'
          ? {}
          : {
              conversation: { id: randomBytes(16).toString('hex'), origin: { type: 'service' } },
              pricing: { billable: true, pricing_model: 'CBP', category: 'service' },
            }),
        ...(error && {
          errors: [
            {
              code: error.code,
              title: error.title,
              message: error.title,
              error_data: { details: error.details },
              href: 'https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/',
            },
          ],
        }),
      },
    ],
  });
}

export function randomWamid(): string {
  return `wamid.${randomBytes(24).toString('base64')}`;
}
