import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { Document } from 'bson';
import type { Db } from 'mongodb';
import type { FileStore } from '../files/file-store.js';
import { assertFileKey } from '../files/file-key.js';
import { BackupError, ArchiveError } from './backup-error.js';
import { prepareTarget } from './prepare-target.js';
import { walkArchive, type ArchiveContents, type ArchiveVisitor } from './walk-archive.js';

/** Where the archive's files go: the configured file store (local folder or S3 bucket). */
export interface FileTarget {
  store: FileStore;
  description: string;
  /** Empties it first, for --replace (local folder only: a bucket is never emptied by this tool). */
  clear?: () => Promise<void>;
}

export interface RestoreOptions {
  db: Db;
  file: string;
  replace: boolean;
  /** Absent with --no-files. */
  files: FileTarget | undefined;
  say: (line: string) => void;
  /** How often a long collection reports its progress. */
  progressMs?: number;
}

export interface RestoreSummary {
  contents: ArchiveContents;
  collections: { name: string; documents: number; indexes: number; ms: number }[];
  documents: number;
  files: number;
  dropped: { name: string; documents: number }[];
}

const rate = (count: number, ms: number) => Math.round(count / Math.max(ms / 1000, 0.001)).toLocaleString('en');

/**
 * A text index is listed in its stored form, `{ _fts: 'text', _ftsx: 1 }` with the fields in
 * `weights`; createIndexes takes the fields as they were written (mongorestore does the same).
 */
function writtenKey(spec: Document): Document {
  const key = spec.key as Document;
  if (!('_fts' in key)) return key;
  const written: Document = {};
  for (const [field, direction] of Object.entries(key)) {
    if (field === '_fts')
      for (const textField of Object.keys((spec.weights as Document | undefined) ?? {})) written[textField] = 'text';
    else if (field !== '_ftsx') written[field] = direction;
  }
  return written;
}

/** The archive's indexes as createIndexes takes them: `_id_` comes with the collection, `ns` is MongoDB 4.2's. */
function indexSpecs(indexes: Document[]): Document[] {
  return indexes
    .filter((index) => index.name !== '_id_')
    .map(({ ns: _ns, ...spec }) => ({ ...spec, key: writtenKey(spec) }));
}

/**
 * Restores an archive in two passes: the first reads it whole and checks it (a damaged, truncated
 * or foreign archive is refused before anything is written), the second recreates each
 * collection with its indexes, inserts its documents in batches and writes the files. Should the
 * second pass fail, the error says the database is partly restored.
 */
export async function restoreBackup(options: RestoreOptions): Promise<RestoreSummary> {
  const { db, say } = options;
  const contents = await walkArchive(options.file);
  const created = contents.header.createdAt.toISOString();
  say(
    `archive checked: database "${contents.header.database}" of ${created}, ${contents.collections.length} collections, ` +
      `${contents.documents.toLocaleString('en')} documents, ${contents.files} files`,
  );
  const { dropped } = await prepareTarget(
    db,
    contents.collections.map((c) => c.name),
    options.replace,
  );
  if (options.replace && dropped.length > 0) {
    say(`dropped ${dropped.length} collections holding ${dropped.reduce((s, c) => s + c.documents, 0)} documents`);
  }
  if (options.replace && options.files?.clear && contents.header.files) await options.files.clear();

  const summary: RestoreSummary = { contents, collections: [], documents: 0, files: 0, dropped };
  const progressMs = options.progressMs ?? 5000;
  let line = 0;
  let started = 0;
  let done = 0;
  let lastReport = 0;
  let inserting: Promise<unknown> = Promise.resolve();
  let upload: { stream: PassThrough; done: Promise<void> } | undefined;
  const total = (name: string) => contents.collections.find((c) => c.name === name)?.documents ?? 0;

  const visitor: ArchiveVisitor = {
    async collection(record) {
      done = 0;
      started = performance.now();
      lastReport = started;
      await db.command({ create: record.name, ...record.options });
      const specs = record.kind === 'view' ? [] : indexSpecs(record.indexes);
      if (specs.length > 0) await db.command({ createIndexes: record.name, indexes: specs });
    },
    async documents(record, documents) {
      // One batch in the store while the next is parsed.
      await inserting;
      const collection = db.collection(record.name);
      inserting = collection.insertMany(documents, {
        ordered: true,
        bypassDocumentValidation: record.options.validator !== undefined,
      });
      // Awaited before the next batch; marked handled so a failure meanwhile is not an unhandled rejection.
      inserting.catch(() => undefined);
      summary.documents += documents.length;
      done += documents.length;
      const now = performance.now();
      if (now - lastReport >= progressMs) {
        lastReport = now;
        say(
          `  ${record.name}: ${done.toLocaleString('en')} of ${total(record.name).toLocaleString('en')} documents ` +
            `(${rate(done, now - started)}/s)`,
        );
      }
    },
    async endCollection(record, documents) {
      await inserting;
      const ms = performance.now() - started;
      const indexes = record.kind === 'view' ? 0 : record.indexes.length;
      summary.collections.push({ name: record.name, documents, indexes, ms });
      say(
        `  ${record.name}: ${documents.toLocaleString('en')} documents, ${indexes} indexes ` +
          `(${(ms / 1000).toFixed(1)} s, ${rate(documents, ms)}/s)`,
      );
    },
    async fileStart(path) {
      if (!options.files) return;
      const stream = new PassThrough({ highWaterMark: 1024 * 1024 });
      upload = { stream, done: options.files.store.put(assertFileKey(path), stream) };
      // A failed put is reported by fileEnd; until then the stream must not hold an unhandled rejection.
      upload.done.catch(() => stream.destroy());
    },
    async fileChunk(data) {
      if (!upload || upload.stream.destroyed) return;
      if (!upload.stream.write(data)) await Promise.race([once(upload.stream, 'drain'), upload.done]);
    },
    async fileEnd() {
      if (!upload) return;
      upload.stream.end();
      await upload.done;
      upload = undefined;
      summary.files++;
    },
  };

  try {
    await walkArchive(options.file, visitor, { decodeDocuments: true, onLine: (n) => (line = n) });
  } catch (error) {
    upload?.stream.destroy();
    await inserting.catch(() => undefined);
    const reason = error instanceof ArchiveError ? error.message : (error as Error).message;
    throw new BackupError(
      'RESTORE_INCOMPLETE',
      `The restore stopped at line ${line} of ${options.file}: ${reason}\n` +
        `The database "${db.databaseName}" is PARTLY restored (${summary.collections.length} of ` +
        `${contents.collections.length} collections complete). Fix the cause and run the restore again with --replace.`,
    );
  }
  return summary;
}
