import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pipelineDependencies } from '../../server/store/engine/dependencies.js';
import type { AnyDoc } from './conformance-helpers.js';
import { openTestDatabase, type TestDatabase } from './harness.js';

const fields = (pipeline: Record<string, unknown>[]) => {
  const needs = pipelineDependencies(pipeline);
  return needs ? [...needs].sort() : undefined;
};

describe('pipeline dependencies', () => {
  it('names the fields a pipeline ending in $group or an inclusion $project reads', () => {
    expect(
      fields([
        { $match: { 'history.pipelineId': 1, $or: [{ owner: 2 }, { $expr: { $gt: ['$amount', '$floor'] } }] } },
        { $project: { status: 1, deepest: { $max: { $map: { input: '$history', as: 'v', in: '$$v.stage' } } } } },
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ]),
    ).toEqual(['_id', 'amount', 'deepest', 'floor', 'history', 'owner', 'status']);
    expect(fields([{ $unwind: '$items' }, { $group: { _id: '$items.sku', n: { $sum: '$qty' } } }])).toEqual([
      'items',
      'qty',
    ]);
    expect(fields([{ $group: { _id: null, best: { $top: { sortBy: { score: -1 }, output: '$name' } } } }])).toEqual([
      'name',
      'score',
    ]);
    expect(fields([{ $project: { _id: 0, 'a.b': 1, c: { d: 1 } } }])).toEqual(['a', 'c']);
    expect(fields([{ $count: 'n' }])).toEqual([]);
  });

  it('asks for the whole document when it cannot tell', () => {
    expect(fields([{ $project: { secret: 0 } }])).toBeUndefined();
    expect(fields([{ $project: { a: { b: 0 } } }])).toBeUndefined();
    expect(fields([{ $group: { _id: '$$ROOT' } }])).toBeUndefined();
    expect(fields([{ $project: { x: { $getField: 'price' } } }])).toBeUndefined();
    expect(fields([{ $lookup: { from: 'b', localField: 'x', foreignField: 'y', as: 'z' } }, { $count: 'n' }])).toBe(
      undefined,
    );
    expect(fields([{ $match: { a: 1 } }, { $sort: { a: 1 } }])).toBeUndefined();
    expect(fields([{ $match: { $where: 'this.a > 1' } }, { $count: 'n' }])).toBeUndefined();
  });
});

/**
 * The store decodes only what a pipeline reads. Each pipeline runs twice: as written, and behind a
 * stage that reads `$$ROOT` (so the whole document is decoded) and changes nothing; the answers
 * must be the same.
 */
describe('aggregate reads only the fields it needs', () => {
  let t: TestDatabase;
  const deals = () => t.db.collection<AnyDoc>('deals');

  beforeAll(async () => {
    t = await openTestDatabase();
    const docs: AnyDoc[] = [];
    for (let i = 0; i < 60; i++) {
      docs.push({
        _id: i,
        title: `deal ${i}`,
        status: ['open', 'won', 'lost'][i % 3],
        amount: (i % 7) * 1000,
        floor: 2500,
        rank: (i * 37) % 60,
        owner: { id: i % 4, name: `owner ${i % 4}` },
        history: Array.from({ length: (i % 4) + 1 }, (_, k) => ({
          stage: `s${k}`,
          at: new Date(Date.UTC(2026, 0, 1 + k + i)),
        })),
        tags: i % 5 === 0 ? [] : ['a', `t${i % 3}`],
        ...(i % 6 === 0 ? {} : { lostReason: `r${i % 2}` }),
        notes: 'x'.repeat(200),
      });
    }
    await deals().insertMany(docs);
    await deals().createIndex({ rank: 1 });
  });
  afterAll(async () => {
    await t.close();
  });

  const pipelines: Record<string, unknown>[][] = [
    [
      { $match: { status: { $in: ['won', 'lost'] } } },
      {
        $project: {
          status: 1,
          lostReason: 1,
          deepest: {
            $max: {
              $map: { input: '$history', as: 'v', in: { $indexOfArray: [['s0', 's1', 's2', 's3'], '$$v.stage'] } },
            },
          },
        },
      },
      {
        $group: {
          _id: { deepest: '$deepest', status: '$status', reason: { $ifNull: ['$lostReason', null] } },
          n: { $sum: 1 },
        },
      },
      { $sort: { '_id.deepest': 1, '_id.status': 1, '_id.reason': 1 } },
    ],
    [{ $match: { rank: { $gte: 10, $lt: 40 } } }, { $sort: { rank: -1 } }, { $project: { title: 1 } }],
    [
      { $match: { 'owner.id': 2 } },
      { $sort: { amount: -1, _id: 1 } },
      { $limit: 5 },
      { $project: { _id: 0, title: 1, 'owner.name': 1 } },
    ],
    [
      { $match: { $or: [{ tags: 't1' }, { $expr: { $gt: ['$amount', '$floor'] } }] } },
      { $unwind: '$history' },
      { $match: { 'history.stage': { $ne: 's0' } } },
      {
        $group: {
          _id: '$history.stage',
          seconds: { $push: { $subtract: ['$history.at', new Date(Date.UTC(2026, 0, 1))] } },
        },
      },
      { $sort: { _id: 1 } },
    ],
    [{ $match: { status: 'open' } }, { $project: { owner: { id: 1 }, size: { $size: '$tags' } } }],
    [
      { $match: { amount: { $gt: 0 } } },
      { $facet: { byStatus: [{ $sortByCount: '$status' }], total: [{ $count: 'n' }] } },
    ],
    [
      { $match: {} },
      { $group: { _id: '$owner.id', best: { $top: { sortBy: { rank: -1 }, output: '$title' } } } },
      { $sort: { _id: 1 } },
    ],
    [
      { $match: { lostReason: { $exists: true } } },
      { $set: { big: { $gte: ['$amount', 4000] } } },
      { $group: { _id: '$big', n: { $sum: 1 } } },
      { $sort: { _id: 1 } },
    ],
  ];

  it.each(pipelines.map((pipeline, i) => [i, pipeline] as const))(
    'pipeline %i answers as with the whole document',
    async (_, pipeline) => {
      const [match, ...rest] = pipeline;
      const whole = [match!, { $set: { _root: '$$ROOT' } }, { $unset: '_root' }, ...rest];
      const partial = await deals().aggregate(pipeline).toArray();
      expect(partial.length).toBeGreaterThan(0);
      expect(partial).toEqual(await deals().aggregate(whole).toArray());
    },
  );
});
