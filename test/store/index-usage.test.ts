import type { Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDoc } from './conformance-helpers.js';
import { examined, openTestDatabase, type TestDatabase } from './harness.js';

const DOCS = 5000;

/**
 * Proof that indexed queries read only what they return: MongoDB's own counters of keys and
 * documents examined (serverStatus.metrics.queryExecutor) move by about the number of results
 * for an indexed query, and by the whole collection for the same query on an unindexed field.
 */
describe('index usage', () => {
  let t: TestDatabase;
  const coll = () => t.db.collection<AnyDoc>('usage');

  beforeAll(async () => {
    t = await openTestDatabase();
    await coll().insertMany(
      Array.from({ length: DOCS }, (_, i) => ({
        _id: i,
        n: i,
        plain: i,
        group: i % 50,
        // Nearly every document shares one value: an equality on it narrows little.
        bulk: i < DOCS - 100 ? 'common' : 'rare',
        label: `item-${String(i).padStart(5, '0')}`,
      })),
    );
    await coll().createIndex({ n: 1 });
    await coll().createIndex({ group: 1, n: -1 });
    await coll().createIndex({ label: 1 }, { unique: true });
    await coll().createIndex({ bulk: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Runs a find and returns its documents and how many keys and documents the server examined. */
  async function measure(filter: Document, options: { sort?: Document; limit?: number; projection?: Document } = {}) {
    const before = await examined(t.db);
    const docs = await coll().find(filter, options).toArray();
    const after = await examined(t.db);
    return { docs, keys: after.keys - before.keys, examinedDocs: after.docs - before.docs };
  }

  it('should examine one document for an equality match on an indexed field', async () => {
    const indexed = await measure({ n: 1234 });
    expect(indexed.docs.map((d) => d._id)).toEqual([1234]);
    expect(indexed.examinedDocs).toBe(1);
    expect(indexed.keys).toBeLessThanOrEqual(2);
    const unindexed = await measure({ plain: 1234 });
    expect(unindexed.docs.map((d) => d._id)).toEqual([1234]);
    expect(unindexed.examinedDocs).toBe(DOCS);
  });

  it('should examine only the listed documents for $in on an indexed field', async () => {
    const values = [10, 20, 30, 4000, 999_999];
    const indexed = await measure({ n: { $in: values } });
    expect(indexed.docs.map((d) => d._id).sort((a, b) => Number(a) - Number(b))).toEqual([10, 20, 30, 4000]);
    expect(indexed.examinedDocs).toBe(4);
    expect(indexed.keys).toBeLessThanOrEqual(10);
    const unindexed = await measure({ plain: { $in: values } });
    expect(unindexed.docs).toHaveLength(4);
    expect(unindexed.examinedDocs).toBe(DOCS);
  });

  it('should read a long $in by index too, one key per value', async () => {
    const values = Array.from({ length: 2500 }, (_, i) => i * 2);
    const indexed = await measure({ n: { $in: values } });
    expect(indexed.docs).toHaveLength(2500);
    expect(indexed.examinedDocs).toBe(2500);
    expect(indexed.keys).toBeLessThanOrEqual(5000);
  });

  it('should examine only the documents inside a range on an indexed field', async () => {
    const indexed = await measure({ n: { $gte: 100, $lt: 150 } });
    expect(indexed.docs).toHaveLength(50);
    expect(indexed.examinedDocs).toBe(50);
    expect(indexed.keys).toBeLessThanOrEqual(51);
    const unindexed = await measure({ plain: { $gte: 100, $lt: 150 } });
    expect(unindexed.docs).toHaveLength(50);
    expect(unindexed.examinedDocs).toBe(DOCS);
  });

  it('should serve a sort with limit from the index, examining about the limit', async () => {
    const top = await measure({}, { sort: { n: -1 }, limit: 5 });
    expect(top.docs.map((d) => d.n)).toEqual([4999, 4998, 4997, 4996, 4995]);
    expect(top.examinedDocs).toBe(5);
    expect(top.keys).toBeLessThan(50);
    const unindexed = await measure({}, { sort: { plain: -1 }, limit: 5 });
    expect(unindexed.docs.map((d) => d.plain)).toEqual([4999, 4998, 4997, 4996, 4995]);
    expect(unindexed.examinedDocs).toBe(DOCS);
  });

  it('should use a compound index for equality on its prefix and sort on its suffix', async () => {
    const result = await measure({ group: 7 }, { sort: { n: -1 }, limit: 3 });
    expect(result.docs.map((d) => d.n)).toEqual([4957, 4907, 4857]);
    // A real MongoDB may also try the { n: 1 } index while planning: allow for its trial reads.
    expect(result.examinedDocs).toBeLessThanOrEqual(10);
    const ranged = await measure({ group: 7, n: { $lt: 200 } });
    expect(ranged.docs.map((d) => d.n).sort((a, b) => a - b)).toEqual([7, 57, 107, 157]);
    expect(ranged.examinedDocs).toBeLessThanOrEqual(10);
  });

  it('should read a narrow range by its index rather than an equality most documents share', async () => {
    // A report's "won deals of the sales pipeline closed this month": the pipeline is nearly all
    // deals, the month a few. Judged by shape alone, the equality's index would read them all.
    const result = await measure({ bulk: 'common', n: { $gte: 100, $lt: 110 } });
    expect(result.docs.map((d) => d.n)).toEqual([100, 101, 102, 103, 104, 105, 106, 107, 108, 109]);
    expect(result.examinedDocs).toBeLessThanOrEqual(20);
    // And the other way round: the rare value is the narrower bound.
    const rare = await measure({ bulk: 'rare', n: { $gte: 0 } });
    expect(rare.docs).toHaveLength(100);
    expect(rare.examinedDocs).toBeLessThanOrEqual(110);
  });

  it('should examine one document for an _id lookup and a unique-index lookup', async () => {
    const byId = await measure({ _id: 4321 });
    expect(byId.docs).toHaveLength(1);
    expect(byId.examinedDocs).toBe(1);
    const unique = await measure({ label: 'item-00042' });
    expect(unique.docs.map((d) => d._id)).toEqual([42]);
    expect(unique.examinedDocs).toBe(1);
  });

  it('should examine few documents for updates and deletes by an indexed field', async () => {
    const before = await examined(t.db);
    const updated = await coll().updateOne({ n: 2500 }, { $set: { touched: true } });
    expect(updated.modifiedCount).toBe(1);
    const deleted = await coll().deleteMany({ n: { $gte: 4990 } });
    expect(deleted.deletedCount).toBe(10);
    const after = await examined(t.db);
    expect(after.docs - before.docs).toBeLessThanOrEqual(11);
    await coll().insertMany(
      Array.from({ length: 10 }, (_, i) => ({
        _id: 4990 + i,
        n: 4990 + i,
        plain: 4990 + i,
        group: (4990 + i) % 50,
        label: `item-0${4990 + i}`,
      })),
    );
  });

  it('should read an $or of indexed branches through one index scan per branch', async () => {
    const union = await measure({ $or: [{ n: 12 }, { label: 'item-00077' }, { n: 12, group: 12 }] });
    expect(union.docs.map((d) => d._id).sort((a, b) => Number(a) - Number(b))).toEqual([12, 77]);
    // Each branch reads what it matches: 12 is read twice (two branches), yielded once.
    expect(union.examinedDocs).toBeLessThanOrEqual(4);
    const narrowed = await measure({ group: 3, $or: [{ n: { $lt: 100 } }, { n: { $gt: 4900 } }] });
    expect(narrowed.docs.map((d) => d.n).sort((a, b) => a - b)).toEqual([3, 53, 4903, 4953]);
    expect(narrowed.examinedDocs).toBeLessThanOrEqual(10);
    // One branch no index serves: the whole collection is read, as MongoDB would.
    const unindexed = await measure({ $or: [{ n: 12 }, { plain: 77 }] });
    expect(unindexed.docs).toHaveLength(2);
    expect(unindexed.examinedDocs).toBe(DOCS);
  });

  it('should use a partial index when the query implies its filter, also inside $or', async () => {
    const people = t.db.collection<AnyDoc>('usage_partial');
    await people.insertMany(
      Array.from({ length: 2000 }, (_, i) => ({
        _id: i,
        status: i % 10 === 0 ? 'merged' : 'active',
        email: `p${i}@example.com`,
        keys: [`tg:${i}`],
      })),
    );
    await people.createIndex(
      { email: 1 },
      { unique: true, partialFilterExpression: { status: 'active', email: { $type: 'string' } } },
    );
    await people.createIndex(
      { keys: 1 },
      { unique: true, partialFilterExpression: { status: 'active', keys: { $exists: true } } },
    );
    await people.createIndex({ status: 1, _id: -1 });
    const count = async (filter: Document) => {
      const before = await examined(t.db);
      const docs = await people.find(filter).toArray();
      const after = await examined(t.db);
      return {
        ids: docs.map((d) => d._id).sort((a, b) => Number(a) - Number(b)),
        examinedDocs: after.docs - before.docs,
      };
    };
    const byEmail = await count({ status: 'active', email: { $in: ['p7@example.com', 'p8@example.com'] } });
    expect(byEmail).toEqual({ ids: [7, 8], examinedDocs: 2 });
    const either = await count({ status: 'active', $or: [{ email: 'p5@example.com' }, { keys: 'tg:1234' }] });
    expect(either).toEqual({ ids: [5, 1234], examinedDocs: 2 });
    // Merged people are outside the partial indexes: the query does not imply their filter.
    const merged = await count({ status: 'merged', email: 'p20@example.com' });
    expect(merged.ids).toEqual([20]);
    expect(merged.examinedDocs).toBeGreaterThan(2);
  });

  it('should return through an index exactly what a collection scan returns', async () => {
    const cases: { filter: Document; sort?: Document; skip?: number; limit?: number }[] = [
      { filter: { n: { $gt: 100, $lt: 120 } }, sort: { n: 1 } },
      { filter: { group: 7, n: { $gt: 100, $lte: 1107 } }, sort: { n: -1 } },
      { filter: { group: { $in: [3, 4] }, n: { $lt: 300 } }, sort: { _id: 1 } },
      { filter: { n: { $in: [5, 6, 7, 55] }, group: 5 }, sort: { _id: 1 } },
      { filter: { label: { $gte: 'item-04990' } }, sort: { label: -1 } },
      { filter: { n: { $gte: 4995 } }, sort: { n: -1 } },
      { filter: { group: 7 }, sort: { n: 1 }, limit: 6 },
      { filter: {}, sort: { group: -1, n: 1 }, limit: 7 },
      { filter: {}, sort: { group: 1, n: -1 }, skip: 3, limit: 4 },
      { filter: { n: { $lt: 3 } }, sort: { n: -1 } },
      { filter: { $or: [{ n: { $lt: 5 } }, { group: 9, n: { $gt: 4500 } }, { n: 3 }] }, sort: { n: -1 } },
      { filter: { $or: [{ label: 'item-00100' }, { n: { $in: [1, 100, 2] } }] }, sort: { _id: 1 }, limit: 2 },
    ];
    for (const { filter, sort, skip, limit } of cases) {
      const viaIndex = await coll().find(filter, { sort, skip, limit }).toArray();
      const viaScan = await coll()
        .find(filter, { sort, skip, limit, hint: { $natural: 1 } })
        .toArray();
      expect(viaIndex.length).toBeGreaterThan(0);
      expect(viaIndex.map((d) => d._id)).toEqual(viaScan.map((d) => d._id));
    }
  });

  it('should count through the index without reading the collection', async () => {
    const before = await examined(t.db);
    expect(await coll().countDocuments({ n: { $lt: 10 } })).toBe(10);
    const after = await examined(t.db);
    expect(after.docs - before.docs).toBeLessThanOrEqual(10);
  });
});
