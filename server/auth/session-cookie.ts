import type { CookieOptions, Request, Response } from 'express';

export const SESSION_COOKIE = 'sid';

function options(req: Request): CookieOptions {
  // req.secure also believes X-Forwarded-Proto from the proxies TRUST_PROXY names (nginx in compose).
  return { httpOnly: true, sameSite: 'lax', secure: req.secure, path: '/' };
}

/** Reads the session token from the Cookie header (the app has no cookie-parsing middleware). */
export function readSessionCookie(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== SESSION_COOKIE) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      // Not even percent-encoding (`sid=%E0%A4%A`): no token this server issued, so no session.
      return undefined;
    }
  }
  return undefined;
}

/** The cookie lives as long as the browser; the server decides when the session behind it ends. */
export function setSessionCookie(req: Request, res: Response, token: string): void {
  res.cookie(SESSION_COOKIE, token, options(req));
}

export function clearSessionCookie(req: Request, res: Response): void {
  res.clearCookie(SESSION_COOKIE, options(req));
}
