import { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { ApiServices } from '../api/api-services.js';
import { optOutByLink } from './opt-out-by-link.js';
import { readUnsubscribeToken } from './unsubscribe-link.js';
import { renderUnsubscribePage, type PageLanguage, type UnsubscribePage } from './unsubscribe-page.js';

function languageOf(req: Request): PageLanguage {
  // No Accept-Language picks the first: Russian, as the product's clients speak.
  return req.acceptsLanguages('ru', 'en') === 'en' ? 'en' : 'ru';
}

function sendPage(req: Request, res: Response, status: number, page: UnsubscribePage): void {
  res
    .status(status)
    // The token is in the address: no referrer carries it away, no cache keeps the page.
    .set({
      'cache-control': 'no-store',
      'referrer-policy': 'no-referrer',
      'content-security-policy':
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'content-language': languageOf(req),
      vary: 'Accept-Language',
    })
    .type('html')
    .send(renderUnsubscribePage(page, languageOf(req)));
}

function starting(res: Response): void {
  res
    .status(503)
    .set('retry-after', '5')
    .type('text')
    .send('Сервер запускается: попробуйте через минуту / The server is starting; try again in a moment');
}

/**
 * The public unsubscribe link of every marketing message (server/consent/unsubscribe-link.ts):
 * `GET /u/:token` a page asking to confirm, `POST /u/:token` the opt-out itself, both from a
 * person's browser and as RFC 8058's one-click POST a mail program sends (`List-Unsubscribe=One-Click`).
 * The token alone authorises it, as RFC 8058 wants: the body is not read, and no cookie asked for.
 * Not rate limited: a bad token costs one HMAC and no read, and mail providers post from few addresses.
 */
export function createUnsubscribeRouter(services: () => ApiServices | undefined): Router {
  const router = Router();
  router.get('/u/:token', (req, res) => {
    const ready = services();
    if (!ready) return starting(res);
    const target = readUnsubscribeToken(ready.config, req.params.token);
    if (!target) return sendPage(req, res, 400, { type: 'invalid' });
    sendPage(req, res, 200, { type: 'confirm', channel: target.channel, action: req.originalUrl });
  });
  router.post('/u/:token', async (req, res, next) => {
    try {
      const ready = services();
      if (!ready) return starting(res);
      const target = readUnsubscribeToken(ready.config, req.params.token);
      if (!target) return sendPage(req, res, 400, { type: 'invalid' });
      await optOutByLink(ready, target.contactId, target.channel);
      sendPage(req, res, 200, { type: 'done', channel: target.channel });
    } catch (error) {
      next(error);
    }
  });
  // A token that is not even valid percent-encoding fails in express's own param decoding: the same page.
  const undecodable: ErrorRequestHandler = (error: { status?: unknown }, req, res, next) => {
    if (error.status !== 400 || res.headersSent) return next(error);
    sendPage(req, res, 400, { type: 'invalid' });
  };
  router.use('/u', undecodable);
  return router;
}
