import { randomBytes } from 'node:crypto';

/**
 * A visitor id is the only thing tying a browser to its conversation, so it is long and random:
 * whoever knows it can read the history. The widget keeps it in the site's localStorage.
 */
export const VISITOR_ID_PATTERN = /^v_[A-Za-z0-9_-]{16,64}$/;

export function newVisitorId(): string {
  return `v_${randomBytes(18).toString('base64url')}`;
}
