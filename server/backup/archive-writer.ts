import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { createGzip, type Gzip } from 'node:zlib';
import { EJSON, type Document } from 'bson';
import { DOCUMENT_LINE_PREFIX, type ArchiveRecord } from './archive-records.js';

/** Text gathered before one write into gzip: fewer, larger writes cost less than one per document. */
const FLUSH_CHARS = 256 * 1024;

/**
 * Writes archive lines into `<file>.partial` through gzip, waiting whenever gzip or the disk is
 * behind, and renames it to `file` only once complete: an interrupted backup never looks finished.
 */
export class ArchiveWriter {
  private pending = '';
  private lines = 0;

  private constructor(
    readonly file: string,
    private readonly partial: string,
    private readonly gzip: Gzip,
    private readonly output: WriteStream,
  ) {}

  static async create(file: string): Promise<ArchiveWriter> {
    await mkdir(dirname(file), { recursive: true });
    const partial = `${file}.partial`;
    const gzip = createGzip({ level: 6 });
    const output = createWriteStream(partial, { flush: true });
    gzip.pipe(output);
    // Errors are collected by the next write or finish, not left unhandled.
    gzip.on('error', () => undefined);
    output.on('error', (error) => gzip.destroy(error));
    await once(output, 'open');
    return new ArchiveWriter(file, partial, gzip, output);
  }

  get linesWritten(): number {
    return this.lines;
  }

  record(record: ArchiveRecord): Promise<void> {
    return this.line(EJSON.stringify(record, { relaxed: false }));
  }

  /** A document line, built without an intermediate object per document. */
  document(document: Document): Promise<void> {
    return this.line(`${DOCUMENT_LINE_PREFIX}${EJSON.stringify(document, { relaxed: false })}}`);
  }

  private async line(text: string): Promise<void> {
    this.pending += `${text}\n`;
    this.lines++;
    if (this.pending.length >= FLUSH_CHARS) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.pending) return;
    const chunk = this.pending;
    this.pending = '';
    if (this.output.errored) throw this.output.errored;
    // A disk error destroys gzip with it (see create), which rejects this wait.
    if (!this.gzip.write(chunk)) await once(this.gzip, 'drain');
  }

  /** Finishes the gzip stream, syncs the file to disk and gives it its final name; returns its size. */
  async finish(): Promise<number> {
    await this.flush();
    this.gzip.end();
    await finished(this.output);
    await rename(this.partial, this.file);
    return (await stat(this.file)).size;
  }

  /** Leaves nothing behind after a failed backup. */
  async abandon(): Promise<void> {
    this.gzip.destroy();
    this.output.destroy();
    await rm(this.partial, { force: true });
  }
}
