import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countSegment } from '../../server/segments/count-segment.js';
import { previewSegment } from '../../server/segments/preview-segment.js';
import type { SegmentCondition, SegmentDefinition } from '../../server/segments/segment-definition.js';
import { segmentDefinitionSchema } from '../../server/segments/segment-definition.js';
import { startTestApi, type TestApi } from '../api/api-harness.js';
import { contactDoc, daysBefore, insertContactDocs, insertConversations, insertDeals } from './segment-fixture.js';

/*
 * Six contacts with every field a condition reads, and the answer each condition must give.
 * Глеб (merged) and Дина (deleted) carry everything the others do and must never match.
 */
const now = new Date();
const U1 = new Types.ObjectId();
const U2 = new Types.ObjectId();
const T1 = new Types.ObjectId();
const T2 = new Types.ObjectId();
const C1 = new Types.ObjectId();
const P1 = new Types.ObjectId();
const P2 = new Types.ObjectId();

const anna = contactDoc({
  name: 'Анна',
  tags: ['vip', 'expo'],
  region: 'Москва',
  source: 'site',
  utm: { source: 'yandex', medium: 'cpc', campaign: 'spring' },
  language: 'ru',
  customFields: { budget: 5_000_000, kind: 'дом' },
  ownerId: U1,
  teamIds: [T1],
  companyId: C1,
  phones: [{ raw: '+7 916 111-22-33', e164: '+79161112233' }],
  identityChannels: ['telegram'],
  consent: { telegram: { status: 'opted-in', at: now } },
  createdAt: daysBefore(now, 2),
});
const boris = contactDoc({
  name: 'Борис',
  tags: ['expo'],
  region: 'Санкт-Петербург',
  source: 'exhibition',
  utm: { campaign: 'autumn' },
  language: 'en',
  customFields: { kind: 'квартира' },
  ownerId: U2,
  teamIds: [T2],
  emails: ['boris@example.ru'],
  consent: { email: { status: 'opted-out', at: now } },
  createdAt: daysBefore(now, 40),
});
const vera = contactDoc({
  name: 'Вера',
  source: '',
  phones: [{ raw: '8 903 555 44 33', e164: '+79035554433' }],
  identityChannels: ['whatsapp'],
  consent: { whatsapp: { status: 'opted-out', at: now } },
  createdAt: new Date('2025-01-15T10:00:00Z'),
});
const egor = contactDoc({
  name: 'Егор',
  tags: ['vip'],
  region: 'Московская область',
  source: 'site',
  ownerId: U1,
  identityChannels: ['webchat'],
  createdAt: daysBefore(now, 10),
});
const gleb = contactDoc({ ...anna, _id: new Types.ObjectId(), name: 'Глеб', status: 'merged', identities: [] });
const dina = contactDoc({ ...anna, _id: new Types.ObjectId(), name: 'Дина', status: 'deleted', identities: [] });

const ALL = ['Анна', 'Борис', 'Вера', 'Егор'];

