import type { WebchatSettings } from './webchat-settings.js';

/**
 * Whether a browser's Origin header names one of the channel's sites. An origin is public, so a
 * plain comparison is fine; it keeps other sites from embedding the channel, not a determined
 * script (which can send any Origin), and that is all it is meant to do.
 */
export function isAllowedOrigin(settings: WebchatSettings, origin: string | string[] | undefined): origin is string {
  if (typeof origin !== 'string' || !URL.canParse(origin)) return false;
  return settings.allowedOrigins.includes(new URL(origin).origin);
}
