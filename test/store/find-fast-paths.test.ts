import { Long, ObjectId } from 'mongodb';
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

  it('should match ranges as MongoDB does: within the bound’s type, each bound by any array element', async () => {
    const ranged = t.db.collection<AnyDoc>('ranges');
    const day = (d: number) => new Date(Date.UTC(2026, 10, d));
    await ranged.insertMany([
      { _id: 1, at: day(1), n: 5, name: 'a', history: [{ at: day(2) }, { at: day(20) }] },
      { _id: 2, at: day(10), n: 5.5, name: 'b', history: [{ at: day(11) }] },
      { _id: 3, at: '2026-11-10', n: '7', name: 'c', history: [] },
      { _id: 4, at: null, n: [1, 9], name: 'd' },
      { _id: 5, n: Long.fromNumber(8), name: 'e', history: [{ at: day(3) }, { at: day(15) }] },
    ]);
    const ids = async (filter: AnyDoc) => (await ranged.find(filter).sort({ _id: 1 }).toArray()).map((doc) => doc._id);
    const cases: [AnyDoc, number[]][] = [
      // A date bound matches dates only, not the string of the same day or a null.
      [{ at: { $gte: day(1), $lt: day(11) } }, [1, 2]],
      // Numbers of every type compare as numbers; the string '7' is not one; [1, 9] has 9 over 5
      // and 1 under 8.
      [{ n: { $gt: 5, $lte: 8 } }, [2, 4, 5]],
      // [1, 9]: 9 is over 4 and 1 is under 2, so both bounds hold by different elements.
      [{ n: { $gt: 4, $lt: 2 } }, [4]],
      [{ name: { $gte: 'b', $lt: 'd' } }, [2, 3]],
      // Through an array of subdocuments, by any elements: 1 has the 20th (not before the 10th)
      // and the 2nd (before the 16th); $elemMatch would be needed for one element to hold both.
      [{ 'history.at': { $gte: day(10), $lt: day(16) } }, [1, 2, 5]],
      [{ 'history.at': { $gt: day(20) } }, []],
      [{ at: { $lt: day(5) }, n: { $in: [5, 6] } }, [1]],
      // Negations hold where the condition does not: other types, null and missing fields too,
      // and an array only when no element meets it.
      [{ at: { $not: { $lt: day(5) } } }, [2, 3, 4, 5]],
      [{ n: { $ne: 5 } }, [2, 3, 4, 5]],
      [{ name: { $nin: ['a', 'e'] } }, [2, 3, 4]],
      [{ 'history.at': { $not: { $gte: day(15) } } }, [2, 3, 4]],
      // $or and $and of such conditions are matched the same way.
      [{ $or: [{ at: { $gte: day(1), $lt: day(11) } }, { name: 'e' }] }, [1, 2, 5]],
      [{ $and: [{ n: { $gt: 5 } }, { $or: [{ name: 'd' }, { 'history.at': { $gte: day(15) } }] }] }, [4, 5]],
    ];
    for (const [filter, expected] of cases) {
      expect(await ids(filter), JSON.stringify(filter)).toEqual(expected);
      // The same filter beside an $exists goes through mingo: both answers agree.
      expect(await ids({ $and: [filter, { _id: { $exists: true } }] }), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it('should read an $in of many ids in id order, each once, also backwards, missing ones skipped', async () => {
    const many = t.db.collection<AnyDoc>('many');
    const numbers = Array.from({ length: 3000 }, (_, i) => i * 2);
    await many.insertMany(numbers.map((n) => ({ _id: n, half: n / 2 })));
    // Every third even id exists, odd ones do not; the list is shuffled and holds a repeat.
    const wanted = [...numbers.filter((n) => n % 3 === 0), ...numbers.filter((n) => n % 3 === 0).map((n) => n + 1), 6];
    wanted.sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101));
    const expected = numbers.filter((n) => n % 3 === 0);
    const forward = await many.find({ _id: { $in: wanted } }).toArray();
    expect(forward.map((doc) => doc._id)).toEqual(expected);
    const backward = await many
      .find({ _id: { $in: wanted } })
      .sort({ _id: -1 })
      .toArray();
    expect(backward.map((doc) => doc._id)).toEqual([...expected].reverse());
    expect(await many.countDocuments({ _id: { $in: wanted }, half: { $gte: 1500 } })).toBe(
      expected.filter((n) => n >= 3000).length,
    );
    // The same through a compound index whose leading field the $in fixes, and a multikey one.
    await many.updateMany({}, [{ $set: { group: { $mod: ['$_id', 50] }, marks: ['$half', { $add: ['$half', 1] }] } }]);
    await many.createIndex({ group: 1, half: -1 });
    await many.createIndex({ marks: 1 });
    const groups = Array.from({ length: 20 }, (_, i) => i * 2 + 1);
    const byGroup = await many.find({ group: { $in: [...groups, 7] } }, { projection: { _id: 1 } }).toArray();
    expect(byGroup.map((doc) => doc._id)).toEqual(
      groups.flatMap((group) => numbers.filter((n) => n % 50 === group).reverse()),
    );
    const marked = new Set(numbers.filter((n) => n % 7 === 0).flatMap((n) => [n / 2, n / 2 + 1]));
    const byMark = await many.find({ marks: { $in: [...marked] } }).toArray();
    // Each document once, though both its marks may be asked for.
    expect(byMark.map((doc) => doc._id)).toEqual(numbers.filter((n) => marked.has(n / 2) || marked.has(n / 2 + 1)));
  });
});
