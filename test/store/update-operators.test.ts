import { Long, Timestamp } from 'mongodb';
import { describe, expect, it } from 'vitest';
import type { AnyDoc } from './conformance-helpers.js';
import { useTestDatabase } from './harness.js';

describe('update operators', () => {
  const t = useTestDatabase();

  const collection = (name: string) => t.db.collection<AnyDoc>(name);

  /** Inserts `doc` with _id 1 into a fresh collection, applies `update`, returns the result and the document. */
  async function applyTo(
    name: string,
    doc: AnyDoc,
    update: AnyDoc | AnyDoc[],
    options: { arrayFilters?: AnyDoc[] } = {},
  ) {
    const coll = collection(name);
    await coll.insertOne({ _id: 1, ...doc });
    const result = await coll.updateOne({ _id: 1 }, update, options);
    const after = await coll.findOne({ _id: 1 });
    return { result, after };
  }

  describe('field operators', () => {
    it('should $set top-level, nested and array-index paths, creating what is missing', async () => {
      const { result, after } = await applyTo(
        'op_set',
        { a: 1, arr: [1, 2, 3] },
        {
          $set: { a: 2, 'b.c.d': 'deep', 'arr.1': 20, 'arr.5': 6 },
        },
      );
      expect(result.modifiedCount).toBe(1);
      expect(after).toEqual({ _id: 1, a: 2, arr: [1, 20, 3, null, null, 6], b: { c: { d: 'deep' } } });
    });

    it('should $unset fields, and null out array elements instead of removing them', async () => {
      const { after } = await applyTo(
        'op_unset',
        { a: 1, b: { c: 1, d: 2 }, arr: [1, 2, 3] },
        {
          $unset: { a: '', 'b.c': 1, 'arr.1': '', missing: '' },
        },
      );
      expect(after).toEqual({ _id: 1, b: { d: 2 }, arr: [1, null, 3] });
    });

    it('should $inc existing and missing fields, positive and negative', async () => {
      const { after } = await applyTo(
        'op_inc',
        { n: 5, f: 1.5, nested: { k: 1 } },
        {
          $inc: { n: -2, f: 1, 'nested.k': 10, created: 3 },
        },
      );
      expect(after).toEqual({ _id: 1, n: 3, f: 2.5, nested: { k: 11 }, created: 3 });
    });

    it('should $mul numbers and create a missing field as 0', async () => {
      const { after } = await applyTo('op_mul', { price: 2.5, qty: 4 }, { $mul: { price: 2, qty: -1, missing: 7 } });
      expect(after).toEqual({ _id: 1, price: 5, qty: -4, missing: 0 });
    });

    it('should store $inc and $mul results on integers that leave int32 range as 64-bit integers', async () => {
      const coll = collection('op_inc_long');
      await coll.insertOne({ _id: 1, n: 2147483647, m: 65536, low: -2147483648, small: 1, f: 1.5 });
      await coll.updateOne({ _id: 1 }, { $inc: { n: 1, low: -1, small: 1, f: 2147483647 }, $mul: { m: 65536 } });
      // promoteLongs: false shows the stored type: a Long for an int64, a number for an int32 or a double.
      const stored = await coll.findOne({ _id: 1 }, { promoteLongs: false });
      expect(stored!.n).toBeInstanceOf(Long);
      expect((stored!.n as Long).toNumber()).toBe(2147483648);
      expect(stored!.m).toBeInstanceOf(Long);
      expect((stored!.m as Long).toNumber()).toBe(4294967296);
      expect(stored!.low).toBeInstanceOf(Long);
      expect((stored!.low as Long).toNumber()).toBe(-2147483649);
      expect(stored!.small).toBe(2);
      expect(stored!.f).toBe(2147483648.5);
      expect(await coll.countDocuments({ n: { $type: 'long' } })).toBe(1);
      expect(await coll.countDocuments({ small: { $type: 'int' }, f: { $type: 'double' } })).toBe(1);
      // A long stays a long, back inside int32 range too.
      await coll.updateOne({ _id: 1 }, { $inc: { n: -2 } });
      const again = await coll.findOne({ _id: 1 }, { promoteLongs: false });
      expect(again!.n).toBeInstanceOf(Long);
      expect((again!.n as Long).toNumber()).toBe(2147483646);
      expect(await coll.findOne({ _id: 1 })).toMatchObject({ n: 2147483646, m: 4294967296 });
    });

    it('should $rename fields, including into and out of subdocuments', async () => {
      const { after } = await applyTo(
        'op_rename',
        { first: 'ada', name: { last: 'lovelace' }, keep: 1 },
        {
          $rename: { first: 'given', 'name.last': 'family' },
        },
      );
      expect(after).toEqual({ _id: 1, name: {}, keep: 1, given: 'ada', family: 'lovelace' });
    });

    it('should leave a document unmodified when $rename names a missing field', async () => {
      const { result, after } = await applyTo('op_rename_missing', { a: 1 }, { $rename: { nothing: 'other' } });
      expect(result.matchedCount).toBe(1);
      expect(result.modifiedCount).toBe(0);
      expect(after).toEqual({ _id: 1, a: 1 });
    });

    it('should keep the smaller with $min and the larger with $max, for numbers and dates', async () => {
      const early = new Date('2020-01-01T00:00:00Z');
      const late = new Date('2030-01-01T00:00:00Z');
      const middle = new Date('2025-01-01T00:00:00Z');
      const { after } = await applyTo(
        'op_minmax',
        { lo: 10, hi: 10, first: middle, last: middle },
        {
          $min: { lo: 5, first: early, newMin: 1 },
          $max: { hi: 50, last: late, newMax: 2 },
        },
      );
      expect(after).toEqual({ _id: 1, lo: 5, hi: 50, first: early, last: late, newMin: 1, newMax: 2 });
      const unchanged = await collection('op_minmax').updateOne({ _id: 1 }, { $min: { lo: 6 }, $max: { hi: 49 } });
      expect(unchanged.modifiedCount).toBe(0);
    });

    it('should set the current time with $currentDate as a date or a timestamp', async () => {
      const before = Date.now();
      const { after } = await applyTo(
        'op_currentdate',
        { a: 1 },
        {
          $currentDate: { at: true, asDate: { $type: 'date' }, ts: { $type: 'timestamp' } },
        },
      );
      expect(after!.at).toBeInstanceOf(Date);
      expect(after!.asDate).toBeInstanceOf(Date);
      expect((after!.at as Date).getTime()).toBeGreaterThanOrEqual(before - 1000);
      expect((after!.at as Date).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
      expect(after!.ts).toBeInstanceOf(Timestamp);
      expect(Number((after!.ts as Timestamp).high)).toBeGreaterThanOrEqual(Math.floor(before / 1000) - 1);
    });

    it('should apply $setOnInsert only when an upsert inserts', async () => {
      const coll = collection('op_setoninsert');
      await coll.insertOne({ _id: 1, n: 1 });
      await coll.updateOne({ _id: 1 }, { $set: { n: 2 }, $setOnInsert: { created: true } }, { upsert: true });
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, n: 2 });
      const inserted = await coll.updateOne(
        { _id: 2 },
        { $set: { n: 3 }, $setOnInsert: { created: true } },
        { upsert: true },
      );
      expect(inserted.upsertedId).toBe(2);
      expect(await coll.findOne({ _id: 2 })).toEqual({ _id: 2, n: 3, created: true });
    });

    it('should apply $bit and, or, xor to integers', async () => {
      const { after } = await applyTo(
        'op_bit',
        { a: 13, b: 3, c: 1 },
        {
          $bit: { a: { and: 10 }, b: { or: 5 }, c: { xor: 5 } },
        },
      );
      expect(after).toEqual({ _id: 1, a: 8, b: 7, c: 4 });
    });
  });

  describe('array operators', () => {
    it('should $addToSet only values not already present, with and without $each', async () => {
      const { after } = await applyTo(
        'op_addtoset',
        { tags: ['a', 'b'], items: [{ k: 1 }] },
        {
          $addToSet: { tags: { $each: ['b', 'c', 'c', 'd'] }, items: { k: 1 }, fresh: 'x' },
        },
      );
      expect(after).toEqual({ _id: 1, tags: ['a', 'b', 'c', 'd'], items: [{ k: 1 }], fresh: ['x'] });
      const again = await collection('op_addtoset').updateOne({ _id: 1 }, { $addToSet: { tags: 'a' } });
      expect(again.matchedCount).toBe(1);
      expect(again.modifiedCount).toBe(0);
    });

    it('should $pop the first or the last element', async () => {
      const { after } = await applyTo(
        'op_pop',
        { first: [1, 2, 3], last: [1, 2, 3] },
        { $pop: { first: -1, last: 1 } },
      );
      expect(after).toEqual({ _id: 1, first: [2, 3], last: [1, 2] });
    });

    it('should $pull values equal to a value or matching a condition', async () => {
      const { after } = await applyTo(
        'op_pull',
        {
          nums: [1, 5, 7, 3, 9, 5],
          colors: ['red', 'blue', 'red'],
          items: [
            { sku: 'a', qty: 0 },
            { sku: 'b', qty: 2 },
            { sku: 'c', qty: 0 },
          ],
        },
        {
          $pull: { nums: { $gte: 5 }, colors: 'red', items: { qty: 0 } },
        },
      );
      expect(after).toEqual({ _id: 1, nums: [1, 3], colors: ['blue'], items: [{ sku: 'b', qty: 2 }] });
    });

    it('should $pullAll every listed value', async () => {
      const { after } = await applyTo('op_pullall', { nums: [0, 2, 5, 5, 1, 0] }, { $pullAll: { nums: [0, 5] } });
      expect(after).toEqual({ _id: 1, nums: [2, 1] });
    });

    it('should $push one value, or several with $each, creating the array when missing', async () => {
      const { after } = await applyTo(
        'op_push',
        { list: [1] },
        {
          $push: { list: 2, many: { $each: [1, 2] }, nested: [3] },
        },
      );
      expect(after).toEqual({ _id: 1, list: [1, 2], many: [1, 2], nested: [[3]] });
    });

    it('should $push with $sort and $slice to keep a bounded sorted array', async () => {
      const { after } = await applyTo(
        'op_push_sort',
        {
          scores: [40, 90],
          results: [
            { who: 'a', score: 7 },
            { who: 'b', score: 3 },
          ],
        },
        {
          $push: {
            scores: { $each: [60, 10, 100], $sort: -1, $slice: 3 },
            results: { $each: [{ who: 'c', score: 5 }], $sort: { score: 1 } },
          },
        },
      );
      expect(after!.scores).toEqual([100, 90, 60]);
      expect(after!.results).toEqual([
        { who: 'b', score: 3 },
        { who: 'c', score: 5 },
        { who: 'a', score: 7 },
      ]);
    });

    it('should $push at a $position and keep the last elements with a negative $slice', async () => {
      const { after } = await applyTo(
        'op_push_position',
        { letters: ['a', 'd'], window: [1, 2, 3] },
        {
          $push: {
            letters: { $each: ['b', 'c'], $position: 1 },
            window: { $each: [4, 5], $slice: -3 },
          },
        },
      );
      expect(after).toEqual({ _id: 1, letters: ['a', 'b', 'c', 'd'], window: [3, 4, 5] });
    });
  });

  describe('positional updates', () => {
    it('should update the first matched element with the positional $ operator', async () => {
      const coll = collection('pos_dollar');
      await coll.insertOne({
        _id: 1,
        grades: [80, 85, 85],
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 1 },
        ],
      });
      await coll.updateOne({ _id: 1, grades: 85 }, { $set: { 'grades.$': 86 } });
      await coll.updateOne({ _id: 1, 'items.sku': 'b' }, { $inc: { 'items.$.qty': 4 } });
      expect(await coll.findOne({ _id: 1 })).toEqual({
        _id: 1,
        grades: [80, 86, 85],
        items: [
          { sku: 'a', qty: 1 },
          { sku: 'b', qty: 5 },
        ],
      });
    });

    it('should update every element with $[]', async () => {
      const { after } = await applyTo(
        'pos_all',
        { grades: [1, 2, 3], items: [{ q: 1 }, { q: 2 }] },
        {
          $inc: { 'grades.$[]': 10, 'items.$[].q': 100 },
        },
      );
      expect(after).toEqual({ _id: 1, grades: [11, 12, 13], items: [{ q: 101 }, { q: 102 }] });
    });

    it('should update only the elements that arrayFilters select with $[identifier]', async () => {
      const { after } = await applyTo(
        'pos_filtered',
        {
          grades: [95, 102, 90, 150],
          items: [
            { sku: 'a', qty: 5 },
            { sku: 'b', qty: 0 },
            { sku: 'c', qty: 7 },
          ],
        },
        {
          $set: { 'grades.$[high]': 100, 'items.$[empty].restock': true },
        },
        { arrayFilters: [{ high: { $gte: 100 } }, { 'empty.qty': 0 }] },
      );
      expect(after).toEqual({
        _id: 1,
        grades: [95, 100, 90, 100],
        items: [
          { sku: 'a', qty: 5 },
          { sku: 'b', qty: 0, restock: true },
          { sku: 'c', qty: 7 },
        ],
      });
    });

    it('should apply arrayFilters in updateMany across documents', async () => {
      const coll = collection('pos_filtered_many');
      await coll.insertMany([
        { _id: 1, v: [1, 5, 10] },
        { _id: 2, v: [2, 20] },
        { _id: 3, v: [3] },
      ]);
      const result = await coll.updateMany({}, { $mul: { 'v.$[big]': 2 } }, { arrayFilters: [{ big: { $gte: 5 } }] });
      expect(result.matchedCount).toBe(3);
      expect(result.modifiedCount).toBe(2);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.v)).toEqual([[1, 10, 20], [2, 40], [3]]);
    });
  });

  describe('pipeline updates', () => {
    it('should compute fields from the document itself with an aggregation pipeline', async () => {
      const { result, after } = await applyTo('pipeline_update', { a: 2, b: 3, tmp: 'x' }, [
        { $set: { total: { $add: ['$a', '$b'] }, label: { $concat: ['sum-', { $toString: '$a' }] } } },
        { $unset: 'tmp' },
      ]);
      expect(result.modifiedCount).toBe(1);
      expect(after).toEqual({ _id: 1, a: 2, b: 3, total: 5, label: 'sum-2' });
    });

    it('should run pipeline updates on many documents', async () => {
      const coll = collection('pipeline_update_many');
      await coll.insertMany([
        { _id: 1, price: 10, qty: 2 },
        { _id: 2, price: 5, qty: 4 },
      ]);
      await coll.updateMany({}, [{ $set: { value: { $multiply: ['$price', '$qty'] } } }]);
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d.value)).toEqual([20, 20]);
    });
  });

  describe('upserts and no-op updates', () => {
    it('should build an upserted document from the equality fields of the filter', async () => {
      const coll = collection('upsert_seed');
      const result = await coll.updateOne(
        { sku: 'x1', 'dims.w': 3, qty: { $gt: 5 }, status: { $eq: 'new' }, $and: [{ shelf: 4 }] },
        { $set: { price: 2 } },
        { upsert: true },
      );
      expect(result.matchedCount).toBe(0);
      expect(result.modifiedCount).toBe(0);
      expect(result.upsertedCount).toBe(1);
      const doc = await coll.findOne({ _id: result.upsertedId! });
      expect(doc).toEqual({ _id: result.upsertedId, sku: 'x1', dims: { w: 3 }, status: 'new', shelf: 4, price: 2 });
    });

    it('should take the upserted _id from the filter', async () => {
      const coll = collection('upsert_id');
      const result = await coll.updateOne({ _id: 'fixed' }, { $inc: { n: 1 } }, { upsert: true });
      expect(result.upsertedId).toBe('fixed');
      const again = await coll.updateOne({ _id: 'fixed' }, { $inc: { n: 1 } }, { upsert: true });
      expect(again.upsertedCount).toBe(0);
      expect(again.matchedCount).toBe(1);
      expect(await coll.findOne({ _id: 'fixed' })).toEqual({ _id: 'fixed', n: 2 });
    });

    it('should upsert through updateMany once when nothing matches', async () => {
      const coll = collection('upsert_many');
      const result = await coll.updateMany({ group: 'g' }, { $set: { seen: true } }, { upsert: true });
      expect(result.upsertedCount).toBe(1);
      expect(await coll.countDocuments({ group: 'g', seen: true })).toBe(1);
    });

    it('should accept $set of _id to its current value, and give an upsert the _id it sets', async () => {
      const coll = collection('upsert_set_id');
      await coll.insertOne({ _id: 1, a: 1 });
      const same = await coll.updateOne({ _id: 1 }, { $set: { _id: 1, a: 2 } });
      expect(same.modifiedCount).toBe(1);
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, a: 2 });
      const upserted = await coll.updateOne(
        { name: 'n' },
        { $setOnInsert: { _id: 'chosen' }, $set: { v: 1 } },
        { upsert: true },
      );
      expect(upserted.upsertedId).toBe('chosen');
      expect(await coll.findOne({ _id: 'chosen' })).toEqual({ _id: 'chosen', name: 'n', v: 1 });
    });

    it('should report nModified 0 when an update changes nothing', async () => {
      const coll = collection('noop_update');
      await coll.insertMany([
        { _id: 1, a: 1, tags: ['x'] },
        { _id: 2, a: 2, tags: ['x'] },
      ]);
      const same = await coll.updateOne({ _id: 1 }, { $set: { a: 1 } });
      expect(same.matchedCount).toBe(1);
      expect(same.modifiedCount).toBe(0);
      const many = await coll.updateMany({}, { $set: { a: 1 }, $addToSet: { tags: 'x' } });
      expect(many.matchedCount).toBe(2);
      expect(many.modifiedCount).toBe(1);
      const replaced = await coll.replaceOne({ _id: 1 }, { a: 1, tags: ['x'] });
      expect(replaced.matchedCount).toBe(1);
      expect(replaced.modifiedCount).toBe(0);
    });
  });
});
