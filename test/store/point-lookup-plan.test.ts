import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { pointLookupSql } from '../../server/store/engine/scan.js';

/**
 * An `$in` of many values reads a page of intervals per statement. SQLite must loop over the
 * intervals and search the index for each; left to itself it scanned the whole index once per
 * page instead (the bot report's first call took 49 s on the bench workspace). The tables are
 * made as the store makes them (storage.ts).
 */
describe('paged point lookups', () => {
  const db = new Database(':memory:');
  db.exec(`CREATE TABLE c_1 (rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, doc BLOB NOT NULL);
    CREATE TABLE x_1 (k BLOB NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (k, rid)) WITHOUT ROWID;`);
  const plan = (sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('[]') as { detail: string }[]).map((row) => row.detail);

  it.each([
    ['a secondary index, documents joined', { isIdIndex: false, table: 'x_1' }, false],
    ['a secondary index, keys only', { isIdIndex: false, table: 'x_1' }, true],
    ['the _id index', { isIdIndex: true, table: undefined }, false],
  ] as const)('searches %s per interval, never scanning it', (_, index, keysOnly) => {
    for (const direction of [1, -1] as const) {
      const steps = plan(pointLookupSql('c_1', index, direction, keysOnly));
      expect(steps[0], steps.join(' | ')).toMatch(/^SCAN j VIRTUAL TABLE/);
      expect(
        steps.filter((step) => /^SCAN (i|c)\b/.test(step)),
        steps.join(' | '),
      ).toEqual([]);
      expect(steps.some((step) => /^SEARCH (i|c) USING .*(k>\? AND k<\?|id>\? AND id<\?)/.test(step))).toBe(true);
    }
  });
});
