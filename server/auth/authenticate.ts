import type { Request } from 'express';
import { ApiError, unauthorized } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import type { Authenticator, AuthUser } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { userModels } from '../users/user-models.js';
import { authModels } from './auth-models.js';
import type { Permission } from './permissions.js';
import { hashSecret, sameSecret } from './secrets.js';
import { clearSessionCookie, readSessionCookie } from './session-cookie.js';
import { sessions } from './sessions.js';

const { say } = errorTexts;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/**
 * Requests that start a session rather than act with one: a browser holding a stale or other
 * account's cookie must still be able to sign in, and they use nothing of the current session.
 */
const CSRF_EXEMPT_PATHS = new Set(['/auth/login', '/auth/setup']);
// lastUsedAt is informational; writing it on every call would double the writes of integrations.
const TOKEN_TOUCH_EVERY_MS = 60 * 1000;

function bearerToken(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

async function activeUser(services: ApiServices, userId: unknown): Promise<Omit<AuthUser, 'tokenScopes'> | undefined> {
  const user = await userModels(services.db).User.findById(userId).lean();
  if (!user?.active) return undefined;
  return {
    id: user._id.toHexString(),
    name: user.name,
    email: user.email,
    role: user.role,
    teamIds: user.teamIds.map((id) => id.toHexString()),
  };
}

async function authenticateToken(services: ApiServices, token: string): Promise<AuthUser> {
  const { ApiToken } = authModels(services.db);
  const now = new Date();
  const record = await ApiToken.findOne({ tokenHash: hashSecret(token) }).lean();
  const usable = record && !record.revokedAt && (!record.expiresAt || record.expiresAt > now);
  const user = usable ? await activeUser(services, record.userId) : undefined;
  if (!record || !user) throw unauthorized(say('tokenInvalid'));
  if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > TOKEN_TOUCH_EVERY_MS) {
    await ApiToken.updateOne({ _id: record._id }, { $set: { lastUsedAt: now } });
  }
  return { ...user, tokenScopes: record.scopes.filter((scope): scope is Permission => scope !== undefined) };
}

/**
 * Who a request acts for: a personal API token (`Authorization: Bearer`) or the `sid` session
 * cookie. Cookie requests that change something must echo the session's CSRF token in
 * `x-csrf-token` (SameSite=Lax alone leaves same-site subdomains and old browsers); bearer
 * requests are exempt because browsers never attach bearer tokens on their own. The user is read
 * on every request, so a deactivation or role change applies at once.
 */
export function createAuthenticator(services: ApiServices): Authenticator {
  return async (req, res) => {
    const bearer = bearerToken(req);
    if (bearer !== undefined) return authenticateToken(services, bearer);
    const token = readSessionCookie(req);
    if (!token) return undefined;
    const session = await sessions.resolve(services.db, token, req);
    const user = session ? await activeUser(services, session.userId) : undefined;
    if (!session || !user) {
      if (session) await sessions.end(services.db, session.id);
      clearSessionCookie(req, res);
      return undefined;
    }
    if (!SAFE_METHODS.has(req.method) && !CSRF_EXEMPT_PATHS.has(req.path)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !sameSecret(sent, session.csrfToken)) {
        throw new ApiError(403, 'csrf_failed', say('csrf'));
      }
    }
    return user;
  };
}

/**
 * Who a Socket.IO handshake acts for: the same session cookie the page uses, or an API token in
 * `auth.token` (integrations, tests). No CSRF check: a handshake changes nothing.
 */
export async function authenticateHandshake(
  services: ApiServices,
  request: Request,
  bearer: string | undefined,
): Promise<AuthUser | undefined> {
  if (bearer) return authenticateToken(services, bearer).catch(() => undefined);
  const token = readSessionCookie(request);
  if (!token) return undefined;
  const session = await sessions.resolve(services.db, token, request);
  return session ? activeUser(services, session.userId) : undefined;
}
