import type { Api } from 'grammy';

/** The AbortSignal type grammy's methods declare: the abort-controller polyfill's, on Node. */
export type GrammySignal = NonNullable<Parameters<Api['getUpdates']>[1]>;

/**
 * Node's own AbortSignal, typed as grammy wants it. The two differ only in event-target-shim's
 * generic typings; at runtime grammy accepts any object with addEventListener (validateSignal in
 * grammy's src/core/client.ts), the same test made here.
 */
export function toGrammySignal(signal: AbortSignal): GrammySignal {
  if (!isGrammySignal(signal)) throw new TypeError('Not an AbortSignal');
  return signal;
}

function isGrammySignal(signal: AbortSignal | GrammySignal): signal is GrammySignal {
  return typeof signal.addEventListener === 'function';
}
