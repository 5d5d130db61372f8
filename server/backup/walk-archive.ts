import { createHash, type Hash } from 'node:crypto';
import type { Document } from 'bson';
import { DOCUMENT_LINE_PREFIX, type CollectionRecord, type HeaderRecord } from './archive-records.js';
import { ArchiveError } from './backup-error.js';
import { parseDocument, parseHeader, parseRecord } from './parse-archive-line.js';
import { readArchiveLines } from './read-archive-lines.js';

/** What a restore does with each part of the archive; the walker has checked it before the call. */
export interface ArchiveVisitor {
  collection?(record: CollectionRecord): Promise<void>;
  /** A batch of one collection's documents, in archive order. */
  documents?(collection: CollectionRecord, documents: Document[]): Promise<void>;
  endCollection?(collection: CollectionRecord, documents: number): Promise<void>;
  files?(): Promise<void>;
  fileStart?(path: string, size: number): Promise<void>;
  fileChunk?(data: Buffer): Promise<void>;
  fileEnd?(path: string): Promise<void>;
}

export interface ArchiveContents {
  header: HeaderRecord;
  collections: { name: string; kind: string; documents: number; indexes: number }[];
  documents: number;
  files: number;
  fileBytes: number;
  lines: number;
}

export interface WalkOptions {
  /** Build BSON values from document lines (a restore); a check only needs them to be JSON objects. */
  decodeDocuments: boolean;
  /** Documents per `documents` call, and the text size that closes a batch early. */
  batchDocuments?: number;
  batchChars?: number;
  /** Told the line reached, for an error raised outside the walker (a failed insert). */
  onLine?: (line: number) => void;
}

type State =
  | { at: 'start' }
  | { at: 'collections'; next: number }
  | { at: 'collection'; record: CollectionRecord; documents: number }
  | { at: 'files'; count: number }
  | { at: 'file'; path: string; size: number; read: number; hash: Hash }
  | { at: 'after-files' }
  | { at: 'done' };

/**
 * Reads an archive start to end and checks it against its grammar (see archive-records.ts): the
 * header first, the sections in the order the header lists them, each count and file checksum, the
 * closing totals. Anything else stops the walk with an ArchiveError naming the line, so a restore
 * that first walks with no visitor refuses a damaged or foreign archive before writing anything.
 */
