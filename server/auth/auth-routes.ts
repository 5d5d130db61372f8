import type { Request, Response } from 'express';
import type { Types } from 'mongoose';
import { z } from 'zod';
import { conflict, unauthorized } from '../api/api-error.js';
import type { ApiServices } from '../api/api-services.js';
import { defineRoute, type AnyRoute } from '../api/define-route.js';
import { errorTexts } from '../api/error-texts.js';
import { recordAudit } from '../audit/record-audit.js';
import { createUser } from '../users/create-user.js';
import { toPublicUser } from '../users/to-public-user.js';
import { userModels } from '../users/user-models.js';
import {
  languageSchema,
  newUserSchema,
  publicUserSchema,
  timeZoneSchema,
  type PublicUser,
} from '../users/user-schemas.js';
import { loginRateLimit } from './login-rate-limit.js';
import { verifyPassword } from './password.js';
import { clearSessionCookie, setSessionCookie } from './session-cookie.js';
import { sessions } from './sessions.js';

const { say } = errorTexts;

const TAG = 'Auth';

const loginSchema = z.strictObject({
  email: z.string().trim().toLowerCase().min(1).max(254),
  password: z.string().min(1).max(256),
});

const setupSchema = newUserSchema.pick({ name: true, email: true, password: true }).extend({
  language: languageSchema.optional(),
  timeZone: timeZoneSchema.optional(),
});

const signedInSchema = z.object({
  user: publicUserSchema,
  /** Send back as `x-csrf-token` on every request that changes something. */
  csrfToken: z.string(),
});

const meSchema = z.object({
  user: publicUserSchema,
  csrfToken: z.string().optional(),
  tokenScopes: z.array(z.string()).optional(),
});

/** Ends the browser's previous session (if any) and starts a fresh one: no session fixation. */
async function signIn(services: ApiServices, req: Request, res: Response, userId: Types.ObjectId | string) {
  const previousSession = sessions.of(req);
  if (previousSession) await sessions.end(services.db, previousSession.id);
  const { token, csrfToken } = await sessions.start(services.db, userId, req);
  setSessionCookie(req, res, token);
  return csrfToken;
}

async function publicUserById(services: ApiServices, id: string): Promise<PublicUser> {
  const user = await userModels(services.db).User.findById(id).lean();
  if (!user) throw unauthorized();
  return toPublicUser(user);
}

export const authRoutes: AnyRoute[] = [
  defineRoute({
    method: 'post',
    path: '/auth/login',
    summary: 'Sign in with e-mail and password: sets the httpOnly `sid` cookie and returns the CSRF token',
    tag: TAG,
    access: 'public',
    body: loginSchema,
    response: signedInSchema,
    async handler({ body, services, req, res }) {
      const ip = req.ip ?? 'unknown';
      // Counted as a failure from here on, unless the password turns out right.
      const attempt = await loginRateLimit.begin(services.redis, ip, body.email);
      const user = await userModels(services.db).User.findOne({ email: body.email }).select('+passwordHash').lean();
      if (!(await verifyPassword(user?.passwordHash, body.password)) || !user) {
        throw unauthorized(say('wrongPassword'));
      }
      // The password was right, so saying why is safe and saves a confused call to the admin.
      if (!user.active) throw unauthorized(say('deactivated'));
      await attempt.succeeded();
      const csrfToken = await signIn(services, req, res, user._id);
      const publicUser = toPublicUser(user);
      await recordAudit(services, {
        actor: publicUser,
        action: 'auth.login',
        entity: 'user',
        entityId: publicUser.id,
        meta: { ip, userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300) },
      });
      return { user: publicUser, csrfToken };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out: ends the session behind the cookie',
    tag: TAG,
    access: 'authenticated',
    async handler({ services, req, res }) {
      const session = sessions.of(req);
      if (session) await sessions.end(services.db, session.id);
      clearSessionCookie(req, res);
      return undefined;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/me',
    summary: 'The signed-in user, with the CSRF token of the session (or the scopes of the API token)',
    tag: TAG,
    access: 'authenticated',
    response: meSchema,
    async handler({ user, services, req }) {
      const publicUser = await publicUserById(services, user.id);
      const session = sessions.of(req);
      if (session) return { user: publicUser, csrfToken: session.csrfToken };
      return { user: publicUser, tokenScopes: user.tokenScopes ?? [] };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/session',
    summary: 'The browser session, if any: { user: null } when signed out (so apps can ask without an error)',
    tag: TAG,
    access: 'public',
    async handler({ user, services, req }) {
      const session = sessions.of(req);
      if (!user || !session) return { user: null };
      return { user: await publicUserById(services, user.id), csrfToken: session.csrfToken };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/auth/setup',
    summary: 'Whether this install still needs its first admin (true only while there is no user)',
    tag: TAG,
    access: 'public',
    response: z.object({ needsSetup: z.boolean() }),
    async handler({ services }) {
      return { needsSetup: !(await userModels(services.db).User.exists({})) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/auth/setup',
    summary: 'Create the first admin of a new install and sign in as them; refused once any user exists',
    tag: TAG,
    access: 'public',
    body: setupSchema,
    response: signedInSchema,
    status: 201,
    async handler({ body, services, req, res }) {
      const alreadySetUp = () => conflict(say('alreadySetUp'));
      if (await userModels(services.db).User.exists({})) throw alreadySetUp();
      let admin: PublicUser;
      try {
        // Two setups racing both pass the check above; the unique firstAdmin index lets one win.
        admin = await createUser(services.db, { ...body, role: 'admin', firstAdmin: true });
      } catch (error) {
        if ((error as { code?: number }).code === 11000) throw alreadySetUp();
        throw error;
      }
      const csrfToken = await signIn(services, req, res, admin.id);
      await recordAudit(services, {
        actor: admin,
        action: 'user.create',
        entity: 'user',
        entityId: admin.id,
        after: admin,
        meta: { via: 'setup' },
      });
      return { user: admin, csrfToken };
    },
  }),
];
