import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { currentProcessIdentity, isCurrentProcess, isProcessAlive, type ProcessIdentity } from './process-identity.js';

export const LOCK_FILE = 'store.lock';

const lockSchema = z.object({ pid: z.number().int().positive(), startTime: z.string().optional() });

/**
 * Two stores on one folder would each trust their own catalog in memory and let unique indexes
 * and collection lists drift apart; SQLite itself would not stop them. The lock file names the
 * process holding the folder, so a second opener is refused while that process lives.
 */
export class DataDirLockedError extends Error {
  readonly code = 'DATA_DIR_LOCKED';

  constructor(
    readonly dataDir: string,
    readonly holder: ProcessIdentity,
  ) {
    const who = isCurrentProcess(holder) ? 'this process' : `process ${holder.pid}`;
    super(
      `The data folder ${dataDir} is in use by ${who} (${join(dataDir, LOCK_FILE)}): stop the app or store ` +
        'that has it open, or connect to it instead of opening the folder a second time.',
    );
    this.name = 'DataDirLockedError';
  }
}

function readHolder(file: string): ProcessIdentity | undefined {
  try {
    const parsed = lockSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The lock on one data folder, held from open to close of the store. */
export class DataDirLock {
  private constructor(
    private readonly file: string,
    private readonly identity: ProcessIdentity,
  ) {}

  /** Takes the folder, clearing a lock whose process is gone (killed, crashed); throws DataDirLockedError. */
  static acquire(dataDir: string): DataDirLock {
    const file = join(dataDir, LOCK_FILE);
    const identity = currentProcessIdentity();
    // Written aside and linked into place: the lock never exists half-written, and link() fails if it exists.
    const draft = join(dataDir, `${LOCK_FILE}.${randomBytes(6).toString('hex')}`);
    writeFileSync(draft, `${JSON.stringify(identity)}\n`);
    try {
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          linkSync(draft, file);
          return new DataDirLock(file, identity);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        }
        const holder = readHolder(file);
        if (holder && (isCurrentProcess(holder) || isProcessAlive(holder)))
          throw new DataDirLockedError(dataDir, holder);
        // Stale (its process is gone) or unreadable: the next link() decides between racing openers.
        rmSync(file, { force: true });
      }
      throw new DataDirLockedError(dataDir, readHolder(file) ?? { pid: 0 });
    } finally {
      rmSync(draft, { force: true });
    }
  }

  /** Gives the folder back, unless someone else's lock has replaced ours meanwhile. */
  release(): void {
    const holder = readHolder(this.file);
    if (holder?.pid !== this.identity.pid || holder.startTime !== this.identity.startTime) return;
    try {
      unlinkSync(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}
