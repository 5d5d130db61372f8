import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ArchiveError } from './backup-error.js';

export interface ArchiveLine {
  /** 1-based, as an editor shows it after `gunzip`. */
  line: number;
  text: string;
}

/** What zlib's error means for the person holding the archive. */
function describeZlibError(error: NodeJS.ErrnoException): string {
  if (error.code === 'Z_BUF_ERROR') return 'the archive ends here: it is truncated (the compressed data stops mid-way)';
  if (error.code === 'Z_DATA_ERROR') return `the compressed data is damaged (${error.message})`;
  return error.message;
}

/**
 * The archive's lines, decompressed as they are read (an archive of any size takes a few
 * chunks of memory). A gzip error becomes an ArchiveError naming the line reading stopped at.
 */
export async function* readArchiveLines(file: string): AsyncGenerator<ArchiveLine> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new ArchiveError(file, 0, `cannot be read (${error.code ?? error.message})`);
  });
  const magic = Buffer.alloc(2);
  const { bytesRead } = await handle.read(magic, 0, 2, 0);
  await handle.close();
  if (bytesRead < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
    throw new ArchiveError(file, 1, 'not a backup archive: the file is not gzip-compressed');
  }
  const gunzip = createGunzip();
  const input = createReadStream(file);
  input.on('error', (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  gunzip.setEncoding('utf8');
  let line = 0;
  let carry = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      let start = 0;
      let end = chunk.indexOf('\n');
      while (end !== -1) {
        const text = carry + chunk.slice(start, end);
        carry = '';
        yield { line: ++line, text };
        start = end + 1;
        end = chunk.indexOf('\n', start);
      }
      carry += chunk.slice(start);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw error;
    throw new ArchiveError(file, line + 1, describeZlibError(error as NodeJS.ErrnoException));
  } finally {
    input.destroy();
    gunzip.destroy();
  }
  // Every line the backup writes ends with a newline; text after the last one is a cut-off line.
  if (carry) yield { line: ++line, text: carry };
}
