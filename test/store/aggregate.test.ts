import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

describe('aggregate', () => {
  let t: TestDatabase;
  const collection = (name: string) => t.db.collection<AnyDoc>(name);

  beforeAll(async () => {
    t = await openTestDatabase();
    await collection('orders').insertMany([
      { _id: 1, customer: 'ana', product: 'p1', qty: 2, tags: ['new', 'gift'], at: new Date('2024-01-05T00:00:00Z') },
      { _id: 2, customer: 'ben', product: 'p2', qty: 1, tags: ['new'], at: new Date('2024-01-06T00:00:00Z') },
      { _id: 3, customer: 'ana', product: 'p2', qty: 5, tags: [], at: new Date('2024-02-01T00:00:00Z') },
      { _id: 4, customer: 'cy', product: 'p3', qty: 3, at: new Date('2024-02-10T00:00:00Z') },
      { _id: 5, customer: 'ben', product: 'p1', qty: 4, tags: ['gift'], at: new Date('2024-03-01T00:00:00Z') },
    ]);
    await collection('products').insertMany([
      { _id: 'p1', name: 'pen', price: 2 },
      { _id: 'p2', name: 'book', price: 10 },
      { _id: 'p3', name: 'lamp', price: 25 },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  const orders = () => collection('orders');

  it('should $match, $group with accumulators and $sort', async () => {
    const result = await orders()
      .aggregate([
        { $match: { qty: { $gte: 2 } } },
        {
          $group: {
            _id: '$customer',
            total: { $sum: '$qty' },
            orders: { $sum: 1 },
            maxQty: { $max: '$qty' },
            ids: { $push: '$_id' },
          },
        },
        { $sort: { total: -1, _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 'ana', total: 7, orders: 2, maxQty: 5, ids: [1, 3] },
      { _id: 'ben', total: 4, orders: 1, maxQty: 4, ids: [5] },
      { _id: 'cy', total: 3, orders: 1, maxQty: 3, ids: [4] },
    ]);
  });

  it('should group everything with _id null and average', async () => {
    const [stats] = await orders()
      .aggregate([
        { $group: { _id: null, avg: { $avg: '$qty' }, first: { $min: '$at' }, customers: { $addToSet: '$customer' } } },
      ])
      .toArray();
    expect(stats!._id).toBeNull();
    expect(stats!.avg).toBe(3);
    expect(stats!.first).toEqual(new Date('2024-01-05T00:00:00Z'));
    expect([...(stats!.customers as string[])].sort()).toEqual(['ana', 'ben', 'cy']);
  });

  it('should $project computed fields and $addFields', async () => {
    const result = await orders()
      .aggregate([
        { $match: { _id: { $in: [1, 4] } } },
        { $addFields: { double: { $multiply: ['$qty', 2] }, month: { $month: '$at' } } },
        { $project: { _id: 0, customer: 1, double: 1, month: 1, big: { $gt: ['$qty', 2] } } },
        { $sort: { customer: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { customer: 'ana', double: 4, month: 1, big: false },
      { customer: 'cy', double: 6, month: 2, big: true },
    ]);
  });

  it('should $unwind arrays, dropping empty and missing ones by default', async () => {
    const result = await orders()
      .aggregate([{ $unwind: '$tags' }, { $project: { tags: 1 } }, { $sort: { _id: 1, tags: 1 } }])
      .toArray();
    expect(result).toEqual([
      { _id: 1, tags: 'gift' },
      { _id: 1, tags: 'new' },
      { _id: 2, tags: 'new' },
      { _id: 5, tags: 'gift' },
    ]);
    const kept = await orders()
      .aggregate([{ $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } }, { $count: 'n' }])
      .toArray();
    expect(kept).toEqual([{ n: 6 }]);
  });

  it('should $sort, $skip and $limit in pipeline order', async () => {
    const result = await orders()
      .aggregate([{ $sort: { qty: -1 } }, { $skip: 1 }, { $limit: 2 }, { $project: { qty: 1 } }])
      .toArray();
    expect(result).toEqual([
      { _id: 5, qty: 4 },
      { _id: 4, qty: 3 },
    ]);
  });

  it('should $count matching documents, and return nothing for none', async () => {
    expect(
      await orders()
        .aggregate([{ $match: { customer: 'ana' } }, { $count: 'orders' }])
        .toArray(),
    ).toEqual([{ orders: 2 }]);
    expect(
      await orders()
        .aggregate([{ $match: { customer: 'zed' } }, { $count: 'orders' }])
        .toArray(),
    ).toEqual([]);
  });

  it('should join another collection with $lookup', async () => {
    const result = await orders()
      .aggregate([
        { $match: { customer: 'ben' } },
        { $lookup: { from: 'products', localField: 'product', foreignField: '_id', as: 'item' } },
        { $unwind: '$item' },
        { $project: { _id: 1, name: '$item.name', cost: { $multiply: ['$qty', '$item.price'] } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(result).toEqual([
      { _id: 2, name: 'book', cost: 10 },
      { _id: 5, name: 'pen', cost: 8 },
    ]);
    const unmatched = await collection('products')
      .aggregate([
        { $lookup: { from: 'orders', localField: '_id', foreignField: 'product', as: 'orders' } },
        { $project: { n: { $size: '$orders' } } },
        { $sort: { _id: 1 } },
      ])
      .toArray();
    expect(unmatched).toEqual([
      { _id: 'p1', n: 2 },
      { _id: 'p2', n: 2 },
      { _id: 'p3', n: 1 },
    ]);
  });

  it('should run several sub-pipelines with $facet', async () => {
    const [facets] = await orders()
      .aggregate([
        {
          $facet: {
            byCustomer: [{ $group: { _id: '$customer', n: { $sum: 1 } } }, { $sort: { _id: 1 } }],
            biggest: [{ $sort: { qty: -1 } }, { $limit: 1 }, { $project: { qty: 1 } }],
            total: [{ $count: 'n' }],
          },
        },
      ])
      .toArray();
    expect(facets).toEqual({
      byCustomer: [
        { _id: 'ana', n: 2 },
        { _id: 'ben', n: 2 },
        { _id: 'cy', n: 1 },
      ],
      biggest: [{ _id: 3, qty: 5 }],
      total: [{ n: 5 }],
    });
  });

  it('should write the results into a collection with $out, replacing its contents', async () => {
    await collection('customer_totals').insertOne({ _id: 'stale', total: -1 });
    const out = await orders()
      .aggregate([{ $group: { _id: '$customer', total: { $sum: '$qty' } } }, { $out: 'customer_totals' }])
      .toArray();
    expect(out).toEqual([]);
    const written = await collection('customer_totals').find().sort({ _id: 1 }).toArray();
    expect(written).toEqual([
      { _id: 'ana', total: 7 },
      { _id: 'ben', total: 5 },
      { _id: 'cy', total: 3 },
    ]);
  });

  it('should $merge results into an existing collection', async () => {
    const target = collection('product_stats');
    await target.insertMany([
      { _id: 'p1', name: 'pen', sold: 0 },
      { _id: 'p9', name: 'old', sold: 1 },
    ]);
    await orders()
      .aggregate([
        { $group: { _id: '$product', sold: { $sum: '$qty' } } },
        { $merge: { into: 'product_stats', on: '_id', whenMatched: 'merge', whenNotMatched: 'insert' } },
      ])
      .toArray();
    expect(await target.find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'p1', name: 'pen', sold: 6 },
      { _id: 'p2', sold: 6 },
      { _id: 'p3', sold: 3 },
      { _id: 'p9', name: 'old', sold: 1 },
    ]);
    await orders()
      .aggregate([
        { $match: { product: 'p1' } },
        { $group: { _id: '$product', sold: { $sum: 1 } } },
        { $merge: { into: 'product_stats', whenMatched: 'replace' } },
      ])
      .toArray();
    expect(await target.findOne({ _id: 'p1' })).toEqual({ _id: 'p1', sold: 2 });
  });

  it('should aggregate an empty or missing collection to nothing', async () => {
    expect(
      await collection('nothing_here')
        .aggregate([{ $match: {} }, { $group: { _id: null, n: { $sum: 1 } } }])
        .toArray(),
    ).toEqual([]);
  });
});
