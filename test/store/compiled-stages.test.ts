import { ObjectId } from 'bson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareKeys, compareValues, encodeKey } from '../../server/store/engine/key-encoding.js';
import type { AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

/**
 * The store runs leading $match/$project/$unwind/$group stages as compiled closures. Each
 * pipeline here runs twice: as written, and behind a `$skip: 0` (a stage not compiled, so mingo
 * interprets everything); the answers must agree. Where mingo departs from MongoDB, the
 * expected answer is written out.
 */
describe('compiled aggregation stages', () => {
  let t: TestDatabase;
  const deals = () => t.db.collection<AnyDoc>('deals');
  const pipelineA = new ObjectId();
  const pipelineB = new ObjectId();
  const start = Date.UTC(2026, 0, 1);

  beforeAll(async () => {
    t = await openTestDatabase();
    const docs: AnyDoc[] = [];
    for (let i = 0; i < 80; i++) {
      const stays = (i % 5) + 1;
      docs.push({
        _id: i,
        status: ['open', 'won', 'lost', 'open'][i % 4],
        amount: i % 9 === 0 ? null : (i % 7) * 1500 + 0.5 * (i % 2),
        source: i % 3 === 0 ? undefined : ['site', 'telegram'][i % 2],
        ...(i % 4 === 2 ? { lostReason: ['price', 'timing', null][i % 3] } : {}),
        createdAt: new Date(start + i * 3_600_000),
        closedAt: i % 4 === 1 ? new Date(start + i * 3_600_000 + (i % 11) * 86_400_000) : undefined,
        stageHistory: Array.from({ length: stays }, (_, k) => ({
          pipelineId: k % 3 === 2 ? pipelineB : pipelineA,
          stageId: `s${k}`,
          enteredAt: new Date(start + i * 3_600_000 + k * 86_400_000),
          ...(k < stays - 1 || i % 2 === 0 ? { leftAt: new Date(start + i * 3_600_000 + (k + 1) * 86_400_000) } : {}),
        })),
        tags: i % 6 === 0 ? [] : i % 6 === 1 ? null : ['a', `t${i % 4}`],
      });
    }
    await deals().insertMany(docs);
  });
  afterAll(async () => {
    await t.close();
  });

  const steps = ['s0', 's1', 's2', 's3', 's4'];
  const until = new Date(start + 40 * 86_400_000);
  const pipelines: Record<string, unknown>[][] = [
    // The funnel: the deepest step visited in a pipeline, by status and lost reason.
    [
      { $match: { 'stageHistory.pipelineId': pipelineA } },
      {
        $project: {
          status: 1,
          lostReason: 1,
          deepest: {
            $max: {
              $map: {
                input: {
                  $filter: { input: '$stageHistory', as: 'visit', cond: { $eq: ['$$visit.pipelineId', pipelineA] } },
                },
                as: 'visit',
                in: { $indexOfArray: [steps, '$$visit.stageId'] },
              },
            },
          },
        },
      },
      {
        $group: {
          _id: { deepest: '$deepest', status: '$status', lostReason: { $ifNull: ['$lostReason', null] } },
          count: { $sum: 1 },
        },
      },
      { $sort: { '_id.deepest': 1, '_id.status': 1, '_id.lostReason': 1 } },
    ],
    // Stage time: stays unwound, filtered, durations pushed per stage.
    [
      { $match: { 'stageHistory.enteredAt': { $gte: new Date(start) } } },
      { $project: { stageHistory: 1 } },
      { $unwind: '$stageHistory' },
      {
        $match: {
          'stageHistory.pipelineId': pipelineA,
          'stageHistory.stageId': { $in: ['s0', 's1', 's3'] },
          $or: [{ 'stageHistory.leftAt': { $lt: until } }, { 'stageHistory.leftAt': { $not: { $lt: until } } }],
        },
      },
      {
        $project: {
          stageId: '$stageHistory.stageId',
          seconds: {
            $divide: [
              {
                $subtract: [{ $min: [{ $ifNull: ['$stageHistory.leftAt', until] }, until] }, '$stageHistory.enteredAt'],
              },
              1000,
            ],
          },
        },
      },
      { $group: { _id: '$stageId', seconds: { $push: '$seconds' }, n: { $count: {} } } },
      { $sort: { _id: 1 } },
    ],
    // Sources: conditional sums per source.
    [
      { $match: { createdAt: { $gte: new Date(start), $lt: new Date(start + 60 * 3_600_000) } } },
      {
        $project: {
          source: 1,
          won: { $cond: [{ $eq: ['$status', 'won'] }, 1, 0] },
          revenue: { $cond: { if: { $eq: ['$status', 'won'] }, then: { $ifNull: ['$amount', 0] }, else: 0 } },
          qualified: { $cond: [{ $gte: [{ $size: '$stageHistory' }, 2] }, 1, 0] },
        },
      },
      {
        $group: {
          _id: { $ifNull: ['$source', 'none'] },
          leads: { $sum: 1 },
          won: { $sum: '$won' },
          revenue: { $sum: '$revenue' },
          qualified: { $sum: '$qualified' },
          avgRevenue: { $avg: '$revenue' },
          first: { $first: '$_id' },
          last: { $last: '$_id' },
          least: { $min: '$revenue' },
          most: { $max: '$revenue' },
        },
      },
      { $sort: { _id: 1 } },
    ],
    // Sales cycle: date arithmetic, comparisons, boolean operators.
    [
      { $match: { status: 'won' } },
      {
        $project: {
          _id: 0,
          days: { $divide: [{ $subtract: ['$closedAt', '$createdAt'] }, 86_400_000] },
          late: {
            $and: [
              { $gt: ['$closedAt', new Date(start + 5 * 86_400_000)] },
              { $not: [{ $lte: [{ $ifNull: ['$amount', 0] }, 3000] }] },
            ],
          },
          either: { $or: [{ $ne: ['$source', 'site'] }, { $lt: ['$amount', 1000] }] },
          shifted: { $add: ['$createdAt', 60_000] },
          doubled: { $multiply: [{ $ifNull: ['$amount', 0] }, 2] },
          inTags: { $in: ['t1', { $ifNull: ['$tags', []] }] },
          stays: { $size: '$stageHistory' },
        },
      },
    ],
    // Unwinding tags, keeping documents without any.
    [
      { $match: {} },
      { $unwind: { path: '$tags', preserveNullAndEmptyArrays: true } },
      { $group: { _id: '$tags', ids: { $addToSet: { $cond: [{ $gt: ['$_id', 70] }, '$_id', 0] } } } },
      { $project: { count: { $size: '$ids' } } },
      { $sort: { _id: 1 } },
    ],
  ];

  it.each(pipelines.map((pipeline, i) => [i, pipeline] as const))(
    'pipeline %i answers as mingo does',
    async (_, pipeline) => {
      const [match, ...rest] = pipeline;
      const compiled = await deals().aggregate(pipeline).toArray();
      expect(compiled.length).toBeGreaterThan(0);
      expect(compiled).toEqual(
        await deals()
          .aggregate([match!, { $skip: 0 }, ...rest])
          .toArray(),
      );
    },
  );

  it('follows MongoDB where mingo departs from it: $eq does not look into arrays, $push leaves missing out, a missing field is no null, types compare in BSON order', async () => {
    const [row] = await deals()
      .aggregate([
        { $match: { _id: 6 } },
        {
          $project: {
            arrayEq: { $eq: [['a', 't2'], 'a'] },
            missingIsNull: { $eq: ['$nothing', null] },
            missingLow: { $lt: ['$nothing', null] },
            kinds: { $lt: [5, 'a'] },
            nullBelowNumbers: { $lte: [null, 3000] },
          },
        },
      ])
      .toArray();
    expect(row).toEqual({
      _id: 6,
      arrayEq: false,
      missingIsNull: false,
      missingLow: true,
      kinds: true,
      nullBelowNumbers: true,
    });
    const [pushed] = await deals()
      .aggregate([
        { $match: { _id: { $in: [1, 2, 3, 6] } } },
        { $group: { _id: null, reasons: { $push: '$lostReason' } } },
      ])
      .toArray();
    expect(pushed).toEqual({ _id: null, reasons: [null, 'price'] });
  });

  it('reports a wrong type as MongoDB does', async () => {
    await expect(
      deals()
        .aggregate([{ $match: {} }, { $project: { x: { $subtract: ['$status', 1] } } }])
        .toArray(),
    ).rejects.toThrow(/\$subtract only supports numeric or date types/);
    await expect(
      deals()
        .aggregate([{ $match: {} }, { $project: { x: { $divide: [1, 0] } } }])
        .toArray(),
    ).rejects.toThrow(/divide by zero/);
  });
});

it('compares values in the order index keys sort them (strings as UTF-8 bytes)', () => {
  const values = [
    '',
    'a',
    'ab',
    'ab\u0000',
    'abc',
    'b',
    'Z',
    'я',
    'ё',
    '😀',
    '\uffff',
    'a😀',
    'a\uffff',
    1,
    -2.5,
    NaN,
    null,
    undefined,
  ];
  for (const x of values) {
    for (const y of values) {
      expect(Math.sign(compareValues(x, y)), `${String(x)} vs ${String(y)}`).toBe(
        Math.sign(compareKeys(encodeKey(x), encodeKey(y))),
      );
    }
  }
});
