import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type ErrorRequestHandler, type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import { scrubUrl } from '../observability/scrub-url.js';
import { INBOX_DIST } from '../paths.js';
import { healthRoutes, type ReadinessCheck } from './health-routes.js';
import { securityHeaders } from './security-headers.js';

export interface HttpAppOptions {
  /** The built inbox (static files); defaults to inbox/dist. */
  inboxDir?: string;
  logger?: Logger;
  metrics?: Metrics;
  readiness?: ReadinessCheck;
  metricsToken?: string;
  /** PUBLIC_URL: the widget's origin in the demo page's policy; https adds upgrade-insecure-requests. */
  publicUrl?: string;
  /** Which proxies' X-Forwarded-For to believe (express "trust proxy"). */
  trustProxy?: string;
  /** Mounts API routers in front of the inbox's client-side-route fallback. */
  mount?: (app: Express) => void;
}

const REQUEST_ID = /^[\w.:-]{1,64}$/;

/**
 * The express application: security headers (helmet, a policy per kind of response), request ids
 * and logs, health and metrics, the API routers given by `mount`, the inbox's static files, and
 * one JSON error boundary.
 */
export function createHttpApp(options: HttpAppOptions = {}): Express {
  const inboxDir = options.inboxDir ?? INBOX_DIST;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.trustProxy ?? 'loopback');
  // First, so every answer has them: health checks, 404s and the error boundary's included.
  app.use(securityHeaders({ publicUrl: options.publicUrl }));
  app.use((req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    res.setHeader('x-request-id', id);
    res.locals.requestId = id;
    next();
  });
  if (options.logger) {
    const accessLog = pinoHttp({
      logger: options.logger,
      genReqId: (_req, res) => String(res.getHeader('x-request-id')),
      serializers: {
        // No headers (cookies, tokens); the URL without the credentials some carry (scrubUrl).
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: scrubUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' },
    });
    // Provider webhooks arrive by the thousand a second: they are counted in the metrics, and a
    // failure is logged by the error boundary, but they get no access-log line (nor its child logger) each.
    app.use((req, res, next) =>
      req.method === 'POST' && req.path.startsWith('/hooks/') ? next() : accessLog(req, res, next),
    );
  }
  if (options.metrics) {
    const { httpDuration, httpErrors } = options.metrics;
    app.use((req, res, next) => {
      const stop = httpDuration.startTimer();
      res.on('finish', () => {
        const route =
          (req.route as { path?: string } | undefined)?.path ?? (res.statusCode === 404 ? 'unmatched' : 'static');
        stop({ method: req.method, route: String(route), status: String(res.statusCode) });
        if (res.statusCode >= 500) httpErrors.inc();
      });
      next();
    });
  }
  app.use(healthRoutes(options));
  options.mount?.(app);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: 'No such API endpoint' } });
  });
  if (existsSync(inboxDir)) {
    app.use(express.static(inboxDir, { index: 'index.html', maxAge: '1h' }));
    app.get(/^\/(?!api\/|hooks\/|socket\.io\/).*/, (_req, res) => res.sendFile(join(inboxDir, 'index.html')));
  }
  const errorBoundary: ErrorRequestHandler = (error, req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 600 ? error.status : 500;
    if (status >= 500) (req.log ?? options.logger)?.error({ err: error }, 'request failed');
    if (res.headersSent) return;
    res.status(status).json({
      error: {
        code: status >= 500 ? 'internal' : 'bad_request',
        message: status >= 500 ? 'Something went wrong on our side' : String(error.message ?? 'Bad request'),
        requestId: res.locals.requestId,
      },
    });
  };
  app.use(errorBoundary);
  return app;
}
