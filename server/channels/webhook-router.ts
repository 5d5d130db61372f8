import express, { Router, type Request, type Response } from 'express';
import type { InboundRequest } from '../../bot/channels/channel-adapter.js';
import { MalformedPayloadError, WebhookAuthError } from '../../bot/channels/channel-errors.js';
import { isChannelType } from '../../bot/channels/channel-registry.js';
import type { ApiServices } from '../api/api-services.js';
import { ingestEvents } from '../messaging/ingest-events.js';
import type { LoadedAccount } from './channel-accounts.js';
import { SecretDecryptionError } from './secret-box.js';

// Telegram, WhatsApp and VK payloads are a few KB; anything past this is not theirs.
const MAX_WEBHOOK_BYTES = 1024 * 1024;

function reply(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function inboundRequest(req: Request, publicUrl: string): InboundRequest {
  return {
    method: req.method,
    headers: req.headers,
    query: req.query,
    rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    // What the provider was given (PUBLIC_URL) first; behind a proxy the app sees another address.
    urls: [
      `${publicUrl.replace(/\/+$/, '')}${req.originalUrl}`,
      `${req.protocol}://${req.get('host')}${req.originalUrl}`,
    ],
  };
}

/**
 * `/hooks/:type/:channelId`: where providers deliver. Every channel takes the same steps: the
 * account, the adapter's handshake when the request is one, its signature check (401), its parse
 * (400), ingest, and only then 200 — a provider that gets no 200 delivers again, and ingest absorbs
 * the repeat.
 */
export function createWebhookRouter(services: () => ApiServices | undefined): Router {
  const router = Router();

  async function account(
    req: Request,
    res: Response,
  ): Promise<{ account: LoadedAccount; ready: ApiServices } | undefined> {
    const ready = services();
    if (!ready) {
      reply(res, 503, 'starting', 'The server is starting; deliver again in a moment');
      return undefined;
    }
    const type = String(req.params.type);
    const channelId = String(req.params.channelId);
    let found: LoadedAccount | undefined;
    try {
      found = isChannelType(type) ? await ready.channels.get(channelId) : undefined;
    } catch (error) {
      if (!(error instanceof SecretDecryptionError)) throw error;
      // The delivery may well be the provider's, but it cannot be checked. Neither 200 (it would be
      // lost) nor 4xx: a 503 makes Meta and Telegram deliver again once an admin enters the secrets anew.
      ready.logger.error(
        { err: error, channel: channelId },
        'webhook refused: the channel secrets cannot be decrypted',
      );
      reply(
        res,
        503,
        'channel_secrets_unreadable',
        'This channel cannot check deliveries right now; deliver again later',
      );
      return undefined;
    }
    if (!found || found.type !== type) {
      reply(res, 404, 'not_found', 'No such channel');
      return undefined;
    }
    return { account: found, ready };
  }

  router.get('/hooks/:type/:channelId', async (req, res, next) => {
    try {
      const found = await account(req, res);
      if (!found) return;
      const challenge = found.account.adapter.handshake?.(
        inboundRequest(req, found.ready.config.publicUrl),
        found.account,
      );
      if (challenge === undefined) return reply(res, 405, 'method_not_allowed', 'Deliver events with POST');
      res.type('text/plain').send(challenge);
    } catch (error) {
      if (error instanceof WebhookAuthError) return reply(res, 403, error.code, error.message);
      next(error);
    }
  });

  router.post(
    '/hooks/:type/:channelId',
    express.raw({ type: () => true, limit: MAX_WEBHOOK_BYTES }),
    async (req, res, next) => {
      try {
        const found = await account(req, res);
        if (!found) return;
        const { account: channel, ready } = found;
        const request = inboundRequest(req, ready.config.publicUrl);
        // Some providers confirm the address with a POST of their own (VK's `confirmation` event).
        const challenge = channel.adapter.handshake?.(request, channel);
        if (challenge !== undefined) {
          res.type('text/plain').send(challenge);
          return;
        }
        channel.adapter.verify(request, channel);
        const events = channel.adapter.parse(request, channel);
        await ingestEvents(ready, channel, events);
        const required = channel.adapter.webhookReplyFor?.(channel);
        if (required) res.status(200).type(required.contentType).send(required.body);
        else res.status(200).json({ ok: true });
        channel.adapter
          .afterIngest?.(events, channel)
          .catch((error: unknown) =>
            ready.logger.warn({ err: error, channel: channel.id }, 'provider acknowledgement failed'),
          );
      } catch (error) {
        if (error instanceof WebhookAuthError) return reply(res, 401, error.code, error.message);
        if (error instanceof MalformedPayloadError) {
          // Providers do not show what we answered: the log is where an admin learns that a
          // delivery was refused (a format we do not read, a payload cut short).
          services()?.logger.warn(
            { channel: req.params.channelId, type: req.params.type, reason: error.message },
            'webhook body refused',
          );
          return reply(res, 400, error.code, error.message);
        }
        next(error);
      }
    },
  );

  return router;
}
