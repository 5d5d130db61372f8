/**
 * Lists for `$in` are cut to this size. The embedded store finds `$in` values through the index
 * but then re-checks each document against the whole list (mingo hashes every value per
 * document), so the cost of one query grows with documents × list length: a hundred keeps it
 * negligible at a tenth of the round trips of one key per query.
 */
export const IN_CHUNK = 100;

export function inChunks<T>(items: T[], size = IN_CHUNK): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}