export async function walkArchive(
  file: string,
  visitor: ArchiveVisitor = {},
  options: WalkOptions = { decodeDocuments: false },
): Promise<ArchiveContents> {
  const batchDocuments = options.batchDocuments ?? 1000;
  const batchChars = options.batchChars ?? 8 * 1024 * 1024;
  let state: State = { at: 'start' };
  let header: HeaderRecord | undefined;
  const contents: Omit<ArchiveContents, 'header'> = { collections: [], documents: 0, files: 0, fileBytes: 0, lines: 0 };
  let batch: Document[] = [];
  let batchSize = 0;
  let line = 0;
  const fail = (problem: string): never => {
    throw new ArchiveError(file, line, problem);
  };
  const flush = async (collection: CollectionRecord) => {
    if (batch.length === 0) return;
    const documents = batch;
    batch = [];
    batchSize = 0;
    await visitor.documents?.(collection, documents);
  };

  for await (const next of readArchiveLines(file)) {
    line = next.line;
    options.onLine?.(line);
    const text = next.text;
    // Read to the very end even so: gzip checks its checksum of everything only there.
    if (state.at === 'done') fail('text after the closing record');
    if (state.at === 'start') {
      header = parseHeader(text, fail);
      state = { at: 'collections', next: 0 };
      continue;
    }
    if (state.at === 'collection' && text.startsWith(DOCUMENT_LINE_PREFIX)) {
      batch.push(parseDocument(text, options.decodeDocuments, fail));
      batchSize += text.length;
      state.documents++;
      if (batch.length >= batchDocuments || batchSize >= batchChars) await flush(state.record);
      continue;
    }
    const record = parseRecord(text, fail);
    switch (record.type) {
      case 'collection': {
        if (state.at !== 'collections') return fail(`a collection section cannot start here (${describe(state)})`);
        const expected = header!.collections[state.next];
        if (record.name !== expected) {
          return fail(`collection "${record.name}" where the header lists "${expected ?? 'no more collections'}"`);
        }
        await visitor.collection?.(record);
        state = { at: 'collection', record, documents: 0 };
        break;
      }
      case 'end-collection': {
        if (state.at !== 'collection' || record.name !== state.record.name) {
          return fail(`end of collection "${record.name}" out of place (${describe(state)})`);
        }
        if (record.documents !== state.documents) {
          return fail(
            `collection "${record.name}" should have ${record.documents} documents, ${state.documents} were read`,
          );
        }
        await flush(state.record);
        await visitor.endCollection?.(state.record, state.documents);
        contents.collections.push({
          name: record.name,
          kind: state.record.kind,
          documents: state.documents,
          indexes: state.record.indexes.length,
        });
        contents.documents += state.documents;
        const done = contents.collections.length;
        state = { at: 'collections', next: done };
        break;
      }
      case 'files': {
        if (state.at !== 'collections' || !header!.files)
          return fail(`a files section cannot start here (${describe(state)})`);
        if (state.next !== header!.collections.length)
          return fail(`collection "${header!.collections[state.next]}" is missing`);
        await visitor.files?.();
        state = { at: 'files', count: 0 };
        break;
      }
      case 'file': {
        if (state.at !== 'files') return fail(`a file cannot start here (${describe(state)})`);
        await visitor.fileStart?.(record.path, record.size);
        state = { at: 'file', path: record.path, size: record.size, read: 0, hash: createHash('sha256') };
        break;
      }
      case 'file-chunk': {
        if (state.at !== 'file') return fail(`file data out of place (${describe(state)})`);
        const data = Buffer.from(record.data.buffer);
        state.read += data.length;
        if (state.read > state.size) return fail(`file "${state.path}" holds more than its ${state.size} bytes`);
        state.hash.update(data);
        await visitor.fileChunk?.(data);
        break;
      }
      case 'end-file': {
        if (state.at !== 'file' || record.path !== state.path) return fail(`end of file "${record.path}" out of place`);
        if (state.read !== state.size || record.size !== state.size) {
          return fail(`file "${state.path}" should have ${state.size} bytes, ${state.read} were read`);
        }
        if (state.hash.digest('hex') !== record.sha256) return fail(`file "${state.path}" does not match its checksum`);
        await visitor.fileEnd?.(state.path);
        contents.files++;
        contents.fileBytes += state.size;
        state = { at: 'files', count: contents.files };
        break;
      }
      case 'end-files': {
        if (state.at !== 'files' || record.files !== state.count)
          return fail(`end of files out of place or miscounted`);
        state = { at: 'after-files' };
        break;
      }
      case 'end': {
        const complete =
          (state.at === 'collections' && !header!.files && state.next === header!.collections.length) ||
          state.at === 'after-files';
        if (!complete) return fail(`the archive ends early (${describe(state)})`);
        if (
          record.collections !== contents.collections.length ||
          record.documents !== contents.documents ||
          record.files !== contents.files
        ) {
          return fail('the totals at the end do not match what the archive holds');
        }
        state = { at: 'done' };
        break;
      }
      case 'document':
        return fail(`a document outside any collection section (${describe(state)})`);
      case 'header':
        return fail('a second header');
    }
  }
  if (state.at !== 'done') {
    line++;
    fail(`the archive ends without its closing record: it is truncated (${describe(state)})`);
  }
  contents.lines = line;
  return { header: header!, ...contents };
}

function describe(state: State): string {
  switch (state.at) {
    case 'start':
      return 'before the header';
    case 'collections':
      return `after ${state.next} collection sections`;
    case 'collection':
      return `inside collection "${state.record.name}" after ${state.documents} documents`;
    case 'files':
      return `in the files section after ${state.count} files`;
    case 'file':
      return `inside file "${state.path}" after ${state.read} of ${state.size} bytes`;
    case 'after-files':
      return 'after the files section';
    case 'done':
      return 'after the end';
  }
}
