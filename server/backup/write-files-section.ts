import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Binary } from 'bson';
import type { ArchiveWriter } from './archive-writer.js';

/** 192 KiB of file per line: 256 KiB of base64, small next to gzip's and the reader's buffers. */
const CHUNK_BYTES = 192 * 1024;
const SHARD = /^[0-9a-f]{2}$/;
const FILE_ID = /^[0-9a-f]{24}$/;

export interface FilesSection {
  files: number;
  bytes: number;
  /** Entries in the folder that are not the app's files (a `.partial` of an upload in progress). */
  skipped: number;
}

/** The folder's file keys as the file store makes them (`<2 hex>/<24 hex>`), read one entry at a time. */
async function* keptFiles(root: string, skip: () => void): AsyncGenerator<string> {
  let shards;
  try {
    shards = await opendir(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const names: string[] = [];
  for await (const entry of shards) {
    if (entry.isDirectory() && SHARD.test(entry.name)) names.push(entry.name);
    else skip();
  }
  for (const shard of names.sort()) {
    for await (const entry of await opendir(join(root, shard))) {
      if (entry.isFile() && FILE_ID.test(entry.name)) yield `${shard}/${entry.name}`;
      else skip();
    }
  }
}

/** Streams every kept file into the archive in chunks, each followed by its size and SHA-256. */
export async function writeFilesSection(writer: ArchiveWriter, root: string): Promise<FilesSection> {
  const section: FilesSection = { files: 0, bytes: 0, skipped: 0 };
  await writer.record({ type: 'files' });
  for await (const path of keptFiles(root, () => section.skipped++)) {
    const file = join(root, path);
    const size = await stat(file).then(
      (info) => info.size,
      (error: NodeJS.ErrnoException) => {
        // Deleted since the folder was listed (its contact was deleted meanwhile): nothing to keep.
        if (error.code === 'ENOENT') return undefined;
        throw error;
      },
    );
    if (size === undefined) continue;
    await writer.record({ type: 'file', path, size });
    const hash = createHash('sha256');
    let read = 0;
    for await (const chunk of createReadStream(file, { highWaterMark: CHUNK_BYTES }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      read += chunk.length;
      await writer.record({ type: 'file-chunk', data: new Binary(chunk) });
    }
    // Files are written once under a new key and never changed, so a different size means damage.
    if (read !== size) throw new Error(`${file} changed while it was backed up (${size} bytes, then ${read})`);
    await writer.record({ type: 'end-file', path, size, sha256: hash.digest('hex') });
    section.files++;
    section.bytes += size;
  }
  await writer.record({ type: 'end-files', files: section.files });
  return section;
}
