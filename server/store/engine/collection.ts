import type Database from 'better-sqlite3';
import { deserialize, type Document } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';
import { duplicateKeyError } from './duplicate-key.js';
import { ID_INDEX_NAME, IndexHandle, type IndexSpec } from './index-handle.js';
import type { IndexKey } from './index-keys.js';
import { encodeKey } from './key-encoding.js';
import { changedTopLevelFields } from './raw-document.js';
import type { StoreMetrics } from './metrics.js';

export interface CollectionInfo {
  ns: string;
  db: string;
  name: string;
  tableId: number;
  options: Document;
  uuid: Uint8Array;
}

/** A stored document as scans yield it. */
export interface StoredDoc {
  rid: number;
  bytes: Buffer;
}

export interface ScanRow extends StoredDoc {
  key: Buffer;
}

type Statement = Database.Statement;

interface IndexStatements {
  holder: Statement;
  insert: Statement;
  remove: Statement;
}

const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: ID_INDEX_NAME };

export function decodeDocument(bytes: Uint8Array): Record<string, unknown> {
  return deserialize(bytes, { promoteLongs: true, promoteValues: true });
}

/**
 * One collection: documents in `c_<id>` (rowid, order-preserving `_id` key, BSON) and each
 * secondary index in `x_<id>` (key bytes, rowid). All writes keep documents and index entries
 * consistent inside the caller's SQLite transaction.
 */
export class Collection {
  readonly docTable: string;
  readonly idIndex: IndexHandle;
  private readonly secondary = new Map<string, IndexHandle>();
  private readonly statements = new Map<string, Statement>();
  private readonly perIndex = new WeakMap<IndexHandle, IndexStatements>();

  constructor(
    private readonly db: Database.Database,
    readonly info: CollectionInfo,
    indexes: { spec: IndexSpec; table: string; multikey: boolean }[],
    private readonly metrics: StoreMetrics,
    private readonly persistMultikey: (index: IndexHandle) => void,
  ) {
    this.docTable = `c_${info.tableId}`;
    this.idIndex = new IndexHandle(ID_INDEX_SPEC, undefined, false);
    for (const ix of indexes) this.secondary.set(ix.spec.name, new IndexHandle(ix.spec, ix.table, ix.multikey));
  }

  get ns(): string {
    return this.info.ns;
  }

  get indexes(): IndexHandle[] {
    return [this.idIndex, ...this.secondary.values()];
  }

  secondaryIndexes(): IndexHandle[] {
    return [...this.secondary.values()];
  }

  index(name: string): IndexHandle | undefined {
    return name === ID_INDEX_NAME ? this.idIndex : this.secondary.get(name);
  }

  /**
   * Top-level fields that index keys read (undefined: a partial filter may read any field),
   * so inserts decode only those.
   */
  fieldsNeededForKeys(): ReadonlySet<string> | undefined {
    if (this.secondaryIndexes().some((ix) => ix.partial)) return undefined;
    return new Set(['_id', ...this.secondaryIndexes().flatMap((ix) => ix.fields.map((f) => f.path.split('.')[0]!))]);
  }

  addIndex(handle: IndexHandle): void {
    this.secondary.set(handle.name, handle);
    this.statements.clear();
  }

  removeIndex(name: string): void {
    this.secondary.delete(name);
    this.statements.clear();
  }

  stmt(key: string, sql: () => string): Statement {
    let statement = this.statements.get(key);
    if (!statement) {
      statement = this.db.prepare(sql());
      this.statements.set(key, statement);
    }
    return statement;
  }

  count(): number {
    const row = this.stmt('count', () => `SELECT count(*) AS n FROM ${this.docTable}`).get() as { n: number };
    return row.n;
  }

  dataSize(): number {
    const row = this.stmt('size', () => `SELECT coalesce(sum(length(doc)), 0) AS n FROM ${this.docTable}`).get() as {
      n: number;
    };
    return row.n;
  }

  getByRid(rid: number): Buffer | undefined {
    const row = this.stmt('getByRid', () => `SELECT doc FROM ${this.docTable} WHERE rid = ?`).get(rid) as
      { doc: Buffer } | undefined;
    return row?.doc;
  }

  private keysFor(
    doc: Record<string, unknown>,
    wanted: (index: IndexHandle) => boolean = () => true,
  ): Map<IndexHandle, IndexKey[]> {
    const result = new Map<IndexHandle, IndexKey[]>();
    for (const index of this.secondary.values()) {
      if (!wanted(index)) continue;
      const { keys, multikey } = index.keysOf(doc);
      if (multikey && !index.multikey) {
        index.multikey = true;
        this.persistMultikey(index);
      }
      result.set(index, keys);
    }
    return result;
  }

  /** Prepared statements of one secondary index, made once per index handle. */
  private indexStatements(index: IndexHandle): IndexStatements {
    let statements = this.perIndex.get(index);
    if (!statements) {
      statements = {
        holder: this.db.prepare(`SELECT rid FROM ${index.table} WHERE k = ? AND rid != ? LIMIT 1`),
        insert: this.db.prepare(`INSERT OR IGNORE INTO ${index.table} (k, rid) VALUES (?, ?)`),
        remove: this.db.prepare(`DELETE FROM ${index.table} WHERE k = ? AND rid = ?`),
      };
      this.perIndex.set(index, statements);
    }
    return statements;
  }

  private ridHoldingKey(index: IndexHandle, key: Buffer, exceptRid: number): number | undefined {
    const row = this.indexStatements(index).holder.get(key, exceptRid) as { rid: number } | undefined;
    return row?.rid;
  }

