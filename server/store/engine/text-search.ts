import type { Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { decodeDocument, type Collection } from './collection.js';
import { encodeKey } from './key-encoding.js';
import { compileFilter } from './filter.js';
import type { StoreMetrics } from './metrics.js';
import { indexedText, parseTextSearch, termScores } from './text-index.js';

export interface TextMatch {
  rid: number;
  doc: Record<string, unknown>;
  bytes: Buffer;
  textScore: number;
}

/**
 * `$text` queries: documents holding any search term (from the text index), then the rest of the
 * filter, required phrases and excluded words; each match carries MongoDB's relevance score.
 */
export function* textMatches(
  collection: Collection,
  filter: Document,
  metrics: StoreMetrics,
): Generator<TextMatch, void, undefined> {
  const index = collection.secondaryIndexes().find((ix) => ix.text);
  if (!index?.text) throw new CommandError(ErrorCodes.IndexNotFound, 'text index required for $text query');
  const { $text, ...rest } = filter;
  const search = parseTextSearch($text, index.text.language);
  const terms = [...new Set(search.terms)];
  const lookup = collection.stmt(`text:${index.name}`, () => `SELECT rid FROM ${index.table} WHERE k = ?`);
  const rids = new Set<number>();
  for (const term of terms) {
    const rows = lookup.all(encodeKey(term)) as { rid: number }[];
    metrics.queryExecutor.scanned += rows.length;
    for (const row of rows) rids.add(row.rid);
  }
  const query = compileFilter(rest);
  for (const rid of [...rids].sort((a, b) => a - b)) {
    const bytes = collection.getByRid(rid);
    if (!bytes) continue;
    metrics.queryExecutor.scannedObjects++;
    const doc = decodeDocument(bytes);
    if (!query.test(doc)) continue;
    const scores = termScores(doc, index.text);
    if (search.negated.some((term) => scores.has(term))) continue;
    if (search.phrases.length > 0 || search.negatedPhrases.length > 0) {
      const text = indexedText(doc, index.text);
      if (search.phrases.some((phrase) => !text.includes(phrase))) continue;
      if (search.negatedPhrases.some((phrase) => text.includes(phrase))) continue;
    }
    const textScore = terms.reduce((sum, term) => sum + (scores.get(term) ?? 0), 0);
    yield { rid, doc, bytes, textScore };
  }
}
