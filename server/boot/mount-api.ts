import type { Express } from 'express';
import { apiDocsRouter } from '../api/api-docs.js';
import { apiRoutes } from '../api/api-routes.js';
import type { ApiServices } from '../api/api-services.js';
import { createApiRouter, sendApiError } from '../api/create-api-router.js';
import { buildOpenApi } from '../api/openapi.js';
import { createAuthenticator } from '../auth/authenticate.js';
import { ApiError } from '../api/api-error.js';
import { errorTexts } from '../api/error-texts.js';

/**
 * /api/v1 and /api/docs. The HTTP server listens before the store and Redis are up, so the API
 * answers 503 until the services exist.
 */
export function mountApi(app: Express, services: () => ApiServices | undefined): void {
  let router: ReturnType<typeof createApiRouter> | undefined;
  app.use('/api/v1', (req, res, next) => {
    const ready = services();
    if (!ready) {
      sendApiError(req, res, new ApiError(503, 'starting', errorTexts.say('starting')));
      return;
    }
    router ??= createApiRouter(apiRoutes, createAuthenticator(ready), ready);
    router(req, res, next);
  });
  let openApi: Record<string, unknown> | undefined;
  app.use(
    '/api/docs',
    apiDocsRouter(() => (openApi ??= buildOpenApi(apiRoutes, { title: 'Funnel Inbox API', version: 'v1' }))),
  );
}
