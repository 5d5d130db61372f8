import mongoose, { Schema, Types, type Connection } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './harness.js';

/**
 * mongoose 9 against the store: everything here must hold on a real MongoDB 7 too
 * (run with MONGODB_URI to compare), so the assertions are MongoDB's behaviour, not the store's.
 */

/** The fields of mongoose's and the driver's errors these tests look at. */
interface Failure {
  name: string;
  message: string;
  code?: number;
  errors: Record<string, { kind: string; message: string }>;
  keyPattern?: unknown;
  keyValue?: unknown;
  writeErrors: { index: number; code: number }[];
  result: { insertedCount: number };
  insertedDocs: { label: string }[];
}

/** Catches a rejected promise so its error can be inspected. */
async function rejectionOf(promise: Promise<unknown>): Promise<Failure> {
  try {
    await promise;
  } catch (error) {
    return error as Failure;
  }
  throw new Error('expected the promise to reject');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('mongoose', () => {
  let t: TestDatabase;
  let conn: Connection;

  beforeAll(async () => {
    t = await openTestDatabase();
    conn = mongoose.createConnection(`${t.uri}/${t.dbName}`, { serverSelectionTimeoutMS: 5000 });
    await conn.asPromise();
  });

  afterAll(async () => {
    await conn?.close();
    await t?.close();
  });

  describe('schema validation', () => {
    const productSchema = new Schema({
      name: { type: String, required: true },
      price: { type: Number, min: 0, max: 1000 },
      status: { type: String, enum: ['draft', 'active', 'archived'], default: 'draft' },
      sku: {
        type: String,
        validate: { validator: (v: string) => /^[A-Z]{3}-\d{3}$/.test(v), message: 'bad sku {VALUE}' },
      },
    });

    it('should reject required, min, max, enum and custom validator violations without writing', async () => {
      const Product = conn.model('ValidatedProduct', productSchema);
      const invalid: Record<string, unknown> = { price: -1, status: 'sold', sku: 'nope' };
      const error = await rejectionOf(Product.create(invalid));
      expect(error.name).toBe('ValidationError');
      expect(error.errors.name!.kind).toBe('required');
      expect(error.errors.price!.kind).toBe('min');
      expect(error.errors.status!.kind).toBe('enum');
      expect(error.errors.sku!.kind).toBe('user defined');
      expect(error.errors.sku!.message).toBe('bad sku nope');

      const tooExpensive = await rejectionOf(Product.create({ name: 'gold', price: 1001 }));
      expect(tooExpensive.errors.price!.kind).toBe('max');
      expect(await Product.countDocuments()).toBe(0);

      const saved = await Product.create({ name: 'pen', price: 2, sku: 'PEN-001' });
      expect(saved.status).toBe('draft');
      expect(await Product.countDocuments()).toBe(1);
    });

    it('should run validators on findOneAndUpdate with runValidators', async () => {
      const Product = conn.model('ValidatedProduct2', productSchema);
      await Product.create({ name: 'cup', price: 5 });
      const error = await rejectionOf(
        Product.findOneAndUpdate({ name: 'cup' }, { price: 5000 }, { runValidators: true }).exec(),
      );
      expect(error.name).toBe('ValidationError');
      expect(error.errors.price!.kind).toBe('max');
      expect((await Product.findOne({ name: 'cup' }).lean())?.price).toBe(5);
    });
  });

  describe('middleware', () => {
    it('should run pre and post save hooks and persist what the pre hook set', async () => {
      const events: string[] = [];
      const schema = new Schema({ title: { type: String, required: true }, slug: String });
      schema.pre('save', function () {
        events.push(`pre:${this.title}`);
        this.slug = this.title.toLowerCase().replace(/\s+/g, '-');
      });
      schema.post('save', function (doc) {
        events.push(`post:${doc.slug}`);
      });
      const Post = conn.model('HookedPost', schema);

      const post = await Post.create({ title: 'Hello Embedded World' });
      expect(events).toEqual(['pre:Hello Embedded World', 'post:hello-embedded-world']);
      const raw = await t.db.collection('hookedposts').findOne({ _id: post._id });
      expect(raw?.slug).toBe('hello-embedded-world');

      post.title = 'Second Title';
      await post.save();
      expect(events.slice(2)).toEqual(['pre:Second Title', 'post:second-title']);
      expect((await t.db.collection('hookedposts').findOne({ _id: post._id }))?.slug).toBe('second-title');
    });

    it('should let a pre findOneAndUpdate hook change the update', async () => {
      const schema = new Schema({ email: String, editedBy: String, edits: { type: Number, default: 0 } });
      schema.pre('findOneAndUpdate', function () {
        this.set({ editedBy: 'hook' });
        this.setUpdate({ ...this.getUpdate(), $inc: { edits: 1 } });
      });
      const Account = conn.model('HookedAccount', schema);
      await Account.create({ email: 'a@example.com' });

      const updated = await Account.findOneAndUpdate(
        { email: 'a@example.com' },
        { email: 'b@example.com' },
        { returnDocument: 'after' },
      ).lean();
      expect(updated).toMatchObject({ email: 'b@example.com', editedBy: 'hook', edits: 1 });
      expect(await t.db.collection('hookedaccounts').findOne({}, { projection: { _id: 0, __v: 0 } })).toEqual({
        email: 'b@example.com',
        editedBy: 'hook',
        edits: 1,
      });
    });
  });

  describe('populate', () => {
    const authorSchema = new Schema({ name: String });
    const bookSchema = new Schema({
      title: String,
      author: { type: Schema.Types.ObjectId, ref: 'PopAuthor' },
      reviewers: [{ type: Schema.Types.ObjectId, ref: 'PopAuthor' }],
    });

    it('should populate a single ref and an array of refs in order', async () => {
      const Author = conn.model('PopAuthor', authorSchema);
      const Book = conn.model('PopBook', bookSchema);
      const [ann, bob, cid] = await Author.create([{ name: 'Ann' }, { name: 'Bob' }, { name: 'Cid' }]);
      await Book.create({ title: 'Stores', author: ann!._id, reviewers: [cid!._id, bob!._id] });
      await Book.create({ title: 'Orphan', author: new Types.ObjectId(), reviewers: [] });

      const book = await Book.findOne({ title: 'Stores' }).populate('author').populate('reviewers');
      expect((book!.author as unknown as { name: string }).name).toBe('Ann');
      expect((book!.reviewers as unknown as { name: string }[]).map((r) => r.name)).toEqual(['Cid', 'Bob']);

      const orphan = await Book.findOne({ title: 'Orphan' }).populate('author').lean();
      expect(orphan!.author).toBeNull();

      const lean = await Book.find().sort({ title: -1 }).populate({ path: 'reviewers', select: 'name -_id' }).lean();
      expect(lean.map((b) => b.reviewers)).toEqual([[{ name: 'Cid' }, { name: 'Bob' }], []]);
    });
  });

  describe('queries', () => {
    const itemSchema = new Schema({ name: String, category: String, price: Number, tags: [String] });

    async function seedItems(modelName: string) {
      const Item = conn.model(modelName, itemSchema);
      await Item.insertMany([
        { name: 'apple', category: 'fruit', price: 3, tags: ['red', 'sweet'] },
        { name: 'banana', category: 'fruit', price: 2, tags: ['yellow', 'sweet'] },
        { name: 'carrot', category: 'vegetable', price: 1, tags: ['orange'] },
        { name: 'daikon', category: 'vegetable', price: 4, tags: [] },
        { name: 'eclair', category: 'pastry', price: 6, tags: ['sweet'] },
      ]);
      return Item;
    }

    it('should return plain objects from lean()', async () => {
      const Item = await seedItems('LeanItem');
      const docs = await Item.find({ category: 'fruit' }).sort({ name: 1 }).lean();
      expect(docs.map((d) => d.name)).toEqual(['apple', 'banana']);
      expect(docs[0]).not.toBeInstanceOf(mongoose.Document);
      expect(docs[0]!._id).toBeInstanceOf(Types.ObjectId);
      expect(Object.getPrototypeOf(docs[0])).toBe(Object.prototype);
      const hydrated = await Item.findOne({ name: 'apple' });
      expect(hydrated).toBeInstanceOf(mongoose.Document);
    });

    it('should count with countDocuments and estimatedDocumentCount', async () => {
      const Item = await seedItems('CountItem');
      expect(await Item.countDocuments()).toBe(5);
      expect(await Item.countDocuments({ price: { $gte: 3 } })).toBe(3);
      expect(await Item.countDocuments({ tags: 'sweet' })).toBe(3);
      expect(await Item.countDocuments({ category: 'none' })).toBe(0);
      expect(await Item.estimatedDocumentCount()).toBe(5);
    });

    it('should aggregate, find distinct values and test existence', async () => {
      const Item = await seedItems('AggItem');
      const totals = await Item.aggregate<{ _id: string; total: number; n: number }>([
        { $match: { price: { $gt: 1 } } },
        { $group: { _id: '$category', total: { $sum: '$price' }, n: { $sum: 1 } } },
        { $sort: { total: -1 } },
      ]);
      expect(totals).toEqual([
        { _id: 'pastry', total: 6, n: 1 },
        { _id: 'fruit', total: 5, n: 2 },
        { _id: 'vegetable', total: 4, n: 1 },
      ]);
      const unwound = await Item.aggregate([
        { $unwind: '$tags' },
        { $group: { _id: '$tags', count: { $sum: 1 } } },
        { $sort: { count: -1, _id: 1 } },
        { $limit: 2 },
      ]);
      expect(unwound).toEqual([
        { _id: 'sweet', count: 3 },
        { _id: 'orange', count: 1 },
      ]);

      expect((await Item.distinct('category')).sort()).toEqual(['fruit', 'pastry', 'vegetable']);
      expect((await Item.distinct('tags', { category: 'fruit' })).sort()).toEqual(['red', 'sweet', 'yellow']);

      const found = await Item.exists({ name: 'carrot' });
      expect(found?._id).toBeInstanceOf(Types.ObjectId);
      expect(await Item.exists({ name: 'zucchini' })).toBeNull();
    });

    it('should refuse a distinct whose values exceed 16 MB with error 17217', async () => {
      const Blob = conn.model('DistinctBlob', new Schema({ text: String }));
      await Blob.insertMany(Array.from({ length: 17 }, (_, i) => ({ text: `${i}`.padEnd(1024 * 1024, '.') })));
      const error = await rejectionOf(Blob.distinct('text'));
      expect(error.code).toBe(17217);
      expect((await Blob.distinct('text', { text: /^1[0-6]/ })).length).toBe(7);
    });

    it('should delete many and report the count', async () => {
      const Item = await seedItems('DeleteItem');
      const result = await Item.deleteMany({ category: 'vegetable' });
      expect(result.deletedCount).toBe(2);
      expect(await Item.countDocuments()).toBe(3);
      expect((await Item.deleteMany({ category: 'vegetable' })).deletedCount).toBe(0);
      expect((await Item.deleteOne({ name: 'apple' })).deletedCount).toBe(1);
      expect((await Item.distinct('name')).sort()).toEqual(['banana', 'eclair']);
    });
  });

  describe('findOneAndUpdate', () => {
    const counterSchema = new Schema({
      key: { type: String, required: true },
      value: { type: Number, default: 0 },
      label: { type: String, default: 'unnamed' },
    });

    it('should return the updated document with { new: true } and the original without it', async () => {
      const Counter = conn.model('FoauCounter', counterSchema);
      await Counter.create({ key: 'a', value: 1 });
      const after = await Counter.findOneAndUpdate({ key: 'a' }, { $inc: { value: 5 } }, { new: true });
      expect(after?.value).toBe(6);
      const before = await Counter.findOneAndUpdate({ key: 'a' }, { $inc: { value: 1 } });
      expect(before?.value).toBe(6);
      expect((await Counter.findOne({ key: 'a' }).lean())?.value).toBe(7);
      expect(await Counter.findOneAndUpdate({ key: 'missing' }, { value: 1 }, { returnDocument: 'after' })).toBeNull();
    });

    it('should insert on upsert with the query fields and schema defaults', async () => {
      const Counter = conn.model('UpsertCounter', counterSchema);
      const raw = await Counter.findOneAndUpdate(
        { key: 'visits' },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after', includeResultMetadata: true },
      );
      expect(raw.lastErrorObject?.updatedExisting).toBe(false);
      expect(raw.lastErrorObject?.upserted).toBeInstanceOf(Types.ObjectId);
      expect(raw.value).toMatchObject({ key: 'visits', value: 1, label: 'unnamed' });

      const second = await Counter.findOneAndUpdate(
        { key: 'visits' },
        { $inc: { value: 1 } },
        { upsert: true, returnDocument: 'after' },
      );
      expect(second?.value).toBe(2);
      expect(second?._id.equals(raw.value!._id)).toBe(true);
      expect(await Counter.countDocuments({ key: 'visits' })).toBe(1);

      const returnedBefore = await Counter.findOneAndUpdate({ key: 'other' }, { value: 9 }, { upsert: true });
      expect(returnedBefore).toBeNull();
      expect((await Counter.findOne({ key: 'other' }).lean())?.value).toBe(9);
    });
  });

  describe('bulkWrite', () => {
    it('should apply insertOne, updateOne, updateMany, deleteOne and replaceOne and count each', async () => {
      const Task = conn.model('BulkTask', new Schema({ name: String, done: Boolean, priority: Number }));
      await Task.insertMany([
        { name: 't1', done: false, priority: 1 },
        { name: 't2', done: false, priority: 2 },
        { name: 't3', done: true, priority: 3 },
        { name: 't4', done: false, priority: 4 },
      ]);
      const result = await Task.bulkWrite([
        { insertOne: { document: { name: 't5', done: false, priority: 5 } } },
        { insertOne: { document: { name: 't6', done: true, priority: 6 } } },
        { updateOne: { filter: { name: 't1' }, update: { $set: { done: true } } } },
        { updateOne: { filter: { name: 't3' }, update: { $set: { done: true } } } },
        { updateMany: { filter: { priority: { $gte: 4 } }, update: { $inc: { priority: 10 } } } },
        { updateOne: { filter: { name: 't7' }, update: { $set: { priority: 7 } }, upsert: true } },
        { deleteOne: { filter: { name: 't2' } } },
        { replaceOne: { filter: { name: 't3' }, replacement: { name: 't3-replaced', done: false, priority: 30 } } },
      ]);
      expect(result.insertedCount).toBe(2);
      expect(result.matchedCount).toBe(1 + 1 + 3 + 1);
      expect(result.modifiedCount).toBe(1 + 0 + 3 + 1);
      expect(result.upsertedCount).toBe(1);
      expect(result.deletedCount).toBe(1);
      expect(Object.keys(result.insertedIds)).toHaveLength(2);
      expect(Object.keys(result.upsertedIds)).toEqual(['5']);

      const docs = await Task.find({}, { _id: 0, __v: 0 }).sort({ name: 1 }).lean();
      expect(docs).toEqual([
        { name: 't1', done: true, priority: 1 },
        { name: 't3-replaced', done: false, priority: 30 },
        { name: 't4', done: false, priority: 14 },
        { name: 't5', done: false, priority: 15 },
        { name: 't6', done: true, priority: 16 },
        { name: 't7', priority: 7 },
      ]);
    });
  });

  describe('unique indexes', () => {
    it('should build a schema unique index on init and reject a duplicate with E11000', async () => {
      const schema = new Schema({ email: { type: String, unique: true }, name: String });
      const User = conn.model('UniqueUser', schema);
      await User.init();
      const indexes = await User.listIndexes();
      expect(indexes.find((ix) => ix.name === 'email_1')).toMatchObject({ key: { email: 1 }, unique: true });

      await User.create({ email: 'ann@example.com', name: 'Ann' });
      const error = await rejectionOf(User.create({ email: 'ann@example.com', name: 'Other Ann' }));
      expect(error.name).toBe('MongoServerError');
      expect(error.code).toBe(11000);
      expect(error.keyPattern).toEqual({ email: 1 });
      expect(error.keyValue).toEqual({ email: 'ann@example.com' });
      expect(error.message).toContain('E11000 duplicate key error');

      const updateError = await rejectionOf(
        (async () => {
          await User.create({ email: 'bob@example.com' });
          await User.updateOne({ email: 'bob@example.com' }, { email: 'ann@example.com' });
        })(),
      );
      expect(updateError.code).toBe(11000);
      expect(await User.countDocuments({ email: 'ann@example.com' })).toBe(1);
    });

    it('should create and drop indexes with syncIndexes', async () => {
      const schema = new Schema({ handle: { type: String, unique: true }, score: Number });
      schema.index({ score: -1 });
      const Player = conn.model('SyncPlayer', schema, 'syncplayers', { overwriteModels: true });
      await Player.init();
      await t.db.collection('syncplayers').createIndex({ legacy: 1 }, { name: 'legacy_1' });

      const dropped = await Player.syncIndexes();
      expect(dropped).toEqual(['legacy_1']);
      const names = (await Player.listIndexes()).map((ix) => ix.name).sort();
      expect(names).toEqual(['_id_', 'handle_1', 'score_-1']);

      await Player.create({ handle: 'neo', score: 1 });
      const error = await rejectionOf(Player.create({ handle: 'neo', score: 2 }));
      expect(error.code).toBe(11000);
      expect(await Player.syncIndexes()).toEqual([]);
    });
  });

  describe('timestamps', () => {
    it('should set createdAt and updatedAt on create and move only updatedAt on update', async () => {
      const Note = conn.model('StampedNote', new Schema({ text: String }, { timestamps: true }));
      const note = await Note.create({ text: 'first' });
      expect(note.createdAt).toBeInstanceOf(Date);
      expect(note.updatedAt!.getTime()).toBe(note.createdAt!.getTime());

      await sleep(5);
      await Note.updateOne({ _id: note._id }, { text: 'second' });
      const raw = await t.db.collection('stampednotes').findOne({ _id: note._id });
      expect(raw?.createdAt).toEqual(note.createdAt);
      expect((raw?.updatedAt as Date).getTime()).toBeGreaterThan(note.updatedAt!.getTime());

      const upserted = await Note.findOneAndUpdate(
        { text: 'new' },
        { $set: { text: 'new' } },
        { upsert: true, returnDocument: 'after' },
      );
      expect(upserted?.createdAt).toBeInstanceOf(Date);
      expect(upserted?.updatedAt).toBeInstanceOf(Date);
    });
  });

  describe('subdocuments', () => {
    const lineSchema = new Schema({ sku: String, qty: Number, notes: [String] }, { _id: false });
    const orderSchema = new Schema({
      customer: new Schema({ name: String, address: { city: String, zip: String } }, { _id: false }),
      lines: [lineSchema],
      total: Number,
    });

    it('should store nested subdocuments and update them by path', async () => {
      const Order = conn.model('SubOrder', orderSchema);
      const order = await Order.create({ customer: { name: 'Ann', address: { city: 'Lisbon', zip: '1000' } } });
      order.customer!.address!.city = 'Porto';
      await order.save();
      await Order.updateOne({ _id: order._id }, { $set: { 'customer.address.zip': '4000' } });
      const raw = await t.db.collection('suborders').findOne({ _id: order._id });
      expect(raw?.customer).toEqual({ name: 'Ann', address: { city: 'Porto', zip: '4000' } });
      expect(await Order.countDocuments({ 'customer.address.city': 'Porto' })).toBe(1);
    });

    it('should $push into an array of subdocuments and update elements positionally', async () => {
      const Order = conn.model('LineOrder', orderSchema);
      const order = await Order.create({ customer: { name: 'Bob' }, lines: [{ sku: 'A', qty: 1 }] });

      await Order.updateOne({ _id: order._id }, { $push: { lines: { sku: 'B', qty: 2 } } });
      await Order.updateOne(
        { _id: order._id },
        {
          $push: {
            lines: {
              $each: [
                { sku: 'C', qty: 3 },
                { sku: 'D', qty: 4 },
              ],
            },
          },
        },
      );
      await Order.updateOne({ _id: order._id, 'lines.sku': 'B' }, { $inc: { 'lines.$.qty': 10 } });
      await Order.updateOne({ _id: order._id, 'lines.sku': 'C' }, { $push: { 'lines.$.notes': 'fragile' } });
      await Order.updateOne(
        { _id: order._id },
        { $set: { 'lines.$[big].notes': ['bulk'] } },
        { arrayFilters: [{ 'big.qty': { $gte: 4 } }] },
      );
      await Order.updateOne({ _id: order._id }, { $mul: { 'lines.$[].qty': 2 } });

      const stored = await Order.findById(order._id).lean();
      expect(stored!.lines).toEqual([
        { sku: 'A', qty: 2, notes: [] },
        { sku: 'B', qty: 24, notes: ['bulk'] },
        { sku: 'C', qty: 6, notes: ['fragile'] },
        { sku: 'D', qty: 8, notes: ['bulk'] },
      ]);

      const doc = await Order.findById(order._id);
      doc!.lines[0]!.qty = 100;
      doc!.lines.push({ sku: 'E', qty: 5 });
      await doc!.save();
      await Order.updateOne({ _id: order._id }, { $pull: { lines: { sku: 'B' } } });
      const after = await Order.findById(order._id).lean();
      expect(after!.lines.map((l) => [l.sku, l.qty])).toEqual([
        ['A', 100],
        ['C', 6],
        ['D', 8],
        ['E', 5],
      ]);
      expect(await Order.countDocuments({ lines: { $elemMatch: { sku: 'E', qty: 5 } } })).toBe(1);
    });
  });

  describe('cursors and projections', () => {
    it('should stream a large result through getMore batches with a query cursor', async () => {
      const Row = conn.model('CursorRow', new Schema({ n: Number, group: String, secret: String }));
      await Row.insertMany(Array.from({ length: 250 }, (_, n) => ({ n, group: n % 2 ? 'odd' : 'even', secret: 's' })));
      const seen: number[] = [];
      await Row.find({ group: 'even' })
        .select('n -_id')
        .sort({ n: -1 })
        .batchSize(20)
        .cursor()
        .eachAsync((row) => {
          expect(row.secret).toBeUndefined();
          seen.push(row.n!);
        });
      expect(seen).toHaveLength(125);
      expect(seen[0]).toBe(248);
      expect(seen.at(-1)).toBe(0);
      const page = await Row.find().sort({ n: 1 }).skip(100).limit(3).lean();
      expect(page.map((r) => r.n)).toEqual([100, 101, 102]);
    });
  });

  describe('document versioning', () => {
    it('should reject a stale save with a VersionError under optimistic concurrency', async () => {
      const Doc = conn.model(
        'VersionedDoc',
        new Schema({ title: String, tags: [String] }, { optimisticConcurrency: true }),
      );
      const created = await Doc.create({ title: 'v', tags: ['a'] });
      const first = await Doc.findById(created._id);
      const second = await Doc.findById(created._id);
      first!.tags.push('b');
      await first!.save();
      second!.title = 'stale';
      const error = await rejectionOf(second!.save());
      expect(error.name).toBe('VersionError');
      const stored = await Doc.findById(created._id).lean();
      expect(stored).toMatchObject({ title: 'v', tags: ['a', 'b'], __v: 1 });
    });
  });

  describe('find-and-modify variants', () => {
    it('should findOneAndDelete and findOneAndReplace by sort order', async () => {
      const Job = conn.model('FamJob', new Schema({ name: String, priority: Number }));
      await Job.insertMany([
        { name: 'low', priority: 1 },
        { name: 'high', priority: 9 },
        { name: 'mid', priority: 5 },
      ]);
      const taken = await Job.findOneAndDelete({}, { sort: { priority: -1 } }).lean();
      expect(taken?.name).toBe('high');
      const replaced = await Job.findOneAndReplace(
        { priority: { $lt: 5 } },
        { name: 'low-2', priority: 2 },
        { returnDocument: 'after' },
      ).lean();
      expect(replaced).toMatchObject({ name: 'low-2', priority: 2 });
      expect((await Job.find().sort({ priority: 1 }).lean()).map((j) => j.name)).toEqual(['low-2', 'mid']);
    });
  });

  describe('BSON types', () => {
    it('should round-trip Decimal128, Map, Buffer, Date, Long-sized numbers and mixed values', async () => {
      const schema = new Schema({
        amount: Schema.Types.Decimal128,
        attrs: { type: Map, of: String },
        blob: Buffer,
        at: Date,
        big: Number,
        anything: Schema.Types.Mixed,
      });
      const Thing = conn.model('TypedThing', schema);
      const at = new Date('2024-02-29T12:34:56.789Z');
      const thing = await Thing.create({
        amount: Types.Decimal128.fromString('12345.6789'),
        attrs: new Map([
          ['color', 'red'],
          ['size', 'L'],
        ]),
        blob: Buffer.from([0, 1, 2, 255]),
        at,
        big: 2 ** 53 - 1,
        anything: { nested: [1, 'two', { three: null }] },
      });
      const found = await Thing.findById(thing._id);
      expect(found!.amount!.toString()).toBe('12345.6789');
      expect(found!.attrs!.get('size')).toBe('L');
      expect(Buffer.from(found!.blob!).equals(Buffer.from([0, 1, 2, 255]))).toBe(true);
      expect(found!.at!.getTime()).toBe(at.getTime());
      expect(found!.big).toBe(2 ** 53 - 1);
      expect(found!.anything).toEqual({ nested: [1, 'two', { three: null }] });
      expect(await Thing.countDocuments({ at: { $gte: new Date('2024-01-01'), $lt: new Date('2024-03-01') } })).toBe(1);
      expect(await Thing.countDocuments({ 'attrs.color': 'red' })).toBe(1);
    });
  });

  describe('insertMany', () => {
    it('should insert the other documents of an unordered batch with a duplicate and report it', async () => {
      const Tag = conn.model('UniqueTag', new Schema({ label: { type: String, unique: true } }));
      await Tag.init();
      await Tag.create({ label: 'existing' });

      const error = await rejectionOf(
        Tag.insertMany(
          [{ label: 'one' }, { label: 'existing' }, { label: 'two' }, { label: 'one' }, { label: 'three' }],
          {
            ordered: false,
          },
        ),
      );
      expect(error.name).toBe('MongoBulkWriteError');
      expect(error.code).toBe(11000);
      expect(error.writeErrors.map((e) => [e.index, e.code])).toEqual([
        [1, 11000],
        [3, 11000],
      ]);
      expect(error.result.insertedCount).toBe(3);
      expect(error.insertedDocs.map((d) => d.label).sort()).toEqual(['one', 'three', 'two']);
      expect((await Tag.find().lean()).map((d) => d.label).sort()).toEqual(['existing', 'one', 'three', 'two']);
    });

    it('should stop at the duplicate of an ordered batch', async () => {
      const Tag = conn.model('OrderedTag', new Schema({ label: { type: String, unique: true } }));
      await Tag.init();
      const error = await rejectionOf(Tag.insertMany([{ label: 'a' }, { label: 'b' }, { label: 'a' }, { label: 'c' }]));
      expect(error.code).toBe(11000);
      expect((await Tag.find().lean()).map((d) => d.label).sort()).toEqual(['a', 'b']);
    });
  });
});
