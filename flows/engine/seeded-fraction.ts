import { createHash } from 'node:crypto';

/** A number in [0, 1) that depends only on the seed: the engine's randomness, reproducible on replay. */
export function seededFraction(seed: string): number {
  return createHash('sha256').update(seed).digest().readUInt32BE(0) / 2 ** 32;
}
