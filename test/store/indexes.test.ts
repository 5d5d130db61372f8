import { MongoBulkWriteError, type Document } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { errorOf, waitFor, type AnyDoc } from './conformance-helpers.js';
import { examined, useTestDatabase } from './harness.js';

describe('indexes', () => {
  const t = useTestDatabase();

  const collection = (name: string) => t.db.collection<AnyDoc>(name);
  const dupPrefix = (coll: string, index: string) =>
    `E11000 duplicate key error collection: ${t.dbName}.${coll} index: ${index} dup key:`;

  describe('listing and dropping', () => {
    it('should list the _id index and created indexes with their options', async () => {
      const coll = collection('ix_list');
      await coll.insertOne({ a: 1 });
      expect(await coll.createIndex({ a: 1 })).toBe('a_1');
      expect(await coll.createIndex({ b: -1, c: 1 }, { unique: true })).toBe('b_-1_c_1');
      expect(await coll.createIndex({ d: 1 }, { name: 'by_d', sparse: true })).toBe('by_d');
      expect(await coll.createIndex({ at: 1 }, { expireAfterSeconds: 3600 })).toBe('at_1');
      const indexes = await coll.indexes();
      expect(indexes).toEqual([
        { v: 2, key: { _id: 1 }, name: '_id_' },
        { v: 2, key: { a: 1 }, name: 'a_1' },
        { v: 2, key: { b: -1, c: 1 }, name: 'b_-1_c_1', unique: true },
        { v: 2, key: { d: 1 }, name: 'by_d', sparse: true },
        { v: 2, key: { at: 1 }, name: 'at_1', expireAfterSeconds: 3600 },
      ]);
      expect(await coll.indexExists('a_1')).toBe(true);
      expect(await coll.indexExists('nope')).toBe(false);
    });

    it('should accept the same index again without creating another', async () => {
      const coll = collection('ix_idempotent');
      await coll.createIndex({ a: 1 });
      const again = await t.db.command({ createIndexes: 'ix_idempotent', indexes: [{ key: { a: 1 }, name: 'a_1' }] });
      expect(again.numIndexesBefore).toBe(2);
      expect(again.numIndexesAfter).toBe(2);
      expect((await coll.indexes()).map((ix) => ix.name)).toEqual(['_id_', 'a_1']);
    });

    it('should drop one index by name or by key pattern', async () => {
      const coll = collection('ix_drop');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 } }, { key: { c: 1 } }]);
      await coll.dropIndex('a_1');
      expect((await coll.indexes()).map((ix) => ix.name)).toEqual(['_id_', 'b_1', 'c_1']);
      const reply = await t.db.command({ dropIndexes: 'ix_drop', index: { b: 1 } });
      expect(reply.nIndexesWas).toBe(3);
      expect((await coll.indexes()).map((ix) => ix.name)).toEqual(['_id_', 'c_1']);
    });

    it('should drop every index except _id with dropIndexes', async () => {
      const coll = collection('ix_drop_all');
      await coll.createIndexes([{ key: { a: 1 } }, { key: { b: 1 }, unique: true }]);
      expect(await coll.dropIndexes()).toBe(true);
      expect(await coll.indexes()).toEqual([{ v: 2, key: { _id: 1 }, name: '_id_' }]);
    });

    it('should refuse to drop the _id index', async () => {
      const coll = collection('ix_drop_id');
      await coll.insertOne({ a: 1 });
      const error = await errorOf(coll.dropIndex('_id_'));
      expect(error.code).toBe(72);
    });
  });

  describe('unique indexes', () => {
    it('should stop an ordered insertMany at the first duplicate', async () => {
      const coll = collection('uq_ordered');
      await coll.createIndex({ email: 1 }, { unique: true });
      const error = await errorOf(
        coll.insertMany([{ email: 'a@x' }, { email: 'b@x' }, { email: 'a@x' }, { email: 'c@x' }]),
      );
      expect(error).toBeInstanceOf(MongoBulkWriteError);
      const bulk = error as unknown as MongoBulkWriteError;
      expect(bulk.code).toBe(11000);
      expect(bulk.insertedCount).toBe(2);
      const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
      expect(writeErrors).toHaveLength(1);
      expect(writeErrors[0]!.index).toBe(2);
      expect(writeErrors[0]!.code).toBe(11000);
      expect(writeErrors[0]!.errmsg).toBe(`${dupPrefix('uq_ordered', 'email_1')} { email: "a@x" }`);
      expect(await coll.countDocuments()).toBe(2);
    });

    it('should insert every other document of an unordered insertMany', async () => {
      const coll = collection('uq_unordered');
      await coll.createIndex({ email: 1 }, { unique: true });
      await coll.insertOne({ email: 'a@x' });
      const error = await errorOf(
        coll.insertMany([{ email: 'b@x' }, { email: 'a@x' }, { email: 'c@x' }, { email: 'b@x' }, { email: 'd@x' }], {
          ordered: false,
        }),
      );
      const bulk = error as unknown as MongoBulkWriteError;
      expect(bulk.insertedCount).toBe(3);
      const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : [bulk.writeErrors];
      expect(writeErrors.map((e) => e.index)).toEqual([1, 3]);
      expect(writeErrors.every((e) => e.code === 11000)).toBe(true);
      expect((await coll.distinct('email')).sort()).toEqual(['a@x', 'b@x', 'c@x', 'd@x']);
    });

    it('should report keyPattern and keyValue in each write error', async () => {
      await collection('uq_raw').createIndex({ email: 1 }, { unique: true });
      const reply = await t.db.command({
        insert: 'uq_raw',
        documents: [
          { _id: 1, email: 'a@x' },
          { _id: 2, email: 'a@x' },
          { _id: 1, email: 'z@x' },
        ],
        ordered: false,
      });
      expect(reply.n).toBe(1);
      const errors = reply.writeErrors as Document[];
      expect(errors).toHaveLength(2);
      expect(errors[0]).toMatchObject({ index: 1, code: 11000, keyPattern: { email: 1 }, keyValue: { email: 'a@x' } });
      expect(errors[0]!.errmsg).toBe(`${dupPrefix('uq_raw', 'email_1')} { email: "a@x" }`);
      expect(errors[1]).toMatchObject({ index: 2, code: 11000, keyPattern: { _id: 1 }, keyValue: { _id: 1 } });
      expect(errors[1]!.errmsg).toBe(`${dupPrefix('uq_raw', '_id_')} { _id: 1 }`);
    });

    it('should enforce a compound unique index on the combination of fields', async () => {
      const coll = collection('uq_compound');
      await coll.createIndex({ a: 1, b: 1 }, { unique: true });
      await coll.insertMany([
        { a: 1, b: 1 },
        { a: 1, b: 2 },
        { a: 2, b: 1 },
      ]);
      const error = await errorOf(coll.insertOne({ a: 1, b: 2 }));
      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ a: 1, b: 1 });
      expect(error.keyValue).toEqual({ a: 1, b: 2 });
      expect(error.errmsg).toBe(`${dupPrefix('uq_compound', 'a_1_b_1')} { a: 1, b: 2 }`);
    });

    it('should reject an updateOne that would create a duplicate and leave the document as it was', async () => {
      const coll = collection('uq_update');
      await coll.createIndex({ sku: 1 }, { unique: true });
      await coll.insertMany([
        { _id: 1, sku: 'a' },
        { _id: 2, sku: 'b' },
      ]);
      const error = await errorOf(coll.updateOne({ _id: 2 }, { $set: { sku: 'a' } }));
      expect(error.code).toBe(11000);
      expect(error.keyValue).toEqual({ sku: 'a' });
      expect(String(error.errmsg).startsWith(dupPrefix('uq_update', 'sku_1'))).toBe(true);
      expect(await coll.findOne({ _id: 2 })).toEqual({ _id: 2, sku: 'b' });
    });

    it('should reject a findOneAndUpdate that would create a duplicate', async () => {
      const coll = collection('uq_fam');
      await coll.createIndex({ sku: 1 }, { unique: true });
      await coll.insertMany([
        { _id: 1, sku: 'a' },
        { _id: 2, sku: 'b' },
      ]);
      const error = await errorOf(coll.findOneAndUpdate({ _id: 1 }, { $set: { sku: 'b' } }));
      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ sku: 1 });
      expect(error.keyValue).toEqual({ sku: 'b' });
      expect(String(error.errmsg)).toContain(`${dupPrefix('uq_fam', 'sku_1')} { sku: "b" }`);
      const upsert = await errorOf(coll.findOneAndUpdate({ _id: 3 }, { $set: { sku: 'a' } }, { upsert: true }));
      expect(upsert.code).toBe(11000);
      expect(await coll.countDocuments()).toBe(2);
    });

    it('should fail to build a unique index over existing duplicates', async () => {
      const coll = collection('uq_build');
      await coll.insertMany([{ k: 1 }, { k: 2 }, { k: 1 }]);
      const error = await errorOf(coll.createIndex({ k: 1 }, { unique: true }));
      expect(error.code).toBe(11000);
      expect(String(error.errmsg)).toContain('E11000 duplicate key error');
      expect((await coll.indexes()).map((ix) => ix.name)).toEqual(['_id_']);
    });

    it('should treat a missing field as null in a non-sparse unique index', async () => {
      const coll = collection('uq_missing');
      await coll.createIndex({ code: 1 }, { unique: true });
      await coll.insertOne({ name: 'first' });
      const error = await errorOf(coll.insertOne({ name: 'second' }));
      expect(error.code).toBe(11000);
      expect(error.keyValue).toEqual({ code: null });
      expect(error.errmsg).toBe(`${dupPrefix('uq_missing', 'code_1')} { code: null }`);
    });
  });

  describe('sparse and partial indexes', () => {
    it('should let many documents lack the field of a sparse unique index', async () => {
      const coll = collection('sparse_unique');
      await coll.createIndex({ code: 1 }, { unique: true, sparse: true });
      await coll.insertMany([{ name: 'a' }, { name: 'b' }, { name: 'c', code: 'X' }, { name: 'd' }]);
      expect(await coll.countDocuments()).toBe(4);
      const error = await errorOf(coll.insertOne({ name: 'e', code: 'X' }));
      expect(error.code).toBe(11000);
      // A sparse index must not hide documents from a query that does not need the field.
      expect(await coll.countDocuments({ code: null })).toBe(3);
      expect((await coll.find().sort({ code: 1, name: 1 }).toArray()).map((d) => d.name)).toEqual(['a', 'b', 'd', 'c']);
    });

    it('should enforce a partial unique index only among documents matching its filter', async () => {
      const coll = collection('partial_unique');
      await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { active: true } });
      await coll.insertMany([
        { email: 'a@x', active: false },
        { email: 'a@x', active: false },
        { email: 'a@x', active: true },
        { email: 'a@x' },
      ]);
      const error = await errorOf(coll.insertOne({ email: 'a@x', active: true }));
      expect(error.code).toBe(11000);
      expect(error.keyValue).toEqual({ email: 'a@x' });
      await coll.insertOne({ email: 'b@x', active: true });
      const update = await errorOf(coll.updateOne({ email: 'a@x', active: false }, { $set: { active: true } }));
      expect(update.code).toBe(11000);
      expect(await coll.countDocuments({ email: 'a@x' })).toBe(4);
      expect(await coll.countDocuments({ active: true })).toBe(2);
      const [index] = (await coll.indexes()).filter((ix) => ix.name === 'email_1');
      expect(index).toEqual({
        v: 2,
        key: { email: 1 },
        name: 'email_1',
        unique: true,
        partialFilterExpression: { active: true },
      });
    });
  });

  describe('updates and index entries', () => {
    // A stored update only recomputes the indexes reading a field it changed: these prove that the
    // indexes it skips still find the document, and that those it should not skip were moved.
    async function messages(name: string) {
      const coll = collection(name);
      await coll.createIndex({ 'content.text': 'text' });
      await coll.createIndex({ conversationId: 1, _id: -1 });
      await coll.createIndex(
        { dedupeKey: 1 },
        { unique: true, partialFilterExpression: { dedupeKey: { $type: 'string' } } },
      );
      await coll.insertMany([
        { _id: 1, conversationId: 7, status: 'queued', content: { kind: 'text', text: 'window frames' } },
        { _id: 2, conversationId: 7, status: 'queued', content: { kind: 'text', text: 'roof tiles' }, dedupeKey: 'k2' },
      ]);
      return coll;
    }

    it('should still find a document by every index after an update of a field none of them reads', async () => {
      const coll = await messages('update_unread_fields');
      await coll.updateOne({ _id: 1 }, { $set: { status: 'sent' } });
      await coll.updateOne({ _id: 2 }, { $set: { status: 'sent', sentAt: new Date() } });
      expect((await coll.find({ $text: { $search: 'frames' } }).toArray()).map((d) => d._id)).toEqual([1]);
      expect(
        (await coll.find({ conversationId: 7 }).sort({ _id: -1 }).hint({ conversationId: 1, _id: -1 }).toArray()).map(
          (d) => [d._id, d.status],
        ),
      ).toEqual([
        [2, 'sent'],
        [1, 'sent'],
      ]);
      expect((await coll.find({ dedupeKey: 'k2' }).toArray()).map((d) => d._id)).toEqual([2]);
      expect((await errorOf(coll.insertOne({ _id: 3, dedupeKey: 'k2' }))).code).toBe(11000);
    });

    it('should move the entries of the indexes that read a changed field, nested or in a partial filter', async () => {
      const coll = await messages('update_read_fields');
      await coll.updateOne({ _id: 1 }, { $set: { 'content.text': 'door handles' } });
      expect(await coll.countDocuments({ $text: { $search: 'frames' } })).toBe(0);
      expect((await coll.find({ $text: { $search: 'handles' } }).toArray()).map((d) => d._id)).toEqual([1]);
      // Into the partial index by a field only its filter and key read, then out of it.
      await coll.updateOne({ _id: 1 }, { $set: { dedupeKey: 'k1' } });
      expect((await errorOf(coll.insertOne({ _id: 4, dedupeKey: 'k1' }))).code).toBe(11000);
      await coll.updateOne({ _id: 1 }, { $unset: { dedupeKey: 1 } });
      await coll.insertOne({ _id: 4, dedupeKey: 'k1' });
      await coll.updateOne({ _id: 2 }, { $set: { conversationId: 8 } });
      expect(
        (await coll.find({ conversationId: 7 }).hint({ conversationId: 1, _id: -1 }).toArray()).map((d) => d._id),
      ).toEqual([1]);
      expect((await coll.find({ conversationId: 8 }).toArray()).map((d) => d._id)).toEqual([2]);
    });

    it('should check a unique index again when an update changes the field its filter reads', async () => {
      const coll = collection('update_partial_filter');
      await coll.createIndex({ email: 1 }, { unique: true, partialFilterExpression: { $and: [{ active: true }] } });
      await coll.insertMany([
        { _id: 1, email: 'a@x', active: true },
        { _id: 2, email: 'a@x', active: false },
      ]);
      expect((await errorOf(coll.updateOne({ _id: 2 }, { $set: { active: true } }))).code).toBe(11000);
      await coll.updateOne({ _id: 1 }, { $set: { active: false } });
      await coll.updateOne({ _id: 2 }, { $set: { active: true } });
      expect((await coll.find({ active: true }).toArray()).map((d) => d._id)).toEqual([2]);
    });
  });

  describe('multikey indexes', () => {
    it('should find documents by any element of an indexed array', async () => {
      const coll = collection('multikey');
      await coll.createIndex({ tags: 1 });
      await coll.insertMany([
        { _id: 1, tags: ['red', 'blue'] },
        { _id: 2, tags: ['blue', 'blue', 'green'] },
        { _id: 3, tags: 'red' },
        { _id: 4, tags: [] },
        { _id: 5 },
      ]);
      const ids = async (filter: Document) => (await coll.find(filter).sort({ _id: 1 }).toArray()).map((d) => d._id);
      expect(await ids({ tags: 'red' })).toEqual([1, 3]);
      expect(await ids({ tags: 'blue' })).toEqual([1, 2]);
      expect(await ids({ tags: { $in: ['blue', 'green'] } })).toEqual([1, 2]);
      expect(await ids({ tags: { $all: ['red', 'blue'] } })).toEqual([1]);
      expect(await ids({ tags: ['blue', 'blue', 'green'] })).toEqual([2]);
      const before = await examined(t.db);
      expect(await ids({ tags: 'green' })).toEqual([2]);
      const after = await examined(t.db);
      expect(after.docs - before.docs).toBe(1);
    });

    it('should match a range on a multikey index across different elements', async () => {
      const coll = collection('multikey_range');
      await coll.createIndex({ scores: 1 });
      await coll.insertMany([
        { _id: 1, scores: [1, 20] },
        { _id: 2, scores: [7] },
        { _id: 3, scores: [30, 40] },
      ]);
      const found = await coll
        .find({ scores: { $gt: 5, $lt: 10 } })
        .sort({ _id: 1 })
        .toArray();
      expect(found.map((d) => d._id)).toEqual([1, 2]);
      const elem = await coll.find({ scores: { $elemMatch: { $gt: 5, $lt: 10 } } }).toArray();
      expect(elem.map((d) => d._id)).toEqual([2]);
    });

    it('should refuse a compound index over two arrays of one document', async () => {
      const coll = collection('multikey_parallel');
      await coll.createIndex({ a: 1, b: 1 });
      await coll.insertOne({ a: [1, 2], b: 1 });
      const error = await errorOf(coll.insertOne({ a: [1, 2], b: [3, 4] }));
      expect(error.code).toBe(171);
    });
  });

  describe('TTL indexes', () => {
    it('should delete documents whose date is older than expireAfterSeconds', { timeout: 90_000 }, async () => {
      const coll = collection('ttl');
      await coll.createIndex({ at: 1 }, { expireAfterSeconds: 60 });
      const now = Date.now();
      await coll.insertMany([
        { _id: 'old', at: new Date(now - 3_600_000) },
        { _id: 'old-array', at: [new Date(now + 3_600_000), new Date(now - 3_600_000)] },
        { _id: 'future', at: new Date(now + 3_600_000) },
        { _id: 'not-a-date', at: 'yesterday' },
        { _id: 'missing' },
      ]);
      await t.db.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 1 });
      try {
        // MongoDB's monitor may still be in its previous (60 s) sleep when the parameter changes.
        await waitFor(async () => (await coll.countDocuments()) === 3, 75_000, 250);
      } finally {
        await t.db.admin().command({ setParameter: 1, ttlMonitorSleepSecs: 60 });
      }
      expect((await coll.find().sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
        'future',
        'missing',
        'not-a-date',
      ]);
    });
  });
});
