import { timingSafeEqual } from 'node:crypto';
import { Router } from 'express';
import type { Metrics } from '../observability/metrics.js';

/** What /readyz reports: whether each dependency answers, and which one is in use (never a secret). */
export interface ReadinessReport {
  ready: boolean;
  [part: string]: unknown;
}

export type ReadinessCheck = () => Promise<ReadinessReport>;

function tokenMatches(given: string | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** /healthz (the process is up), /readyz (its store and Redis answer) and /metrics (Prometheus). */
export function healthRoutes(options: {
  readiness?: ReadinessCheck;
  metrics?: Metrics;
  metricsToken?: string;
}): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round(process.uptime()) });
  });
  router.get('/readyz', async (_req, res, next) => {
    try {
      const report = options.readiness ? await options.readiness() : { ready: true };
      res.status(report.ready ? 200 : 503).json({ status: report.ready ? 'ready' : 'not ready', ...report });
    } catch (error) {
      next(error);
    }
  });
  router.get('/metrics', async (req, res, next) => {
    if (!options.metrics) return next();
    if (!options.metricsToken) {
      res.status(403).json({
        error: {
          code: 'metrics_disabled',
          message: 'Set METRICS_TOKEN to read metrics (Authorization: Bearer <token>)',
        },
      });
      return;
    }
    const token = req.get('authorization')?.replace(/^Bearer\s+/i, '');
    if (!tokenMatches(token, options.metricsToken)) {
      res.status(401).json({ error: { code: 'unauthorized', message: 'A valid metrics token is required' } });
      return;
    }
    try {
      res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
