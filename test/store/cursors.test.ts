import { Long, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, getMoreCount, openCursorCount, waitFor, type AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

const DOCS = 250;

/** A cursor id as getMore needs it: the driver turns small int64 values into plain numbers. */
function asLong(id: unknown): Long {
  return Long.isLong(id) ? id : Long.fromNumber(Number(id));
}

describe('cursors', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
    await t.db
      .collection<AnyDoc>('many')
      .insertMany(Array.from({ length: DOCS }, (_, i) => ({ _id: i, n: i, pad: 'x'.repeat(100) })));
  });
  afterAll(async () => {
    await t.close();
  });

  const many = () => t.db.collection<AnyDoc>('many');

  it('should return more than the first batch of 101 documents through getMore', async () => {
    const before = await getMoreCount(t.db);
    const docs = await many().find().sort({ _id: 1 }).toArray();
    expect(docs).toHaveLength(DOCS);
    expect(docs.map((d) => d._id)).toEqual(Array.from({ length: DOCS }, (_, i) => i));
    expect((await getMoreCount(t.db)) - before).toBeGreaterThanOrEqual(1);
  });

  it('should honour batchSize on the first batch and on every getMore', async () => {
    const first = await t.db.command({ find: 'many', filter: {}, sort: { _id: 1 }, batchSize: 10 });
    expect(first.cursor.firstBatch).toHaveLength(10);
    expect(first.cursor.ns).toBe(`${t.dbName}.many`);
    const id = asLong(first.cursor.id);
    expect(id.isZero()).toBe(false);
    const next = await t.db.command({ getMore: id, collection: 'many', batchSize: 25 });
    expect(next.cursor.nextBatch).toHaveLength(25);
    expect(next.cursor.nextBatch[0]._id).toBe(10);
    await t.db.command({ killCursors: 'many', cursors: [id] });

    const before = await getMoreCount(t.db);
    const seen: number[] = [];
    for await (const doc of many().find({}, { batchSize: 20 }).sort({ _id: 1 })) seen.push(doc._id as number);
    expect(seen).toHaveLength(DOCS);
    // 250 documents 20 at a time: the first batch and at least 12 getMores.
    expect((await getMoreCount(t.db)) - before).toBeGreaterThanOrEqual(12);
  });

  it('should walk an aggregation cursor past its first batch', async () => {
    const docs = await many()
      .aggregate([{ $match: { n: { $gte: 50 } } }, { $project: { n: 1 } }], { batchSize: 30 })
      .toArray();
    expect(docs).toHaveLength(DOCS - 50);
    expect(docs[0]).toEqual({ _id: 50, n: 50 });
  });

  it('should return an exhausted cursor id 0 when everything fits in the first batch', async () => {
    const reply = await t.db.command({ find: 'many', filter: { n: { $lt: 5 } } });
    expect(reply.cursor.firstBatch).toHaveLength(5);
    expect(Number(reply.cursor.id)).toBe(0);
    const limited = await t.db.command({ find: 'many', filter: {}, limit: 150, batchSize: 200 });
    expect(limited.cursor.firstBatch).toHaveLength(150);
    expect(Number(limited.cursor.id)).toBe(0);
  });

  it('should kill the server cursor when the driver closes it mid-iteration', async () => {
    const baseline = await openCursorCount(t.db);
    const cursor = many().find({}, { batchSize: 10 }).sort({ _id: 1 });
    for (let i = 0; i < 15; i++) expect((await cursor.next())!._id).toBe(i);
    expect(await openCursorCount(t.db)).toBe(baseline + 1);
    const id = cursor.id!;
    await cursor.close();
    expect(await openCursorCount(t.db)).toBe(baseline);
    const error = await errorOf(t.db.command({ getMore: id, collection: 'many' }));
    expect(error.code).toBe(43);
    expect(error.codeName).toBe('CursorNotFound');
  });

  it('should report killed and unknown ids from killCursors', async () => {
    const first = await t.db.command({ find: 'many', filter: {}, batchSize: 2 });
    const id = asLong(first.cursor.id);
    const unknown = Long.fromNumber(123456789);
    const reply = await t.db.command({ killCursors: 'many', cursors: [id, unknown] });
    expect(reply.cursorsKilled.map(String)).toEqual([String(id)]);
    expect(reply.cursorsNotFound.map(String)).toEqual([String(unknown)]);
  });

  it('should time out a cursor the client abandons', { timeout: 30_000 }, async () => {
    const set = await t.db.admin().command({ setParameter: 1, cursorTimeoutMillis: 1500 });
    const previous = set.was as number;
    try {
      const reply: Document = await t.db.command({ find: 'many', filter: {}, batchSize: 5 });
      expect(reply.cursor.firstBatch).toHaveLength(5);
      const id = asLong(reply.cursor.id);
      const opened = await openCursorCount(t.db);
      expect(opened).toBeGreaterThanOrEqual(1);
      // MongoDB's cursor monitor runs every few seconds: allow it a generous margin.
      await waitFor(async () => (await openCursorCount(t.db)) < opened, 20_000, 500);
      const error = await errorOf(t.db.command({ getMore: id, collection: 'many' }));
      expect(error.code).toBe(43);
      const status = await t.db.admin().command({ serverStatus: 1 });
      expect(Number(status.metrics.cursor.timedOut)).toBeGreaterThanOrEqual(1);
    } finally {
      await t.db.admin().command({ setParameter: 1, cursorTimeoutMillis: previous });
    }
    const restored = await t.db.admin().command({ getParameter: 1, cursorTimeoutMillis: 1 });
    expect(Number(restored.cursorTimeoutMillis)).toBe(previous);
  });
});
