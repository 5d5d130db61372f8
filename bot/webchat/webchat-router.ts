import { join } from 'node:path';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import { isAllowedOrigin } from './is-allowed-origin.js';
import { renderDemoPage } from './render-demo-page.js';
import type { VisitorBackend, WebchatAccount } from './visitor-backend.js';
import { VISITOR_ID_PATTERN } from './visitor-id.js';
import { LOCALES } from './visitor-payloads.js';

export interface WebchatRouterOptions {
  /** The built widget (widget.js): bot/webchat/widget/dist, or a test's own build. */
  widgetDir: string;
  /** The server's public address; the demo page then loads the widget from there, as a customer's site would. */
  publicUrl?: string;
  /** Whether the demo's Telegram sandbox runs, so /demo links to its page (/demo/telegram). */
  telegramSandbox?: () => boolean;
}

const FILES_PATH = '/hooks/webchat/:channelId/files';
const UPLOAD_LIMIT = '20mb';
const channelIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/);
const demoQuerySchema = z.object({
  channel: channelIdSchema.optional().catch(undefined),
  lang: z.enum(LOCALES).catch('ru'),
});

/** A refusal of the files endpoint: `{ error: { code, message } }` with its status. */
class WebchatHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'WebchatHttpError';
  }
}

/** 413/415 from storeUpload (any error with such a numeric `status`), or body-parser's own 413. */
function uploadRefusal(error: unknown): WebchatHttpError | undefined {
  if (!(error instanceof Error) || !('status' in error)) return undefined;
  if (error.status === 413)
    return new WebchatHttpError(413, 'file_too_large', error.message || 'The file is too large');
  if (error.status === 415) return new WebchatHttpError(415, 'unsupported_file_type', error.message);
  return undefined;
}

/** The file name as the widget sent it (URI-encoded, since headers are ASCII), without any path. */
function fileNameOf(request: Request): string {
  const header = request.get('x-file-name');
  if (!header) throw new WebchatHttpError(400, 'file_name_required', 'The x-file-name header is missing');
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    throw new WebchatHttpError(400, 'bad_file_name', 'The x-file-name header is not URI-encoded');
  }
  const base = name.split(/[\\/]/).pop()?.trim().slice(0, 300);
  if (!base) throw new WebchatHttpError(400, 'bad_file_name', 'The file name is empty');
  return base;
}

/**
 * The site chat's HTTP side: the widget script, the demo site, and the files endpoint the widget
 * uploads to before it sends a file message over the socket.
 */
export function createWebchatRouter(backend: VisitorBackend, options: WebchatRouterOptions): Router {
  const router = Router();
  const readBody = express.raw({ type: () => true, limit: UPLOAD_LIMIT });

  router.get('/widget.js', (_request, response, next) => {
    response.set({
      // Any site may load the script; what it may do is checked per channel and origin.
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    // The embed URL has no version in it: a short cache, then revalidation by ETag.
    response.sendFile(join(options.widgetDir, 'widget.js'), { maxAge: '5m' }, (error) => {
      if (!error) return;
      if (response.headersSent) return next(error);
      response.status(404).type('text/plain').send('The site chat widget is not built: run npm run build:widget');
    });
  });

  router.get('/demo', async (request, response) => {
    const query = demoQuerySchema.parse(request.query);
    const channelId = query.channel ?? (await backend.demoChannelId());
    if (!channelId) {
      response
        .status(404)
        .type('text/plain')
        .send('No site chat to show: connect a webchat channel or open /demo?channel=<channel id>');
      return;
    }
    const base = options.publicUrl?.replace(/\/+$/, '') ?? '';
    response
      .type('html')
      .set('Cache-Control', 'no-store')
      .send(
        renderDemoPage({
          channelId,
          locale: query.lang,
          widgetSrc: `${base}/widget.js`,
          ...(options.telegramSandbox?.() ? { telegramHref: `/demo/telegram?lang=${query.lang}` } : {}),
        }),
      );
  });

  /** The account and, for an allowed origin, the CORS answer; refusals carry no CORS header, so browsers hide them. */
  async function admit(request: Request, response: Response): Promise<WebchatAccount> {
    const channelId = channelIdSchema.safeParse(request.params.channelId);
    const account = channelId.success ? await backend.findAccount(channelId.data) : undefined;
    if (!account) throw new WebchatHttpError(404, 'unknown_channel', 'There is no such site chat');
    const origin = request.get('origin');
    if (!origin)
      throw new WebchatHttpError(401, 'origin_required', 'Uploads come from the widget, which sends an Origin');
    if (!isAllowedOrigin(account.settings, origin)) {
      throw new WebchatHttpError(403, 'origin_not_allowed', `This chat is not allowed on ${origin}`);
    }
    response.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
    return account;
  }

  router.options(FILES_PATH, async (request, response) => {
    await admit(request, response);
    response
      .set({
        'Access-Control-Allow-Methods': 'POST',
        'Access-Control-Allow-Headers': 'content-type, x-file-name',
        'Access-Control-Max-Age': '600',
      })
      .status(204)
      .end();
  });

  router.post(FILES_PATH, async (request, response) => {
    // Checked before the body is read: a refused site does not get to send 20 MB first.
    const account = await admit(request, response);
    const visitorId = request.query.visitorId;
    if (typeof visitorId !== 'string' || !VISITOR_ID_PATTERN.test(visitorId)) {
      throw new WebchatHttpError(400, 'bad_visitor_id', 'The visitorId query parameter is missing or malformed');
    }
    const fileName = fileNameOf(request);
    const mimeType = request.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (!mimeType) throw new WebchatHttpError(400, 'content_type_required', 'The content-type header is missing');
    await new Promise<void>((resolve, reject) =>
      readBody(request, response, (error) => (error ? reject(error) : resolve())),
    );
    const bytes: unknown = request.body;
    if (!Buffer.isBuffer(bytes) || bytes.length === 0)
      throw new WebchatHttpError(400, 'empty_file', 'The file is empty');
    const stored = await backend.storeUpload(account, visitorId, { bytes, fileName, mimeType });
    response.status(201).json(stored);
  });

  const errors: ErrorRequestHandler = (error, _request, response, next) => {
    const refusal = error instanceof WebchatHttpError ? error : uploadRefusal(error);
    if (!refusal) return next(error);
    response.status(refusal.status).json({ error: { code: refusal.code, message: refusal.message } });
  };
  router.use(errors);
  return router;
}
