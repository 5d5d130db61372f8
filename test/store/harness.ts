import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll } from 'vitest';
import { StoreServer } from '../../server/store/index.js';

/**
 * A database for one test file: the embedded store in a temporary folder, or, when
 * MONGODB_URI is set, a fresh database on that real MongoDB, so the same suite shows
 * any difference between the two.
 */
export interface TestDatabase {
  /** Connection string without a database name. */
  uri: string;
  dbName: string;
  client: MongoClient;
  db: Db;
  /** The embedded server, absent when running against a real MongoDB. */
  store: StoreServer | undefined;
  close(): Promise<void>;
}

export const againstRealMongo = Boolean(process.env.MONGODB_URI);

export async function openTestDatabase(): Promise<TestDatabase> {
  const dbName = `test_${randomBytes(4).toString('hex')}`;
  let store: StoreServer | undefined;
  let dataDir: string | undefined;
  let uri = process.env.MONGODB_URI;
  if (!uri) {
    dataDir = mkdtempSync(join(tmpdir(), 'store-test-'));
    store = await StoreServer.start({ dataDir });
    uri = store.uri;
  }
  const client = await MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000 });
  const db = client.db(dbName);
  return {
    uri,
    dbName,
    client,
    db,
    store,
    async close() {
      if (!store) await db.dropDatabase();
      await client.close();
      await store?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** MongoDB's own counters of index keys and documents examined (serverStatus.metrics.queryExecutor). */
export async function examined(db: Db): Promise<{ keys: number; docs: number }> {
  const status = await db.admin().command({ serverStatus: 1 });
  const qe = status.metrics.queryExecutor as { scanned: number; scannedObjects: number };
  return { keys: Number(qe.scanned), docs: Number(qe.scannedObjects) };
}

/** Opens a test database before the file's tests and closes it after them. */
export function useTestDatabase(): TestDatabase {
  let opened: TestDatabase | undefined;
  beforeAll(async () => {
    opened = await openTestDatabase();
  });
  afterAll(async () => {
    await opened?.close();
  });
  const current = (): TestDatabase => {
    if (!opened) throw new Error('the test database is opened in beforeAll: use it inside tests');
    return opened;
  };
  return {
    get uri() {
      return current().uri;
    },
    get dbName() {
      return current().dbName;
    },
    get client() {
      return current().client;
    },
    get db() {
      return current().db;
    },
    get store() {
      return current().store;
    },
    close: () => current().close(),
  };
}
