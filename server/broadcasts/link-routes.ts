import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { ApiServices } from '../api/api-services.js';
import { broadcastLinkModels, type BroadcastLinkRecord } from './broadcast-link-model.js';
import { recordLinkClick } from './record-link-click.js';
import { LINK_CODE } from './tracked-links.js';

// Link previews fetch every link a message holds before anyone taps it: they go through uncounted.
// Telegram: "TelegramBot (like TwitterBot)"; WhatsApp: "WhatsApp/…"; and the usual unfurlers.
const PREVIEWERS = /TelegramBot|WhatsApp|facebookexternalhit|Slackbot|Twitterbot|Discordbot|vkShare|Googlebot|bingbot/i;

const NOT_FOUND_PAGE =
  '<!doctype html><html lang="ru"><head><meta charset="utf-8">' +
  '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Ссылка не найдена / Link not found</title>' +
  '<style>body{font:16px/1.5 system-ui,sans-serif;color:#111827;max-width:32rem;margin:4rem auto;padding:0 1rem}</style>' +
  '</head><body><h1>Ссылка не найдена</h1><p>Эта ссылка повреждена или устарела: откройте её из сообщения целиком.</p>' +
  '<h1 lang="en">Link not found</h1><p lang="en">This link is damaged or no longer valid: open it whole from the message.</p>' +
  '</body></html>';

function notFound(res: Response): void {
  res
    .status(404)
    .set({
      'cache-control': 'no-store',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
    })
    .type('html')
    .send(NOT_FOUND_PAGE);
}

const counts = (req: Request) => req.method === 'GET' && !PREVIEWERS.test(req.get('user-agent') ?? '');

/**
 * The public tracked links of broadcasts (server/broadcasts/tracked-links.ts): `GET /l/:code`
 * records the click and redirects (302) to the address the marketer wrote; an unknown code gets
 * a small Russian and English page. Only stored addresses are redirected to, so it opens nothing
 * else. Not rate limited: a wrong code costs one indexed read.
 */
export function createLinkRouter(services: () => ApiServices | undefined): Router {
  const router = Router();
  router.get('/l/:code', async (req, res, next) => {
    try {
      const ready = services();
      if (!ready) {
        res.status(503).set('retry-after', '5').type('text').send('Сервер запускается / The server is starting');
        return;
      }
      const code = req.params.code;
      if (!LINK_CODE.test(code)) return notFound(res);
      const link = counts(req)
        ? await recordLinkClick(ready, code)
        : await broadcastLinkModels(ready.db)
            .Link.findOne({ code }, { url: 1 })
            .lean<Pick<BroadcastLinkRecord, 'url'>>();
      if (!link) return notFound(res);
      // No referrer: the code is the recipient's own.
      res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' }).redirect(302, link.url);
    } catch (error) {
      next(error);
    }
  });
  // A code that is not even valid percent-encoding fails in express's own param decoding: the same page.
  const undecodable: ErrorRequestHandler = (error: { status?: unknown }, _req, res, next) => {
    if (error.status !== 400 || res.headersSent) return next(error);
    notFound(res);
  };
  router.use('/l', undecodable);
  return router;
}
