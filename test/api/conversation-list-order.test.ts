import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationModel } from '../../server/messaging/conversation-model.js';
import { startTestApi, type ApiClient, type TestApi } from './api-harness.js';
import { newMember, newTeamWithChannel } from './inbox-fixture.js';

interface Row {
  id: string;
  lastMessageAt: string;
}

/** Every page of a list, following `nextCursor`. */
async function allPages(client: ApiClient, query: string): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | undefined;
  do {
    const page = await client.get(`/conversations?${query}&limit=3${cursor ? `&cursor=${cursor}` : ''}`);
    expect(page.status).toBe(200);
    rows.push(...page.body.items);
    cursor = page.body.nextCursor;
  } while (cursor);
  return rows;
}

const listOrder = (a: Row, b: Row) =>
  a.lastMessageAt === b.lastMessageAt ? (a.id < b.id ? 1 : -1) : a.lastMessageAt < b.lastMessageAt ? 1 : -1;

describe('conversation list order', () => {
  let api: TestApi;
  let manager: ApiClient;

  beforeAll(async () => {
    api = await startTestApi();
    manager = await api.as('manager');
  });
  afterAll(async () => {
    await api?.close();
  });

  /** Conversations of a new team written directly, with last activity times that tie in places. */
  async function seed(times: string[]) {
    const { teamId, channelId } = await newTeamWithChannel(api);
    const docs = times.map((at) => ({
      _id: new Types.ObjectId(),
      contactId: new Types.ObjectId(),
      channel: 'webchat',
      channelAccountId: new Types.ObjectId(channelId),
      chatId: `visitor-${randomBytes(6).toString('hex')}`,
      teamIds: [new Types.ObjectId(teamId)],
      lastMessageAt: new Date(at),
    }));
    await conversationModel(api.db).insertMany(docs);
    return { teamId, ids: docs.map((doc) => doc._id.toHexString()) };
  }

  it('should page by last activity, newest first, ties by id, each conversation once', async () => {
    // Created oldest activity first, so the `_id` order is the reverse of the activity order.
    const { teamId, ids } = await seed([
      '2026-11-20T10:00:00Z',
      '2026-11-26T09:00:00Z',
      '2026-11-22T10:00:00Z',
      '2026-11-22T10:00:00Z',
      '2026-11-22T10:00:00Z',
      '2026-11-25T10:00:00Z',
      '2026-11-21T10:00:00Z',
    ]);
    const rows = await allPages(manager, `teamId=${teamId}`);
    expect(rows.map((row) => row.id)).toEqual([...rows].sort(listOrder).map((row) => row.id));
    expect(rows.map((row) => row.id).sort()).toEqual([...ids].sort());
    expect(rows[0]!.id).toBe(ids[1]);
    // The three of the same instant: the latest `_id` first, across the page boundary.
    expect(rows.slice(2, 5).map((row) => row.id)).toEqual([ids[4], ids[3], ids[2]]);
  });

  it('should keep the cursor stable when a conversation gets new activity between two pages', async () => {
    const { teamId, ids } = await seed([
      '2026-11-26T10:06:00Z',
      '2026-11-26T10:05:00Z',
      '2026-11-26T10:04:00Z',
      '2026-11-26T10:03:00Z',
      '2026-11-26T10:02:00Z',
      '2026-11-26T10:01:00Z',
    ]);
    const first = await manager.get(`/conversations?teamId=${teamId}&limit=3`);
    expect(first.body.items.map((row: Row) => row.id)).toEqual(ids.slice(0, 3));
    // The oldest one gets a message: it moves to the top, where the next read of the list finds it.
    await conversationModel(api.db).updateOne({ _id: ids[5] }, { lastMessageAt: new Date('2026-11-26T11:00:00Z') });
    const second = await manager.get(`/conversations?teamId=${teamId}&limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.items.map((row: Row) => row.id)).toEqual(ids.slice(3, 5));
    expect(second.body.nextCursor).toBeUndefined();
    const fresh = await manager.get(`/conversations?teamId=${teamId}&limit=1`);
    expect(fresh.body.items[0].id).toBe(ids[5]);
  });

  it('should order an operator’s list, narrowed by their scope, the same way', async () => {
    const { teamId, ids } = await seed(['2026-11-24T10:00:00Z', '2026-11-26T10:00:00Z', '2026-11-25T10:00:00Z']);
    const operator = await newMember(api, 'operator', [teamId]);
    const rows = await allPages(operator, 'status=open');
    expect(rows.map((row) => row.id)).toEqual([ids[1], ids[2], ids[0]]);
  });

  it('should refuse a cursor it did not give out', async () => {
    const bad = Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url');
    expect((await manager.get(`/conversations?cursor=${bad}`)).status).toBe(400);
    expect((await manager.get('/conversations?cursor=%%%')).status).toBe(400);
  });

  it('should keep an index on the list’s sort keys', async () => {
    const indexes = await conversationModel(api.db).listIndexes();
    const keys = indexes.map((index) => JSON.stringify(index.key));
    expect(keys).toContain(JSON.stringify({ lastMessageAt: -1, _id: -1 }));
    expect(keys).toContain(JSON.stringify({ status: 1, lastMessageAt: -1, _id: -1 }));
  });
});
