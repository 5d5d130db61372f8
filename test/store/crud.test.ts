import { Binary, ObjectId, type Document } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

describe('CRUD through the official driver', () => {
  let t: TestDatabase;
  const collection = (name: string) => t.db.collection<AnyDoc>(name);
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(async () => {
    await t.close();
  });

  const ids = (docs: Document[]) => docs.map((d) => d._id as unknown);

  describe('insert and find', () => {
    it('should insert one document and generate an ObjectId _id', async () => {
      const coll = collection('ins_one');
      const result = await coll.insertOne({ name: 'ada', n: 1 });
      expect(result.acknowledged).toBe(true);
      expect(result.insertedId).toBeInstanceOf(ObjectId);
      const found = await coll.findOne({ _id: result.insertedId });
      expect(found).toEqual({ _id: result.insertedId, name: 'ada', n: 1 });
    });

    it('should insert many documents and report every inserted id', async () => {
      const coll = collection('ins_many');
      const result = await coll.insertMany([{ _id: 'a', n: 1 }, { n: 2 }, { n: 3 }]);
      expect(result.insertedCount).toBe(3);
      expect(result.insertedIds[0]).toBe('a');
      expect(result.insertedIds[1]).toBeInstanceOf(ObjectId);
      expect(await coll.countDocuments()).toBe(3);
    });

    it('should keep field order and nested values exactly', async () => {
      const coll = collection('ins_shape');
      const doc = { _id: 1, z: 1, a: { y: [1, { b: 2 }], x: null }, m: 'text', f: 1.5, t: true };
      await coll.insertOne(doc);
      const found = await coll.findOne({ _id: 1 });
      expect(found).toEqual(doc);
      expect(Object.keys(found!)).toEqual(['_id', 'z', 'a', 'm', 'f', 't']);
    });

    it('should find with an equality filter on a nested path and on an array element', async () => {
      const coll = collection('find_nested');
      await coll.insertMany([
        { _id: 1, address: { city: 'Lima' }, tags: ['a', 'b'] },
        { _id: 2, address: { city: 'Quito' }, tags: ['b', 'c'] },
        { _id: 3, address: { city: 'Lima' }, tags: [] },
      ]);
      expect(ids(await coll.find({ 'address.city': 'Lima' }).sort({ _id: 1 }).toArray())).toEqual([1, 3]);
      expect(ids(await coll.find({ tags: 'b' }).sort({ _id: 1 }).toArray())).toEqual([1, 2]);
      expect(ids(await coll.find({ tags: ['b', 'c'] }).toArray())).toEqual([2]);
      expect(ids(await coll.find({ address: { city: 'Quito' } }).toArray())).toEqual([2]);
    });

    it('should return null from findOne when nothing matches', async () => {
      const coll = collection('find_none');
      await coll.insertOne({ a: 1 });
      expect(await coll.findOne({ a: 2 })).toBeNull();
      expect(await collection('find_none_missing').findOne({})).toBeNull();
    });
  });

  describe('projection', () => {
    const doc = {
      _id: 1,
      name: 'ada',
      secret: 's3',
      address: { city: 'Lima', zip: '150', geo: { lat: 1, lng: 2 } },
      scores: [10, 20, 30, 40, 50],
      grades: [
        { subject: 'math', score: 70 },
        { subject: 'art', score: 95 },
        { subject: 'music', score: 90 },
      ],
    };

    beforeAll(async () => {
      await collection('proj').insertOne(doc);
    });

    it('should include only the listed fields and _id', async () => {
      expect(await collection('proj').findOne({}, { projection: { name: 1 } })).toEqual({ _id: 1, name: 'ada' });
    });

    it('should drop _id when it is excluded from an inclusion projection', async () => {
      expect(await collection('proj').findOne({}, { projection: { name: 1, _id: 0 } })).toEqual({ name: 'ada' });
    });

    it('should exclude the listed fields and keep the rest', async () => {
      const found = await collection('proj').findOne({}, { projection: { secret: 0, grades: 0 } });
      expect(found).toEqual({ _id: 1, name: 'ada', address: doc.address, scores: doc.scores });
    });

    it('should include and exclude nested paths', async () => {
      const coll = collection('proj');
      expect(await coll.findOne({}, { projection: { 'address.city': 1, 'address.geo.lat': 1 } })).toEqual({
        _id: 1,
        address: { city: 'Lima', geo: { lat: 1 } },
      });
      const excluded = await coll.findOne(
        {},
        { projection: { 'address.zip': 0, 'address.geo': 0, grades: 0, scores: 0 } },
      );
      expect(excluded).toEqual({ _id: 1, name: 'ada', secret: 's3', address: { city: 'Lima' } });
    });

    it('should include fields of every element of an array of documents', async () => {
      const found = await collection('proj').findOne({}, { projection: { 'grades.subject': 1, _id: 0 } });
      expect(found).toEqual({ grades: [{ subject: 'math' }, { subject: 'art' }, { subject: 'music' }] });
    });

    it('should slice arrays with $slice and keep the other fields', async () => {
      const coll = collection('proj');
      const first = await coll.findOne({}, { projection: { scores: { $slice: 2 } } });
      expect(first).toEqual({ ...doc, scores: [10, 20] });
      expect((await coll.findOne({}, { projection: { scores: { $slice: -2 } } }))!.scores).toEqual([40, 50]);
      expect((await coll.findOne({}, { projection: { scores: { $slice: [1, 2] } } }))!.scores).toEqual([20, 30]);
      expect(await coll.findOne({}, { projection: { name: 1, scores: { $slice: 1 } } })).toEqual({
        _id: 1,
        name: 'ada',
        scores: [10],
      });
    });

    it('should return only the first matching element with $elemMatch', async () => {
      const coll = collection('proj');
      const found = await coll.findOne({}, { projection: { grades: { $elemMatch: { score: { $gt: 80 } } } } });
      expect(found).toEqual({ _id: 1, grades: [{ subject: 'art', score: 95 }] });
      const none = await coll.findOne({}, { projection: { grades: { $elemMatch: { score: { $gt: 99 } } } } });
      expect(none).toEqual({ _id: 1 });
    });

    it('should keep the other fields when $slice comes with $elemMatch (an exclusion projection)', async () => {
      const coll = collection('proj');
      const projection = (above: number) => ({
        scores: { $slice: 2 },
        grades: { $elemMatch: { score: { $gt: above } } },
      });
      const found = await coll.findOne({}, { projection: projection(80) });
      expect(found).toEqual({ ...doc, scores: [10, 20], grades: [{ subject: 'art', score: 95 }] });
      const { grades: _grades, ...withoutGrades } = doc;
      expect(await coll.findOne({}, { projection: projection(99) })).toEqual({ ...withoutGrades, scores: [10, 20] });
      // An exclusion alongside them keeps it an exclusion; _id: 1 makes it an inclusion.
      const excluding = await coll.findOne({}, { projection: { ...projection(80), secret: 0, address: 0 } });
      expect(excluding).toEqual({ _id: 1, name: 'ada', scores: [10, 20], grades: [{ subject: 'art', score: 95 }] });
      expect(await coll.findOne({}, { projection: { _id: 1, ...projection(80) } })).toEqual({
        _id: 1,
        scores: [10, 20],
        grades: [{ subject: 'art', score: 95 }],
      });
    });
  });

  describe('sort, skip and limit', () => {
    it('should sort mixed types in MongoDB type order', async () => {
      const coll = collection('sort_types');
      const oid = new ObjectId();
      const date = new Date('2024-01-01T00:00:00Z');
      await coll.insertMany([
        { _id: 1, v: 'b' },
        { _id: 2, v: date },
        { _id: 3, v: true },
        { _id: 4, v: 10 },
        { _id: 5, v: oid },
        { _id: 6, v: { x: 1 } },
        { _id: 7, v: null },
        { _id: 8 },
        { _id: 9, v: 2.5 },
        { _id: 10, v: 'a' },
        { _id: 11, v: new Binary(Buffer.from([1, 2])) },
        { _id: 12, v: false },
      ]);
      // null and missing, numbers, strings, objects, binData, ObjectId, booleans, dates.
      const ascending = await coll.find().sort({ v: 1, _id: 1 }).toArray();
      expect(ids(ascending)).toEqual([7, 8, 9, 4, 10, 1, 6, 11, 5, 12, 3, 2]);
      const descending = await coll.find().sort({ v: -1, _id: 1 }).toArray();
      expect(ids(descending)).toEqual([2, 3, 12, 5, 11, 6, 1, 10, 4, 9, 7, 8]);
    });

    it('should sort arrays by their smallest element ascending and largest descending', async () => {
      const coll = collection('sort_arrays');
      await coll.insertMany([
        { _id: 1, v: [5, 1] },
        { _id: 2, v: [3] },
        { _id: 3, v: [2, 8] },
        { _id: 4, v: 4 },
      ]);
      expect(ids(await coll.find().sort({ v: 1 }).toArray())).toEqual([1, 3, 2, 4]);
      expect(ids(await coll.find().sort({ v: -1 }).toArray())).toEqual([3, 1, 4, 2]);
    });

    it('should sort missing fields together with null, before numbers', async () => {
      const coll = collection('sort_missing');
      await coll.insertMany([{ _id: 1, v: 2 }, { _id: 2 }, { _id: 3, v: null }, { _id: 4, v: 1 }]);
      expect(ids(await coll.find().sort({ v: 1, _id: 1 }).toArray())).toEqual([2, 3, 4, 1]);
      expect(ids(await coll.find().sort({ v: -1, _id: 1 }).toArray())).toEqual([1, 4, 2, 3]);
    });

    it('should sort on several keys and on nested paths', async () => {
      const coll = collection('sort_compound');
      await coll.insertMany([
        { _id: 1, a: 1, b: { c: 2 } },
        { _id: 2, a: 2, b: { c: 1 } },
        { _id: 3, a: 1, b: { c: 3 } },
        { _id: 4, a: 2, b: { c: 5 } },
      ]);
      expect(ids(await coll.find().sort({ a: 1, 'b.c': -1 }).toArray())).toEqual([3, 1, 4, 2]);
      expect(ids(await coll.find().sort({ 'b.c': 1 }).toArray())).toEqual([2, 1, 3, 4]);
    });

    it('should skip and limit after sorting', async () => {
      const coll = collection('skip_limit');
      await coll.insertMany(Array.from({ length: 20 }, (_, i) => ({ _id: i, n: 19 - i })));
      const page = await coll.find().sort({ n: 1 }).skip(5).limit(3).toArray();
      expect(page.map((d) => d.n)).toEqual([5, 6, 7]);
      expect(await coll.find().skip(18).toArray()).toHaveLength(2);
      expect(await coll.find().skip(25).toArray()).toHaveLength(0);
      expect(await coll.find().limit(4).toArray()).toHaveLength(4);
    });
  });

  describe('updates and deletes', () => {
    it('should update one document and report matched and modified counts', async () => {
      const coll = collection('upd_one');
      await coll.insertMany([
        { _id: 1, k: 'x', n: 1 },
        { _id: 2, k: 'x', n: 1 },
      ]);
      const result = await coll.updateOne({ k: 'x' }, { $set: { n: 5 } });
      expect(result.matchedCount).toBe(1);
      expect(result.modifiedCount).toBe(1);
      expect(result.upsertedId).toBeNull();
      expect(await coll.countDocuments({ n: 5 })).toBe(1);
    });

    it('should update every matching document with updateMany', async () => {
      const coll = collection('upd_many');
      await coll.insertMany([
        { _id: 1, k: 'x', n: 1 },
        { _id: 2, k: 'x', n: 2 },
        { _id: 3, k: 'y', n: 3 },
      ]);
      const result = await coll.updateMany({ k: 'x' }, { $inc: { n: 10 } });
      expect(result.matchedCount).toBe(2);
      expect(result.modifiedCount).toBe(2);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.n)).toEqual([11, 12, 3]);
      const none = await coll.updateMany({ k: 'z' }, { $inc: { n: 1 } });
      expect(none.matchedCount).toBe(0);
      expect(none.modifiedCount).toBe(0);
    });

    it('should replace a whole document but keep its _id', async () => {
      const coll = collection('replace_one');
      await coll.insertOne({ _id: 1, a: 1, b: 2 });
      const result = await coll.replaceOne({ a: 1 }, { c: 3 });
      expect(result.matchedCount).toBe(1);
      expect(result.modifiedCount).toBe(1);
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, c: 3 });
    });

    it('should upsert with replaceOne taking _id from the filter', async () => {
      const coll = collection('replace_upsert');
      const result = await coll.replaceOne({ _id: 'k1' }, { v: 1 }, { upsert: true });
      expect(result.upsertedCount).toBe(1);
      expect(result.upsertedId).toBe('k1');
      expect(await coll.findOne({})).toEqual({ _id: 'k1', v: 1 });
    });

    it('should delete one and many', async () => {
      const coll = collection('deletes');
      await coll.insertMany([
        { _id: 1, k: 'x' },
        { _id: 2, k: 'x' },
        { _id: 3, k: 'x' },
        { _id: 4, k: 'y' },
      ]);
      expect((await coll.deleteOne({ k: 'x' })).deletedCount).toBe(1);
      expect(await coll.countDocuments({ k: 'x' })).toBe(2);
      expect((await coll.deleteMany({ k: 'x' })).deletedCount).toBe(2);
      expect((await coll.deleteMany({ k: 'nothing' })).deletedCount).toBe(0);
      expect(ids(await coll.find().toArray())).toEqual([4]);
      expect((await coll.deleteMany({})).deletedCount).toBe(1);
      expect(await coll.countDocuments()).toBe(0);
    });
  });

  describe('counting and distinct', () => {
    beforeAll(async () => {
      await collection('counts').insertMany([
        { _id: 1, k: 'a', tags: ['x', 'y'], n: 1 },
        { _id: 2, k: 'b', tags: ['y'], n: 2 },
        { _id: 3, k: 'a', tags: 'z', n: 3 },
        { _id: 4, k: 'c', n: 4 },
        { _id: 5, k: 'a', n: 5 },
      ]);
    });

    it('should count documents with a filter, skip and limit', async () => {
      const coll = collection('counts');
      expect(await coll.countDocuments()).toBe(5);
      expect(await coll.countDocuments({ k: 'a' })).toBe(3);
      expect(await coll.countDocuments({ k: 'a' }, { skip: 1 })).toBe(2);
      expect(await coll.countDocuments({}, { limit: 2 })).toBe(2);
      expect(await coll.countDocuments({ k: 'nope' })).toBe(0);
      expect(await collection('counts_missing').countDocuments()).toBe(0);
    });

    it('should estimate the document count from collection metadata', async () => {
      expect(await collection('counts').estimatedDocumentCount()).toBe(5);
      expect(await collection('counts_missing').estimatedDocumentCount()).toBe(0);
    });

    it('should return distinct values, unwinding arrays, with a filter', async () => {
      const coll = collection('counts');
      expect((await coll.distinct('k')).sort()).toEqual(['a', 'b', 'c']);
      expect((await coll.distinct('tags')).sort()).toEqual(['x', 'y', 'z']);
      expect((await coll.distinct('n', { k: 'a' })).sort()).toEqual([1, 3, 5]);
      expect(await coll.distinct('nothing')).toEqual([]);
    });
  });

  describe('query operators', () => {
    beforeAll(async () => {
      await collection('ops').insertMany([
        { _id: 1, n: 1, s: 'alpha', tags: ['a', 'b'], scores: [82, 90], budget: 10, spent: 5 },
        { _id: 2, n: 2, s: 'Alps', tags: ['b', 'c'], scores: [70, 75], budget: 10, spent: 15 },
        { _id: 3, n: 3, s: 'beta', tags: ['a', 'b', 'c'], scores: [88, 60], budget: 5, spent: 5 },
        { _id: 4, n: null, s: 'gamma', tags: [], budget: 0, spent: 1 },
        { _id: 5, s: 'delta', tags: ['c'] },
        { _id: 6, n: 'six', s: 'ALPINE' },
      ]);
    });

    const q = async (filter: Document) => ids(await collection('ops').find(filter).sort({ _id: 1 }).toArray());

    it('should compare with $eq $ne $gt $gte $lt $lte within one type', async () => {
      expect(await q({ n: { $eq: 2 } })).toEqual([2]);
      expect(await q({ n: { $ne: 2 } })).toEqual([1, 3, 4, 5, 6]);
      expect(await q({ n: { $gt: 1 } })).toEqual([2, 3]);
      expect(await q({ n: { $gte: 1 } })).toEqual([1, 2, 3]);
      expect(await q({ n: { $lt: 3 } })).toEqual([1, 2]);
      expect(await q({ n: { $lte: 3, $gt: 1 } })).toEqual([2, 3]);
      expect(await q({ s: { $gt: 'beta' } })).toEqual([4, 5]);
    });

    it('should match null for both null and missing fields', async () => {
      expect(await q({ n: null })).toEqual([4, 5]);
      expect(await q({ n: { $eq: null } })).toEqual([4, 5]);
      expect(await q({ n: { $ne: null } })).toEqual([1, 2, 3, 6]);
    });

    it('should select with $in and $nin', async () => {
      expect(await q({ n: { $in: [1, 3, 'six'] } })).toEqual([1, 3, 6]);
      expect(await q({ n: { $in: [2, null] } })).toEqual([2, 4, 5]);
      expect(await q({ tags: { $in: ['c'] } })).toEqual([2, 3, 5]);
      expect(await q({ n: { $nin: [1, 2, 3] } })).toEqual([4, 5, 6]);
      expect(await q({ s: { $in: [/^al/] } })).toEqual([1]);
    });

    it('should test presence with $exists', async () => {
      expect(await q({ n: { $exists: true } })).toEqual([1, 2, 3, 4, 6]);
      expect(await q({ n: { $exists: false } })).toEqual([5]);
      expect(await q({ scores: { $exists: true } })).toEqual([1, 2, 3]);
    });

    it('should match BSON types with $type by alias and number', async () => {
      const coll = collection('ops_type');
      await coll.insertMany([
        { _id: 1, v: new ObjectId() },
        { _id: 2, v: new Date() },
        { _id: 3, v: 'text' },
        { _id: 4, v: [1, 2] },
        { _id: 5, v: 5 },
        { _id: 6, v: ['x'] },
        { _id: 7, v: null },
        { _id: 8, v: 1.5 },
        { _id: 9 },
      ]);
      const tq = async (filter: Document) => ids(await coll.find(filter).sort({ _id: 1 }).toArray());
      expect(await tq({ v: { $type: 'objectId' } })).toEqual([1]);
      expect(await tq({ v: { $type: 'date' } })).toEqual([2]);
      expect(await tq({ v: { $type: 'string' } })).toEqual([3, 6]);
      expect(await tq({ v: { $type: 'array' } })).toEqual([4, 6]);
      expect(await tq({ v: { $type: 'null' } })).toEqual([7]);
      expect(await tq({ v: { $type: 'number' } })).toEqual([4, 5, 8]);
      expect(await tq({ v: { $type: 'double' } })).toEqual([8]);
      expect(await tq({ v: { $type: 2 } })).toEqual([3, 6]);
      expect(await tq({ v: { $type: ['date', 'objectId'] } })).toEqual([1, 2]);
    });

    it('should match patterns with $regex and regular expression literals', async () => {
      expect(await q({ s: { $regex: '^al' } })).toEqual([1]);
      expect(await q({ s: { $regex: '^al', $options: 'i' } })).toEqual([1, 2, 6]);
      expect(await q({ s: /^AL/i })).toEqual([1, 2, 6]);
      expect(await q({ s: /ta$/ })).toEqual([3, 5]);
      expect(await q({ tags: /^c/ })).toEqual([2, 3, 5]);
    });

    it('should match arrays with $all, $elemMatch and $size', async () => {
      expect(await q({ tags: { $all: ['a', 'b'] } })).toEqual([1, 3]);
      expect(await q({ scores: { $elemMatch: { $gte: 80, $lt: 85 } } })).toEqual([1]);
      // Without $elemMatch each condition may be met by a different element.
      expect(await q({ scores: { $gte: 80, $lt: 85 } })).toEqual([1, 3]);
      expect(await q({ tags: { $size: 2 } })).toEqual([1, 2]);
      expect(await q({ tags: { $size: 0 } })).toEqual([4]);
    });

    it('should match $elemMatch on arrays of documents', async () => {
      const coll = collection('ops_elem');
      await coll.insertMany([
        {
          _id: 1,
          items: [
            { sku: 'a', qty: 1 },
            { sku: 'b', qty: 5 },
          ],
        },
        { _id: 2, items: [{ sku: 'a', qty: 5 }] },
      ]);
      const filter = { items: { $elemMatch: { sku: 'a', qty: { $gte: 5 } } } };
      expect(ids(await coll.find(filter).toArray())).toEqual([2]);
      expect(
        ids(
          await coll
            .find({ 'items.sku': 'a', 'items.qty': { $gte: 5 } })
            .sort({ _id: 1 })
            .toArray(),
        ),
      ).toEqual([1, 2]);
    });

    it('should combine with $and $or $nor $not', async () => {
      expect(await q({ $and: [{ n: { $gte: 1 } }, { n: { $lte: 2 } }] })).toEqual([1, 2]);
      expect(await q({ $or: [{ n: 1 }, { s: 'delta' }] })).toEqual([1, 5]);
      expect(await q({ $nor: [{ n: 1 }, { s: 'delta' }] })).toEqual([2, 3, 4, 6]);
      expect(await q({ n: { $not: { $gt: 1 } } })).toEqual([1, 4, 5, 6]);
      expect(await q({ s: { $not: /^a/i } })).toEqual([3, 4, 5]);
    });

    it('should compute remainders with $mod', async () => {
      const coll = collection('ops_mod');
      await coll.insertMany([0, 1, 2, 3, 4, 5, 6].map((n) => ({ _id: n, n })));
      expect(
        ids(
          await coll
            .find({ n: { $mod: [3, 0] } })
            .sort({ _id: 1 })
            .toArray(),
        ),
      ).toEqual([0, 3, 6]);
      expect(
        ids(
          await coll
            .find({ n: { $mod: [4, 1] } })
            .sort({ _id: 1 })
            .toArray(),
        ),
      ).toEqual([1, 5]);
    });

    it('should compare fields of the same document with $expr', async () => {
      expect(await q({ $expr: { $gt: ['$spent', '$budget'] } })).toEqual([2, 4]);
      expect(await q({ $expr: { $eq: ['$spent', '$budget'] } })).toEqual([3, 5, 6]);
      expect(await q({ n: { $gte: 1 }, $expr: { $lt: ['$spent', '$budget'] } })).toEqual([1]);
    });
  });

  describe('ObjectId and Date values', () => {
    it('should round-trip ObjectId and Date values exactly', async () => {
      const coll = collection('bson_roundtrip');
      const ref = new ObjectId();
      const at = new Date('2023-05-06T07:08:09.123Z');
      const { insertedId } = await coll.insertOne({ ref, at, list: [at, ref] });
      const found = await coll.findOne({ _id: insertedId });
      expect(found!._id).toBeInstanceOf(ObjectId);
      expect(found!.ref).toBeInstanceOf(ObjectId);
      expect((found!.ref as ObjectId).equals(ref)).toBe(true);
      expect(found!.at).toBeInstanceOf(Date);
      expect((found!.at as Date).getTime()).toBe(at.getTime());
      expect(await coll.countDocuments({ ref })).toBe(1);
      expect(await coll.countDocuments({ ref: ref.toHexString() })).toBe(0);
      expect(await coll.countDocuments({ at: new Date(at.getTime()) })).toBe(1);
      expect(await coll.countDocuments({ list: at })).toBe(1);
    });

    it('should compare dates by time and never with numbers or strings', async () => {
      const coll = collection('bson_dates');
      const day = (d: number) => new Date(Date.UTC(2024, 0, d));
      await coll.insertMany([1, 5, 10, 15, 20].map((d) => ({ _id: d, at: day(d) })));
      await coll.insertOne({ _id: 99, at: day(12).getTime() });
      await coll.insertOne({ _id: 98, at: day(12).toISOString() });
      const range = await coll
        .find({ at: { $gte: day(5), $lt: day(15) } })
        .sort({ at: 1 })
        .toArray();
      expect(ids(range)).toEqual([5, 10]);
      expect(ids(await coll.find({ at: { $gt: day(15) } }).toArray())).toEqual([20]);
      expect(ids(await coll.find({ at: { $gt: 0 } }).toArray())).toEqual([99]);
      const latest = await coll
        .find({ at: { $type: 'date' } })
        .sort({ at: -1 })
        .limit(1)
        .toArray();
      expect(ids(latest)).toEqual([20]);
    });

    it('should order ObjectIds by their bytes (creation time first)', async () => {
      const coll = collection('bson_oids');
      const early = ObjectId.createFromTime(1_600_000_000);
      const middle = ObjectId.createFromTime(1_650_000_000);
      const late = ObjectId.createFromTime(1_700_000_000);
      await coll.insertMany([{ _id: late }, { _id: early }, { _id: middle }]);
      const sorted = await coll.find().sort({ _id: 1 }).toArray();
      expect(sorted.map((d) => (d._id as ObjectId).toHexString())).toEqual(
        [early, middle, late].map((o) => o.toHexString()),
      );
      const after = await coll.find({ _id: { $gt: middle } }).toArray();
      expect(after.map((d) => (d._id as ObjectId).toHexString())).toEqual([late.toHexString()]);
    });
  });
});