const cases: [string, SegmentCondition, string[]][] = [
  ['tag has', { field: 'tag', op: 'has', value: 'vip' }, ['Анна', 'Егор']],
  ['tag not-has', { field: 'tag', op: 'not-has', value: 'vip' }, ['Борис', 'Вера']],
  ['region is (exact)', { field: 'region', op: 'is', value: 'Москва' }, ['Анна']],
  [
    'region is-not (also without a region)',
    { field: 'region', op: 'is-not', value: 'Москва' },
    ['Борис', 'Вера', 'Егор'],
  ],
  ['region contains (any case)', { field: 'region', op: 'contains', value: 'моск' }, ['Анна', 'Егор']],
  ['region empty', { field: 'region', op: 'empty' }, ['Вера']],
  ['region not-empty', { field: 'region', op: 'not-empty' }, ['Анна', 'Борис', 'Егор']],
  ['source is', { field: 'source', op: 'is', value: 'site' }, ['Анна', 'Егор']],
  ['source empty (blank counts)', { field: 'source', op: 'empty' }, ['Вера']],
  ['utm.campaign is', { field: 'utm.campaign', op: 'is', value: 'spring' }, ['Анна']],
  ['utm.campaign not-empty', { field: 'utm.campaign', op: 'not-empty' }, ['Анна', 'Борис']],
  ['utm.campaign empty', { field: 'utm.campaign', op: 'empty' }, ['Вера', 'Егор']],
  ['utm.source contains', { field: 'utm.source', op: 'contains', value: 'YAN' }, ['Анна']],
  ['utm.medium is', { field: 'utm.medium', op: 'is', value: 'cpc' }, ['Анна']],
  ['language is', { field: 'language', op: 'is', value: 'en' }, ['Борис']],
  ['language empty', { field: 'language', op: 'empty' }, ['Вера', 'Егор']],
  ['custom field is a stored number', { field: 'customField', key: 'budget', op: 'is', value: '5000000' }, ['Анна']],
  ['custom field contains', { field: 'customField', key: 'kind', op: 'contains', value: 'ДОМ' }, ['Анна']],
  ['custom field empty', { field: 'customField', key: 'kind', op: 'empty' }, ['Вера', 'Егор']],
  ['custom field is-not', { field: 'customField', key: 'kind', op: 'is-not', value: 'дом' }, ['Борис', 'Вера', 'Егор']],
  ['owner is', { field: 'owner', op: 'is', value: U1.toHexString() }, ['Анна', 'Егор']],
  ['owner is-not', { field: 'owner', op: 'is-not', value: U1.toHexString() }, ['Борис', 'Вера']],
  ['team is', { field: 'team', op: 'is', value: T1.toHexString() }, ['Анна']],
  ['team is-not', { field: 'team', op: 'is-not', value: T1.toHexString() }, ['Борис', 'Вера', 'Егор']],
  ['company is', { field: 'company', op: 'is', value: C1.toHexString() }, ['Анна']],
  ['company is-not', { field: 'company', op: 'is-not', value: C1.toHexString() }, ['Борис', 'Вера', 'Егор']],
  ['created within days', { field: 'createdAt', op: 'within-days', value: 7 }, ['Анна']],
  ['created not within days', { field: 'createdAt', op: 'not-within-days', value: 7 }, ['Борис', 'Вера', 'Егор']],
  ['created before a date', { field: 'createdAt', op: 'before', value: '2025-02-01' }, ['Вера']],
  [
    'created after a date (the whole day excluded)',
    { field: 'createdAt', op: 'after', value: '2025-01-15' },
    ['Анна', 'Борис', 'Егор'],
  ],
  ['created after a moment', { field: 'createdAt', op: 'after', value: '2025-01-15T09:00:00+00:00' }, ALL],
  ['active within days', { field: 'lastActivityAt', op: 'within-days', value: 7 }, ['Анна', 'Егор']],
  [
    'not active within days (never counts)',
    { field: 'lastActivityAt', op: 'not-within-days', value: 7 },
    ['Борис', 'Вера'],
  ],
  ['last active before', { field: 'lastActivityAt', op: 'before', value: daysBefore(now, 7).toISOString() }, ['Борис']],
  ['last active after', { field: 'lastActivityAt', op: 'after', value: daysBefore(now, 2).toISOString() }, ['Анна']],
  ['channel has telegram (identity)', { field: 'channel', op: 'has', value: 'telegram' }, ['Анна']],
  ['channel has email (address)', { field: 'channel', op: 'has', value: 'email' }, ['Борис']],
  ['channel has whatsapp (identity or phone)', { field: 'channel', op: 'has', value: 'whatsapp' }, ['Анна', 'Вера']],
  ['channel has sms (phone)', { field: 'channel', op: 'has', value: 'sms' }, ['Анна', 'Вера']],
  ['channel has webchat', { field: 'channel', op: 'has', value: 'webchat' }, ['Егор']],
  ['channel not-has email', { field: 'channel', op: 'not-has', value: 'email' }, ['Анна', 'Вера', 'Егор']],
  ['consent opted-in', { field: 'consent', op: 'opted-in', value: 'telegram' }, ['Анна']],
  ['consent opted-out', { field: 'consent', op: 'opted-out', value: 'email' }, ['Борис']],
  ['consent not-opted-out', { field: 'consent', op: 'not-opted-out', value: 'whatsapp' }, ['Анна', 'Борис', 'Егор']],
  ['deal has any', { field: 'deal', op: 'has' }, ['Анна', 'Борис', 'Егор']],
  ['deal not-has any', { field: 'deal', op: 'not-has' }, ['Вера']],
  ['deal has in a pipeline', { field: 'deal', op: 'has', pipelineId: P1.toHexString() }, ['Анна', 'Борис']],
  ['deal has at a stage', { field: 'deal', op: 'has', pipelineId: P1.toHexString(), stageId: 'won' }, ['Борис']],
  ['deal has with a status', { field: 'deal', op: 'has', status: 'lost' }, ['Егор']],
  ['deal not-has with a status', { field: 'deal', op: 'not-has', status: 'open' }, ['Борис', 'Вера', 'Егор']],
];

