import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactRecord } from '../../server/contacts/contact-models.js';
import { countSegment } from '../../server/segments/count-segment.js';
import { segmentAudience, type AudienceContact } from '../../server/segments/segment-audience.js';
import type { SegmentDefinition } from '../../server/segments/segment-definition.js';
import { segmentMemberModel } from '../../server/segments/segment-member-model.js';
import { segmentModel, type SegmentRecord } from '../../server/segments/segment-model.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { contactDoc, daysBefore, insertContactDocs, insertConversations, insertDeals } from './segment-fixture.js';

const SIZE = 2500;
const BATCH = 300;
const PIPELINE = new Types.ObjectId();

/*
 * 2,500 contacts: even ones tagged 'even'; every third has an open deal; every fifth wrote in the
 * last week; every tenth is deleted (so never in an audience); every 100th merged.
 */
const contacts: ContactRecord[] = Array.from({ length: SIZE }, (_, i) =>
  contactDoc({
    name: `Клиент ${i}`,
    tags: i % 2 === 0 ? ['even'] : ['odd'],
    status: i % 10 === 9 ? 'deleted' : i % 100 === 33 ? 'merged' : 'active',
    phones: [{ raw: `+7900${String(i).padStart(7, '0')}`, e164: `+7900${String(i).padStart(7, '0')}` }],
    customFields: { number: i },
  }),
);
const active = contacts.filter((contact) => contact.status === 'active');
const index = new Map(contacts.map((contact, i) => [String(contact._id), i]));
const idsWhere = (test: (i: number) => boolean) =>
  active.filter((contact) => test(index.get(String(contact._id))!)).map((contact) => String(contact._id));

describe('segmentAudience', () => {
  let api: TestApi;
  const creator = new Types.ObjectId();

  async function collect(
    segment: SegmentRecord,
  ): Promise<{ ids: string[]; sizes: number[]; batches: AudienceContact[][] }> {
    const batches: AudienceContact[][] = [];
    for await (const batch of segmentAudience(api.db, segment, BATCH)) batches.push(batch);
    return { ids: batches.flat().map((contact) => String(contact._id)), sizes: batches.map((b) => b.length), batches };
  }

  async function filterSegment(definition: SegmentDefinition): Promise<SegmentRecord> {
    const created = await segmentModel(api.db).create({
      name: 'Тест',
      kind: 'filter',
      definition,
      createdById: creator,
    });
    return created.toObject();
  }

  function expectOnceInOrder(result: { ids: string[]; sizes: number[] }, expected: string[]): void {
    expect(new Set(result.ids).size).toBe(result.ids.length);
    expect([...result.ids].sort()).toEqual([...expected].sort());
    expect(result.ids).toEqual([...result.ids].sort());
    // Full batches, then one shorter (or none).
    expect(result.sizes.slice(0, -1).every((size) => size === BATCH)).toBe(true);
    expect(result.sizes.at(-1)).toBeLessThanOrEqual(BATCH);
  }

  beforeAll(async () => {
    api = await startTestApi();
    await insertContactDocs(api.db, contacts);
    const every = (step: number) => contacts.filter((_, i) => i % step === 0);
    await insertDeals(
      api.db,
      every(3).map((contact) => ({ contactId: contact._id, pipelineId: PIPELINE, stageId: 'new', status: 'open' })),
    );
    const lastWeek = daysBefore(new Date(), 2);
    await insertConversations(
      api.db,
      every(5).map((contact) => ({ contactId: contact._id, lastMessageAt: lastWeek })),
    );
  }, 120_000);
  afterAll(async () => {
    await api?.close();
  });

  it('should yield every active contact of a contact-field segment once, in _id order, in full batches', async () => {
    const segment = await filterSegment({ match: 'all', conditions: [{ field: 'tag', op: 'has', value: 'even' }] });
    const result = await collect(segment);
    expectOnceInOrder(
      result,
      idsWhere((i) => i % 2 === 0),
    );
    expect(await countSegment(api.db, segment)).toBe(result.ids.length);
  });

  it('should carry what a broadcast needs of each recipient and nothing else', async () => {
    const segment = await filterSegment({ match: 'all', conditions: [] });
    const { batches } = await collect(segment);
    const first = batches[0]![0]!;
    expect(Object.keys(first).sort()).toEqual(['_id', 'consent', 'emails', 'identities', 'phones']);
    expect(batches.flat()).toHaveLength(active.length);
  });

  it('should resolve deal conditions window by window and still yield each member once (match all)', async () => {
    const segment = await filterSegment({
      match: 'all',
      conditions: [
        { field: 'tag', op: 'has', value: 'even' },
        { field: 'deal', op: 'has', pipelineId: PIPELINE.toHexString() },
      ],
    });
    const result = await collect(segment);
    expectOnceInOrder(
      result,
      idsWhere((i) => i % 2 === 0 && i % 3 === 0),
    );
    expect(await countSegment(api.db, segment)).toBe(result.ids.length);
  });

  it('should resolve relation conditions under match any across all windows', async () => {
    const segment = await filterSegment({
      match: 'any',
      conditions: [
        { field: 'deal', op: 'has', status: 'open' },
        { field: 'lastActivityAt', op: 'within-days', value: 7 },
        { field: 'customField', key: 'number', op: 'is', value: '7' },
      ],
    });
    const result = await collect(segment);
    expectOnceInOrder(
      result,
      idsWhere((i) => i % 3 === 0 || i % 5 === 0 || i === 7),
    );
    expect(await countSegment(api.db, segment)).toBe(result.ids.length);
  });

  it('should yield the active members of a static list once, in _id order', async () => {
    const members = contacts.filter((_, i) => i % 2 === 1 || i < 40);
    const created = await segmentModel(api.db).create({
      name: 'Список',
      kind: 'static',
      memberCount: members.length,
      createdById: creator,
    });
    const Member = segmentMemberModel(api.db);
    await Member.init();
    // Written in reverse, so order comes from the index, not from insertion.
    await Member.insertMany(
      [...members].reverse().map((contact) => ({ segmentId: created._id, contactId: contact._id })),
    );
    const segment = created.toObject();
    const result = await collect(segment);
    expectOnceInOrder(
      result,
      idsWhere((i) => i % 2 === 1 || i < 40),
    );
    expect(await countSegment(api.db, segment)).toBe(result.ids.length);
  });

  it('should refuse a filter segment saved without its definition rather than reach everyone', async () => {
    const segment = { ...(await filterSegment({ match: 'all', conditions: [] })), definition: undefined };
    await expect(collect(segment)).rejects.toThrow(/no definition/);
  });
});
