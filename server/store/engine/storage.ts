import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { deserialize, serialize, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { Collection, type CollectionInfo } from './collection.js';
import { Checkpointer } from './checkpointer.js';
import { DataDirLock } from './data-dir-lock.js';
import { ID_INDEX_NAME, IndexHandle, type IndexSpec } from './index-handle.js';
import { createMetrics, type StoreMetrics } from './metrics.js';

/** Address space for reading the database file by memory map (what is used is the OS page cache). */
const MMAP_BYTES = 64 * 1024 ** 3;

export interface StorageOptions {
  /** Folder for the SQLite files; ':memory:' keeps everything in RAM (tests of the store itself). */
  dataDir: string;
  /** SQLite page cache per connection, in MiB. */
  cacheMiB?: number;
}

/** Names MongoDB rejects for a collection. */
function assertValidCollectionName(db: string, name: string): void {
  if (
    typeof name !== 'string' ||
    name.length === 0 ||
    name.includes('\0') ||
    name.startsWith('.') ||
    name.includes('$')
  ) {
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid collection name: ${db}.${String(name)}`);
  }
}

function assertValidDbName(db: string): void {
  if (!db || /[/\\. "$\0]/.test(db))
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid database name: '${db}'`);
}

/**
 * The catalog of databases, collections and indexes over one SQLite database in WAL mode:
 * a committed transaction survives a kill -9 of the process (WAL is written before commit
 * returns; synchronous=NORMAL skips only the fsync that protects against power loss).
 */
export class Storage {
  readonly db: Database.Database;
  readonly metrics: StoreMetrics = createMetrics();
  private readonly collections = new Map<string, Collection>();
  private readonly checkpointer: Checkpointer | undefined;
  private readonly lock: DataDirLock | undefined;

  constructor(options: StorageOptions) {
    const file = options.dataDir === ':memory:' ? ':memory:' : join(options.dataDir, 'store.sqlite');
    if (options.dataDir !== ':memory:') {
      mkdirSync(options.dataDir, { recursive: true });
      this.lock = DataDirLock.acquire(options.dataDir);
    }
    let opened: Database.Database | undefined;
    try {
      opened = new Database(file);
      this.db = opened;
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma(`cache_size = -${(options.cacheMiB ?? 64) * 1024}`);
      this.db.pragma('temp_store = MEMORY');
      // Reads map the file instead of copying each page through a read call into the cache
      // (paging through 100,000 report events: about a third faster here).
      this.db.pragma(`mmap_size = ${MMAP_BYTES}`);
      // The WAL is copied into the database by a worker (see Checkpointer); cap what it keeps.
      this.db.pragma('journal_size_limit = 67108864');
      if (file !== ':memory:') {
        this.db.pragma('wal_autocheckpoint = 0');
        this.checkpointer = new Checkpointer(file);
      }
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS meta_collections (
          ns TEXT PRIMARY KEY, db TEXT NOT NULL, name TEXT NOT NULL,
          table_id INTEGER NOT NULL, options BLOB NOT NULL, uuid BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS meta_indexes (
          ns TEXT NOT NULL, name TEXT NOT NULL, table_name TEXT NOT NULL,
          spec BLOB NOT NULL, multikey INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (ns, name));
        CREATE TABLE IF NOT EXISTS meta_counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
      `);
      this.loadCatalog();
    } catch (error) {
      // No store holds the folder after a failed open: give the lock back.
      if (opened?.open) opened.close();
      this.lock?.release();
      throw error;
    }
  }

  private loadCatalog(): void {
    const rows = this.db.prepare('SELECT * FROM meta_collections').all() as {
      ns: string;
      db: string;
      name: string;
      table_id: number;
      options: Buffer;
      uuid: Buffer;
    }[];
    const indexRows = this.db.prepare('SELECT * FROM meta_indexes ORDER BY rowid').all() as {
      ns: string;
      table_name: string;
      spec: Buffer;
      multikey: number;
    }[];
    for (const row of rows) {
      const info: CollectionInfo = {
        ns: row.ns,
        db: row.db,
        name: row.name,
        tableId: row.table_id,
        options: deserialize(row.options),
        uuid: row.uuid,
      };
      const indexes = indexRows
        .filter((ix) => ix.ns === row.ns)
        .map((ix) => ({ spec: deserialize(ix.spec) as IndexSpec, table: ix.table_name, multikey: ix.multikey === 1 }));
      this.collections.set(row.ns, this.openCollection(info, indexes));
    }
  }

  private openCollection(
    info: CollectionInfo,
    indexes: { spec: IndexSpec; table: string; multikey: boolean }[],
  ): Collection {
    return new Collection(this.db, info, indexes, this.metrics, (index) =>
      this.db.prepare('UPDATE meta_indexes SET multikey = 1 WHERE ns = ? AND name = ?').run(info.ns, index.name),
    );
  }

  private nextTableId(): number {
    this.db
      .prepare(
        `INSERT INTO meta_counters (name, value) VALUES ('table', 1)
      ON CONFLICT(name) DO UPDATE SET value = value + 1`,
      )
      .run();
    return (this.db.prepare(`SELECT value FROM meta_counters WHERE name = 'table'`).get() as { value: number }).value;
  }

  private transactionStatements:
    { begin: Database.Statement; commit: Database.Statement; rollback: Database.Statement } | undefined;

  /**
   * Runs `fn` in one SQLite transaction (joining the current one when nested). better-sqlite3's
   * db.transaction() builds four wrapper functions per call, which showed in every write's profile.
   */
  transaction<T>(fn: () => T): T {
    if (this.db.inTransaction) return fn();
    this.transactionStatements ??= {
      begin: this.db.prepare('BEGIN'),
      commit: this.db.prepare('COMMIT'),
      rollback: this.db.prepare('ROLLBACK'),
    };
    const { begin, commit, rollback } = this.transactionStatements;
    begin.run();
    try {
      const result = fn();
      commit.run();
      return result;
    } catch (error) {
      if (this.db.inTransaction) rollback.run();
      throw error;
    }
  }

  get(db: string, name: string): Collection | undefined {
    return this.collections.get(`${db}.${name}`);
  }

  /** Finds a collection, creating it as MongoDB does on first write. */
  getOrCreate(db: string, name: string): Collection {
    return this.get(db, name) ?? this.createCollection(db, name, {});
  }

  createCollection(db: string, name: string, options: Document): Collection {
    assertValidDbName(db);
    assertValidCollectionName(db, name);
    const ns = `${db}.${name}`;
    if (this.collections.has(ns))
      throw new CommandError(ErrorCodes.NamespaceExists, `Collection ${ns} already exists.`);
    return this.transaction(() => {
      const tableId = this.nextTableId();
      const info: CollectionInfo = { ns, db, name, tableId, options, uuid: randomBytes(16) };
      this.db.exec(`CREATE TABLE c_${tableId} (rid INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE, doc BLOB NOT NULL)`);
      this.db
        .prepare('INSERT INTO meta_collections (ns, db, name, table_id, options, uuid) VALUES (?, ?, ?, ?, ?, ?)')
        .run(ns, db, name, tableId, serialize(options), info.uuid);
      const collection = this.openCollection(info, []);
      this.collections.set(ns, collection);
      return collection;
    });
  }

  dropCollection(db: string, name: string): Collection | undefined {
    const collection = this.get(db, name);
    if (!collection) return undefined;
    this.transaction(() => {
      for (const index of collection.secondaryIndexes()) this.db.exec(`DROP TABLE IF EXISTS ${index.table}`);
      this.db.exec(`DROP TABLE IF EXISTS ${collection.docTable}`);
      this.db.prepare('DELETE FROM meta_indexes WHERE ns = ?').run(collection.ns);
      this.db.prepare('DELETE FROM meta_collections WHERE ns = ?').run(collection.ns);
    });
    this.collections.delete(collection.ns);
    return collection;
  }

  renameCollection(from: Collection, toDb: string, toName: string): void {
    assertValidCollectionName(toDb, toName);
    const ns = `${toDb}.${toName}`;
    this.transaction(() => {
      this.db
        .prepare('UPDATE meta_collections SET ns = ?, db = ?, name = ? WHERE ns = ?')
        .run(ns, toDb, toName, from.ns);
      this.db.prepare('UPDATE meta_indexes SET ns = ? WHERE ns = ?').run(ns, from.ns);
    });
    this.collections.delete(from.ns);
    const indexes = from.secondaryIndexes().map((ix) => ({ spec: ix.spec, table: ix.table!, multikey: ix.multikey }));
    this.collections.set(ns, this.openCollection({ ...from.info, ns, db: toDb, name: toName }, indexes));
  }

  listCollections(db: string): Collection[] {
    return [...this.collections.values()].filter((c) => c.info.db === db);
  }

  listDatabases(): string[] {
    return [...new Set([...this.collections.values()].map((c) => c.info.db))].sort();
  }

  createIndex(collection: Collection, spec: IndexSpec): void {
    if (spec.name === ID_INDEX_NAME) return;
    const handle = this.transaction(() => {
      const table = `x_${this.nextTableId()}`;
      const built = new IndexHandle(spec, table, false);
      this.db.exec(`CREATE TABLE ${table} (k BLOB NOT NULL, rid INTEGER NOT NULL, PRIMARY KEY (k, rid)) WITHOUT ROWID`);
      collection.buildIndex(built);
      this.db
        .prepare('INSERT INTO meta_indexes (ns, name, table_name, spec, multikey) VALUES (?, ?, ?, ?, ?)')
        .run(collection.ns, spec.name, table, serialize(spec), built.multikey ? 1 : 0);
      return built;
    });
    collection.addIndex(handle);
  }

  dropIndex(collection: Collection, name: string): void {
    const index = collection.index(name);
    if (!index?.table) return;
    this.transaction(() => {
      this.db.exec(`DROP TABLE IF EXISTS ${index.table}`);
      this.db.prepare('DELETE FROM meta_indexes WHERE ns = ? AND name = ?').run(collection.ns, name);
    });
    collection.removeIndex(name);
  }

  /**
   * Copies the write-ahead log into the database file and syncs it (MongoDB's `fsync`). The
   * background checkpointer may hold the log for a moment (SQLite then answers busy instead of
   * truncating), so this tries again briefly until the log is empty.
   */
  flushToDisk(): void {
    for (let attempt = 0; attempt < 200; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (!result || result.busy === 0) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    await this.checkpointer?.stop();
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.db.close();
    this.lock?.release();
  }
}
