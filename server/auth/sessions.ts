import type { Request } from 'express';
import type { Connection, Types } from 'mongoose';
import type { ApiServices } from '../api/api-services.js';
import { authModels } from './auth-models.js';
import { hashSecret, newSecret } from './secrets.js';

/** Idle time after which a session ends. */
export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
/** Longest a session lives however active it is. */
export const SESSION_MAX_MS = 14 * 24 * 60 * 60 * 1000;
// Refreshing the idle deadline on every request would write on every read; once a minute is enough.
const SLIDE_EVERY_MS = 60 * 1000;

export interface ActiveSession {
  id: string;
  userId: Types.ObjectId;
  csrfToken: string;
}

const sessionOfRequest = new WeakMap<Request, ActiveSession>();

/** Server-side sessions: created at sign-in, found by the cookie's token, ended at sign-out. */
export const sessions = {
  async start(
    db: Connection,
    userId: Types.ObjectId | string,
    req: Request,
  ): Promise<{ token: string; csrfToken: string }> {
    const token = newSecret();
    const csrfToken = newSecret();
    const now = Date.now();
    await authModels(db).Session.create({
      tokenHash: hashSecret(token),
      userId,
      csrfToken,
      createdAt: new Date(now),
      lastSeenAt: new Date(now),
      expiresAt: new Date(now + SESSION_IDLE_MS),
      endsAt: new Date(now + SESSION_MAX_MS),
      ip: req.ip ?? '',
      userAgent: String(req.headers['user-agent'] ?? '').slice(0, 300),
    });
    return { token, csrfToken };
  },

  /** The live session behind a cookie token, its idle deadline moved forward; undefined when ended. */
  async resolve(db: Connection, token: string, req: Request): Promise<ActiveSession | undefined> {
    const { Session } = authModels(db);
    const now = Date.now();
    const session = await Session.findOne({ tokenHash: hashSecret(token) }).lean();
    if (!session) return undefined;
    if (session.expiresAt.getTime() <= now || session.endsAt.getTime() <= now) {
      await Session.deleteOne({ _id: session._id });
      return undefined;
    }
    if (now - session.lastSeenAt.getTime() > SLIDE_EVERY_MS) {
      const expiresAt = new Date(Math.min(now + SESSION_IDLE_MS, session.endsAt.getTime()));
      await Session.updateOne({ _id: session._id }, { $set: { lastSeenAt: new Date(now), expiresAt } });
    }
    const active = { id: session._id.toHexString(), userId: session.userId, csrfToken: session.csrfToken };
    sessionOfRequest.set(req, active);
    return active;
  },

  /** The session the authenticator found for this request, if it came with one. */
  of(req: Request): ActiveSession | undefined {
    return sessionOfRequest.get(req);
  },

  async end(db: Connection, sessionId: string): Promise<void> {
    await authModels(db).Session.deleteOne({ _id: sessionId });
  },

  /**
   * Signs a user out everywhere (deactivation, password change), optionally keeping one session;
   * their open sockets close too and reconnect only with a session that still holds.
   */
  async endAllFor(
    services: Pick<ApiServices, 'db' | 'events'>,
    userId: Types.ObjectId | string,
    keepSessionId?: string,
  ): Promise<void> {
    await authModels(services.db).Session.deleteMany({
      userId,
      ...(keepSessionId ? { _id: { $ne: keepSessionId } } : {}),
    });
    services.events.emit({ type: 'user.accessChanged', userId: String(userId) });
  },
};
