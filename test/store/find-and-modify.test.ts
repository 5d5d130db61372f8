import { ObjectId } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { errorOf, type AnyDoc } from './conformance-helpers.js';
import { useTestDatabase } from './harness.js';

describe('findAndModify', () => {
  const t = useTestDatabase();

  const collection = (name: string) => t.db.collection<AnyDoc>(name);

  async function seeded(name: string) {
    const coll = collection(name);
    await coll.insertMany([
      { _id: 1, queue: 'q', priority: 2, state: 'ready' },
      { _id: 2, queue: 'q', priority: 9, state: 'ready' },
      { _id: 3, queue: 'q', priority: 5, state: 'ready' },
    ]);
    return coll;
  }

  describe('findOneAndUpdate', () => {
    it('should return the document before the update by default', async () => {
      const coll = await seeded('fau_before');
      const before = await coll.findOneAndUpdate({ _id: 1 }, { $set: { state: 'taken' } });
      expect(before).toEqual({ _id: 1, queue: 'q', priority: 2, state: 'ready' });
      expect((await coll.findOne({ _id: 1 }))!.state).toBe('taken');
    });

    it('should return the updated document with returnDocument after', async () => {
      const coll = await seeded('fau_after');
      const after = await coll.findOneAndUpdate({ _id: 1 }, { $inc: { priority: 1 } }, { returnDocument: 'after' });
      expect(after).toEqual({ _id: 1, queue: 'q', priority: 3, state: 'ready' });
    });

    it('should pick the first document in sort order', async () => {
      const coll = await seeded('fau_sort');
      const top = await coll.findOneAndUpdate(
        { state: 'ready' },
        { $set: { state: 'taken' } },
        { sort: { priority: -1 }, returnDocument: 'after' },
      );
      expect(top).toMatchObject({ _id: 2, state: 'taken' });
      const next = await coll.findOneAndUpdate(
        { state: 'ready' },
        { $set: { state: 'taken' } },
        { sort: { priority: -1 } },
      );
      expect(next).toMatchObject({ _id: 3, state: 'ready' });
      const lowest = await coll.findOneAndUpdate({}, { $set: { seen: true } }, { sort: { priority: 1 } });
      expect(lowest!._id).toBe(1);
    });

    it('should project the returned document', async () => {
      const coll = await seeded('fau_projection');
      const doc = await coll.findOneAndUpdate(
        { _id: 3 },
        { $set: { state: 'done' } },
        { projection: { state: 1, _id: 0 }, returnDocument: 'after' },
      );
      expect(doc).toEqual({ state: 'done' });
      expect(await coll.findOne({ _id: 3 })).toEqual({ _id: 3, queue: 'q', priority: 5, state: 'done' });
    });

    it('should apply a positional projection with the query, as find does', async () => {
      const coll = collection('fam_positional');
      await coll.insertMany([
        { _id: 1, arr: [1, 2, 3], other: 'x' },
        { _id: 2, arr: [4, 5, 6], other: 'x' },
      ]);
      const before = await coll.findOneAndUpdate({ arr: 2 }, { $set: { other: 'y' } }, { projection: { 'arr.$': 1 } });
      expect(before).toEqual({ _id: 1, arr: [2] });
      const deleted = await coll.findOneAndDelete({ arr: { $gt: 4 } }, { projection: { 'arr.$': 1, _id: 0 } });
      expect(deleted).toEqual({ arr: [5] });
      expect(await coll.findOne({ _id: 1 })).toEqual({ _id: 1, arr: [1, 2, 3], other: 'y' });
    });

    it('should refuse an invalid projection before modifying anything', async () => {
      const coll = await seeded('fau_bad_projection');
      const error = await errorOf(
        coll.findOneAndUpdate({ _id: 1 }, { $set: { state: 'taken' } }, { projection: { state: 1, queue: 0 } }),
      );
      expect(error.code).toBe(31254);
      expect((await coll.findOne({ _id: 1 }))!.state).toBe('ready');
    });

    it('should return null when nothing matches and nothing is upserted', async () => {
      const coll = await seeded('fau_none');
      expect(await coll.findOneAndUpdate({ _id: 99 }, { $set: { a: 1 } })).toBeNull();
      expect(await coll.countDocuments()).toBe(3);
    });

    it('should upsert and return null before, or the new document after', async () => {
      const coll = collection('fau_upsert');
      const before = await coll.findOneAndUpdate({ key: 'a' }, { $set: { n: 1 } }, { upsert: true });
      expect(before).toBeNull();
      const inserted = await coll.findOne({ key: 'a' });
      expect(inserted).toEqual({ _id: expect.any(ObjectId), key: 'a', n: 1 });
      const after = await coll.findOneAndUpdate(
        { key: 'b' },
        { $set: { n: 2 }, $setOnInsert: { created: true } },
        { upsert: true, returnDocument: 'after' },
      );
      expect(after).toEqual({ _id: expect.any(ObjectId), key: 'b', n: 2, created: true });
      const existing = await coll.findOneAndUpdate(
        { key: 'b' },
        { $inc: { n: 1 }, $setOnInsert: { created: false } },
        { upsert: true, returnDocument: 'after' },
      );
      expect(existing).toEqual({ _id: after!._id, key: 'b', n: 3, created: true });
    });

    it('should report lastErrorObject with includeResultMetadata', async () => {
      const coll = await seeded('fau_metadata');
      const updated = await coll.findOneAndUpdate({ _id: 1 }, { $set: { a: 1 } }, { includeResultMetadata: true });
      expect(updated.ok).toBe(1);
      expect(updated.value).toEqual({ _id: 1, queue: 'q', priority: 2, state: 'ready' });
      expect(updated.lastErrorObject).toEqual({ n: 1, updatedExisting: true });

      const missed = await coll.findOneAndUpdate({ _id: 42 }, { $set: { a: 1 } }, { includeResultMetadata: true });
      expect(missed.value).toBeNull();
      expect(missed.lastErrorObject).toEqual({ n: 0, updatedExisting: false });

      const upserted = await coll.findOneAndUpdate(
        { _id: 7 },
        { $set: { a: 1 } },
        { includeResultMetadata: true, upsert: true, returnDocument: 'after' },
      );
      expect(upserted.value).toEqual({ _id: 7, a: 1 });
      expect(upserted.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 7 });
    });

    it('should apply arrayFilters', async () => {
      const coll = collection('fau_arrayfilters');
      await coll.insertOne({
        _id: 1,
        items: [
          { k: 'a', n: 1 },
          { k: 'b', n: 1 },
        ],
      });
      const doc = await coll.findOneAndUpdate(
        { _id: 1 },
        { $inc: { 'items.$[it].n': 5 } },
        { arrayFilters: [{ 'it.k': 'b' }], returnDocument: 'after' },
      );
      expect(doc!.items).toEqual([
        { k: 'a', n: 1 },
        { k: 'b', n: 6 },
      ]);
    });
  });

  describe('findOneAndReplace', () => {
    it('should replace and return the old or the new document', async () => {
      const coll = await seeded('far_basic');
      const before = await coll.findOneAndReplace({ _id: 1 }, { queue: 'other', v: 1 });
      expect(before).toEqual({ _id: 1, queue: 'q', priority: 2, state: 'ready' });
      const after = await coll.findOneAndReplace({ _id: 1 }, { v: 2 }, { returnDocument: 'after' });
      expect(after).toEqual({ _id: 1, v: 2 });
    });

    it('should replace the first document in sort order and project the result', async () => {
      const coll = await seeded('far_sort');
      const replaced = await coll.findOneAndReplace(
        { queue: 'q' },
        { queue: 'q', priority: 0, replaced: true },
        { sort: { priority: -1 }, projection: { _id: 1, replaced: 1 }, returnDocument: 'after' },
      );
      expect(replaced).toEqual({ _id: 2, replaced: true });
    });

    it('should upsert a replacement, keeping _id from the filter', async () => {
      const coll = collection('far_upsert');
      const result = await coll.findOneAndReplace(
        { _id: 'cfg' },
        { theme: 'dark' },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      expect(result.value).toEqual({ _id: 'cfg', theme: 'dark' });
      expect(result.lastErrorObject).toEqual({ n: 1, updatedExisting: false, upserted: 'cfg' });
      const before = await coll.findOneAndReplace({ _id: 'cfg' }, { theme: 'light' }, { upsert: true });
      expect(before).toEqual({ _id: 'cfg', theme: 'dark' });
    });
  });

  describe('findOneAndDelete', () => {
    it('should delete and return the first document in sort order', async () => {
      const coll = await seeded('fad_sort');
      const deleted = await coll.findOneAndDelete({ queue: 'q' }, { sort: { priority: 1 } });
      expect(deleted).toEqual({ _id: 1, queue: 'q', priority: 2, state: 'ready' });
      expect(await coll.countDocuments()).toBe(2);
      const highest = await coll.findOneAndDelete({}, { sort: { priority: -1 }, projection: { priority: 1 } });
      expect(highest).toEqual({ _id: 2, priority: 9 });
      expect((await coll.find().toArray()).map((d) => d._id)).toEqual([3]);
    });

    it('should return null and delete nothing when nothing matches', async () => {
      const coll = await seeded('fad_none');
      expect(await coll.findOneAndDelete({ _id: 100 })).toBeNull();
      const meta = await coll.findOneAndDelete({ _id: 100 }, { includeResultMetadata: true });
      expect(meta.value).toBeNull();
      expect(meta.lastErrorObject).toEqual({ n: 0 });
      expect(await coll.countDocuments()).toBe(3);
    });

    it('should report the deleted document with includeResultMetadata', async () => {
      const coll = await seeded('fad_metadata');
      const meta = await coll.findOneAndDelete({ _id: 2 }, { includeResultMetadata: true });
      expect(meta.ok).toBe(1);
      expect(meta.value).toEqual({ _id: 2, queue: 'q', priority: 9, state: 'ready' });
      expect(meta.lastErrorObject).toEqual({ n: 1 });
    });
  });
});