const combined: [string, SegmentDefinition, string[]][] = [
  [
    'all: contact and deal conditions together',
    {
      match: 'all',
      conditions: [
        { field: 'tag', op: 'has', value: 'vip' },
        { field: 'region', op: 'contains', value: 'моск' },
        { field: 'deal', op: 'has', status: 'open' },
      ],
    },
    ['Анна'],
  ],
  [
    'any: a contact condition or a deal condition',
    {
      match: 'any',
      conditions: [
        { field: 'tag', op: 'has', value: 'expo' },
        { field: 'deal', op: 'has', status: 'lost' },
      ],
    },
    ['Анна', 'Борис', 'Егор'],
  ],
  [
    'any: a contact condition or recent activity',
    {
      match: 'any',
      conditions: [
        { field: 'language', op: 'is', value: 'en' },
        { field: 'lastActivityAt', op: 'within-days', value: 7 },
      ],
    },
    ['Анна', 'Борис', 'Егор'],
  ],
  [
    'all: two relation conditions',
    {
      match: 'all',
      conditions: [
        { field: 'deal', op: 'has' },
        { field: 'lastActivityAt', op: 'not-within-days', value: 7 },
      ],
    },
    ['Борис'],
  ],
  ['all without conditions: every active contact', { match: 'all', conditions: [] }, ALL],
  ['any without conditions: every active contact', { match: 'any', conditions: [] }, ALL],
];

describe('the segment compiler', () => {
  let api: TestApi;

  async function namesOf(definition: SegmentDefinition): Promise<string[]> {
    const preview = await previewSegment(api.db, segmentDefinitionSchema.parse(definition), 100);
    expect(await countSegment(api.db, definition)).toBe(preview.count);
    expect(preview.rows).toHaveLength(preview.count);
    return preview.rows.map((row) => row.name).sort();
  }

  beforeAll(async () => {
    api = await startTestApi();
    await insertContactDocs(api.db, [anna, boris, vera, egor, gleb, dina]);
    await insertDeals(api.db, [
      { contactId: anna._id, pipelineId: P1, stageId: 'new', status: 'open' },
      { contactId: boris._id, pipelineId: P1, stageId: 'won', status: 'won' },
      { contactId: egor._id, pipelineId: P2, stageId: 'lost', status: 'lost' },
      { contactId: gleb._id, pipelineId: P1, stageId: 'new', status: 'open' },
    ]);
    await insertConversations(api.db, [
      { contactId: anna._id, lastMessageAt: daysBefore(now, 1) },
      { contactId: boris._id, lastMessageAt: daysBefore(now, 30) },
      { contactId: egor._id, lastMessageAt: daysBefore(now, 20) },
      { contactId: egor._id, lastMessageAt: daysBefore(now, 3) },
      { contactId: dina._id, lastMessageAt: daysBefore(now, 1) },
    ]);
  });
  afterAll(async () => {
    await api?.close();
  });

  it.each(cases)('should answer "%s" with the fixture\'s known contacts', async (_, condition, expected) => {
    expect(await namesOf({ match: 'all', conditions: [condition] })).toEqual(expected);
  });

  it.each(combined)('should combine conditions: %s', async (_, definition, expected) => {
    expect(await namesOf(definition)).toEqual(expected);
  });

  it('should list preview rows in _id order with the channels each contact can be reached on', async () => {
    const preview = await previewSegment(api.db, { match: 'all', conditions: [] }, 2);
    expect(preview.count).toBe(4);
    expect(preview.rows).toEqual([
      {
        id: anna._id.toHexString(),
        name: 'Анна',
        channels: ['telegram', 'whatsapp', 'sms', 'voice', 'phone'],
        tags: ['vip', 'expo'],
      },
      { id: boris._id.toHexString(), name: 'Борис', channels: ['email'], tags: ['expo'] },
    ]);
  });
});