  private assertUnique(keys: Map<IndexHandle, IndexKey[]>, exceptRid: number): void {
    for (const [index, indexKeys] of keys) {
      if (!index.unique) continue;
      for (const key of indexKeys) {
        if (this.ridHoldingKey(index, key.bytes, exceptRid) !== undefined) {
          throw duplicateKeyError(this.ns, index, key.values);
        }
      }
    }
  }

  private insertKeys(index: IndexHandle, keys: IndexKey[], rid: number): void {
    const { insert } = this.indexStatements(index);
    for (const key of keys) insert.run(key.bytes, rid);
  }

  private deleteKeys(index: IndexHandle, keys: IndexKey[], rid: number): void {
    const { remove } = this.indexStatements(index);
    for (const key of keys) remove.run(key.bytes, rid);
  }

  /** Inserts a document whose `_id` is set; a unique violation throws and leaves nothing behind. */
  insert(doc: Record<string, unknown>, bytes: Uint8Array): number {
    if (doc._id === undefined) throw new CommandError(ErrorCodes.InternalError, 'document without _id reached storage');
    if (Array.isArray(doc._id)) {
      throw new CommandError(ErrorCodes.InvalidIdField, `The '_id' value cannot be of type array`);
    }
    const idKey = encodeKey(doc._id);
    const keys = this.keysFor(doc);
    let rid: number;
    try {
      rid = Number(
        this.stmt('insert', () => `INSERT INTO ${this.docTable} (id, doc) VALUES (?, ?)`).run(idKey, bytes)
          .lastInsertRowid,
      );
    } catch (error) {
      // The documents table's UNIQUE id is the _id index: MongoDB reports it before other indexes.
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw duplicateKeyError(this.ns, this.idIndex, [doc._id]);
      throw error;
    }
    try {
      this.assertUnique(keys, rid);
    } catch (error) {
      this.stmt('delete', () => `DELETE FROM ${this.docTable} WHERE rid = ?`).run(rid);
      throw error;
    }
    for (const [index, indexKeys] of keys) this.insertKeys(index, indexKeys, rid);
    this.metrics.document.inserted++;
    return rid;
  }

  /**
   * Replaces a stored document (same `_id`), moving only the index entries that changed; an index
   * none of whose fields changed (a message's status, not its text) is not even read.
   */
  replace(
    rid: number,
    old: { doc: Record<string, unknown>; bytes: Uint8Array },
    newDoc: Record<string, unknown>,
    bytes: Uint8Array,
  ): void {
    const changed = changedTopLevelFields(old.bytes, bytes);
    const touched = (index: IndexHandle) =>
      index.readsTopLevel === undefined || index.readsTopLevel.some((field) => changed.has(field));
    const oldKeys = this.keysFor(old.doc, touched);
    const newKeys = this.keysFor(newDoc, touched);
    this.assertUnique(newKeys, rid);
    for (const [index, keys] of newKeys) {
      const before = new Set(oldKeys.get(index)!.map((k) => k.bytes.toString('latin1')));
      const after = new Set(keys.map((k) => k.bytes.toString('latin1')));
      this.deleteKeys(
        index,
        oldKeys.get(index)!.filter((k) => !after.has(k.bytes.toString('latin1'))),
        rid,
      );
      this.insertKeys(
        index,
        keys.filter((k) => !before.has(k.bytes.toString('latin1'))),
        rid,
      );
    }
    this.stmt('update', () => `UPDATE ${this.docTable} SET doc = ? WHERE rid = ?`).run(bytes, rid);
    this.metrics.document.updated++;
  }

  remove(rid: number, doc: Record<string, unknown>): void {
    for (const [index, keys] of this.keysFor(doc)) this.deleteKeys(index, keys, rid);
    this.stmt('delete', () => `DELETE FROM ${this.docTable} WHERE rid = ?`).run(rid);
    this.metrics.document.deleted++;
  }

  /** Documents in insertion order after `afterRid`, a page at a time (keyset pagination). */
  pageByRid(afterRid: number, limit: number, descending = false): StoredDoc[] {
    // LIMIT is written into the SQL: a bound LIMIT parameter makes SQLite's point reads ~3x slower.
    const sql = descending
      ? `SELECT rid, doc AS bytes FROM ${this.docTable} WHERE rid < ? ORDER BY rid DESC LIMIT ${limit}`
      : `SELECT rid, doc AS bytes FROM ${this.docTable} WHERE rid > ? ORDER BY rid LIMIT ${limit}`;
    return this.stmt(`page:${descending}:${limit}`, () => sql).all(afterRid) as StoredDoc[];
  }

  /** Fills a new index from the stored documents; throws on duplicates or parallel arrays. */
  buildIndex(index: IndexHandle): void {
    const insert = this.db.prepare(`INSERT OR IGNORE INTO ${index.table} (k, rid) VALUES (?, ?)`);
    const holder = this.db.prepare(`SELECT rid FROM ${index.table} WHERE k = ? AND rid != ? LIMIT 1`);
    let afterRid = 0;
    for (;;) {
      const page = this.pageByRid(afterRid, 1000);
      if (page.length === 0) return;
      for (const row of page) {
        const { keys, multikey } = index.keysOf(decodeDocument(row.bytes));
        if (multikey) index.multikey = true;
        for (const key of keys) {
          if (index.unique && holder.get(key.bytes, row.rid)) throw duplicateKeyError(this.ns, index, key.values);
          insert.run(key.bytes, row.rid);
        }
      }
      afterRid = page[page.length - 1]!.rid;
    }
  }
}
