import { ObjectId } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

/**
 * The store answers the commonest finds (an `$in` of ids, top-level fields picked) without
 * mingo; these are MongoDB's answers to the same finds, so the shortcut changes nothing visible.
 */
describe('find fast paths', () => {
  let t: TestDatabase;
  const coll = () => t.db.collection<AnyDoc>('fast');
  const ids = Array.from({ length: 6 }, () => new ObjectId());
  const id = (index: number) => ids[index]!;

  beforeAll(async () => {
    t = await openTestDatabase();
    await coll().insertMany([
      { _id: id(0), name: 'Анна', tags: ['vip', 'ипотека'], n: 1, nested: { a: 1 } },
      { _id: id(1), name: 'Борис', tags: ['новый'], n: 2 },
      { _id: id(2), n: 2.0, name: 'Вера', tags: [] },
      { _id: id(3), n: 3, name: null },
      { _id: id(4), name: 'Глеб', tags: [['vip']] },
      { _id: id(5), name: 'Дина', n: '2' },
    ]);
  });
  afterAll(async () => {
    await t.close();
  });

  it('should match an $in of scalars as MongoDB does: array fields by element, numbers of any type', async () => {
    const byTag = await coll()
      .find({ tags: { $in: ['vip', 'новый'] } }, { projection: { _id: 1 } })
      .toArray();
    // ['vip'] nested in an array is not the string 'vip'.
    expect(byTag.map((doc) => doc._id)).toEqual([id(0), id(1)]);
    const byNumber = await coll()
      .find({ n: { $in: [2] } }, { projection: { name: 1, _id: 0 } })
      .toArray();
    expect(byNumber).toEqual([{ name: 'Борис' }, { name: 'Вера' }]);
    const byId = await coll()
      .find({ _id: { $in: [id(5), id(3), new ObjectId()] } })
      .toArray();
    expect(byId.map((doc) => doc._id)).toEqual([id(3), id(5)]);
  });

  it('should pick top-level fields in the document’s order, with or without _id', async () => {
    const [anna] = await coll()
      .find({ _id: id(0) }, { projection: { tags: 1, name: 1 } })
      .toArray();
    expect(Object.keys(anna!)).toEqual(['_id', 'name', 'tags']);
    expect(
      await coll()
        .find({ _id: id(3) }, { projection: { _id: 1 } })
        .toArray(),
    ).toEqual([{ _id: id(3) }]);
    // A field the document lacks is left out, not set to null; a null field stays.
    expect(
      await coll()
        .find({ _id: id(3) }, { projection: { tags: 1, name: 1, _id: 0 } })
        .toArray(),
    ).toEqual([{ name: null }]);
    const [nested] = await coll()
      .find({ _id: id(0) }, { projection: { 'nested.a': 1, _id: 0 } })
      .toArray();
    expect(nested).toEqual({ nested: { a: 1 } });
  });
});
