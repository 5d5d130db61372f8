import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import type { Language } from '../../flows/schema/define-texts.js';
import { can } from '../auth/permissions.js';
import { ApiError, badRequest, conflict, forbidden, unauthorized } from './api-error.js';
import type { ApiServices } from './api-services.js';
import type { AnyRoute, Authenticator, AuthUser, CorsCheck } from './define-route.js';
import { errorTexts } from './error-texts.js';
import { parseInput } from './parse-input.js';
import { findOperatorKey } from './reject-operator-keys.js';
import { requestLanguage } from './request-language.js';

export const MAX_JSON_BYTES = 1024 * 1024;

const { say, sayWith } = errorTexts;

function parseWith(schema: z.ZodType | undefined, value: unknown, part: string, language: Language): unknown {
  if (!schema) return undefined;
  return parseInput(schema, value ?? {}, language, part);
}

function authorize(route: AnyRoute, user: AuthUser | undefined): void {
  if (route.access === 'public') return;
  if (!user) throw unauthorized();
  if (route.access === 'authenticated') return;
  if (!can(user.role, route.access)) throw forbidden();
  if (user.tokenScopes && !user.tokenScopes.includes(route.access)) {
    throw forbidden(sayWith('tokenNotAllowed', { permission: route.access }));
  }
}

/** Headers a cross-origin caller may send: the body's type and the key that makes a retry safe. */
const CORS_HEADERS = 'content-type, idempotency-key';

/** The CORS gate of a route: the check, then the answer browsers look for (refusals carry none). */
function corsGate(check: CorsCheck, services: ApiServices) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      await check(req, services);
      const origin = req.get('origin');
      if (origin) res.set({ 'Access-Control-Allow-Origin': origin, Vary: 'Origin' });
      next();
    } catch (error) {
      next(error);
    }
  };
}

/** Turns what handlers and libraries throw into the API's error shape. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const e = error as {
    type?: string;
    status?: number;
    code?: number;
    name?: string;
    keyValue?: unknown;
    errors?: unknown;
    limit?: number;
  };
  if (e?.type === 'entity.too.large')
    return new ApiError(413, 'payload_too_large', sayWith('bodyTooLarge', { limit: e.limit ?? MAX_JSON_BYTES }));
  if (e?.type === 'parameters.too.many') return new ApiError(413, 'payload_too_large', say('formBodyTooManyFields'));
  if (e?.type === 'entity.parse.failed') return badRequest(say('bodyNotJson'));
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported') return badRequest(say('bodyNotUtf8'));
  // Express's own decoding of a path parameter (`/forms/%/submissions`) fails with a URIError.
  if (error instanceof URIError) return badRequest(say('addressEncoding'));
  if (e?.code === 11000) return conflict(say('duplicateValue'), { keyValue: e.keyValue });
  // Mongoose's own words about a document: English only, they name its schema's paths.
  if (e?.name === 'ValidationError' || e?.name === 'CastError') return badRequest(String((error as Error).message));
  return new ApiError(500, 'internal', say('internal'));
}

/** Whether the request carries body bytes (a Content-Length above 0, or chunks). */
function hasBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  return Number(req.headers['content-length'] ?? 0) > 0;
}

/**
 * body-parser decodes any `utf-*` charset: one UTF-16 byte decodes to nothing, which it reads as
 * `{}`, so a PATCH would answer 200 having read nothing. The API speaks UTF-8 only.
 */
function utf8Only(req: Request, _res: Response, next: NextFunction): void {
  const charset = /;\s*charset\s*=\s*"?([^";\s]*)/i.exec(req.headers['content-type'] ?? '')?.[1];
  if (charset === undefined || /^utf-?8$/i.test(charset)) return next();
  next(new ApiError(415, 'unsupported_charset', say('bodyNotUtf8')));
}

/**
 * The /api/v1 router: JSON bodies up to 1 MiB (or the route's own `maxBodyBytes`), no `$`-keys
 * anywhere, zod validation of params, query and body (unknown fields rejected by strict schemas,
 * messages in the request's Accept-Language), authentication, the permission matrix, then the
 * handler; every failure is `{ error: { code, message, details } }`, its texts in the request's language too.
 */
export function createApiRouter(routes: AnyRoute[], authenticate: Authenticator, services: ApiServices): Router {
  const router = Router();
  for (const route of routes) {
    const limit = route.maxBodyBytes ?? MAX_JSON_BYTES;
    const json = express.json({ limit, strict: true });
    const parsers =
      route.bodyKind === 'raw'
        ? [express.raw({ type: () => true, limit })]
        : route.bodyKind === 'json-or-form'
          ? [json, express.urlencoded({ limit, extended: false, parameterLimit: 200 })]
          : [json];
    const gate: RequestHandler[] = route.cors ? [corsGate(route.cors, services)] : [];
    if (route.bodyKind !== 'raw') gate.push(utf8Only);
    if (route.cors) {
      router.options(route.path, ...gate, (_req: Request, res: Response) => {
        res
          .set({
            'Access-Control-Allow-Methods': route.method.toUpperCase(),
            'Access-Control-Allow-Headers': CORS_HEADERS,
            'Access-Control-Max-Age': '600',
          })
          .status(204)
          .end();
      });
    }
    router[route.method](route.path, ...gate, ...parsers, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const operatorKey =
          (route.bodyKind === 'raw' ? undefined : findOperatorKey(req.body)) ?? findOperatorKey(req.query);
        if (operatorKey) throw badRequest(sayWith('operatorKey', { key: operatorKey }));
        // A body no parser took (no or another content type) would read as `{}`: a PATCH would answer 200 having read nothing.
        if (route.body && req.body === undefined && hasBody(req))
          throw new ApiError(415, 'unsupported_media_type', say('sendJson'));
        const user = route.sessionless ? undefined : await authenticate(req, res);
        authorize(route, user);
        const language = requestLanguage(req);
        const result = await route.handler({
          params: parseWith(route.params, req.params, 'params', language),
          query: parseWith(route.query, req.query, 'query', language),
          body:
            route.bodyKind === 'raw'
              ? Buffer.isBuffer(req.body)
                ? req.body
                : Buffer.alloc(0)
              : parseWith(route.body, req.body, 'body', language),
          user: user!,
          language,
          services,
          req,
          res,
        });
        if (res.headersSent) return;
        if (result === undefined) res.status(204).end();
        else res.status(route.status ?? 200).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
  router.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const apiError = toApiError(error);
    if (apiError.status >= 500) req.log?.error({ err: error }, 'API request failed');
    if (apiError.status === 429) {
      const retry = (apiError.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (retry) res.setHeader('retry-after', String(retry));
    }
    sendApiError(req, res, apiError);
  });
  return router;
}

/** The one way an API failure is answered: its texts in the request's language, which the header names. */
export function sendApiError(req: Request, res: Response, apiError: ApiError): void {
  const language = requestLanguage(req);
  // The inbox shows a message as it comes only when it is in the reader's language.
  res.setHeader('content-language', language);
  res.status(apiError.status).json(apiError.toBody(language));
}
