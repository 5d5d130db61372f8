import { randomInt } from 'node:crypto';
import { CommandError, ErrorCodes } from '../errors.js';

/** MongoDB's batch limit: a reply carries at most 16 MiB of documents. */
const MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_FIRST_BATCH = 101;

interface OpenCursor {
  id: bigint;
  ns: string;
  source: Iterator<Buffer>;
  pending: Buffer | undefined;
  lastUsed: number;
}

export interface Batch {
  cursorId: bigint;
  docs: Buffer[];
}

/** Server-side cursors: a lazy document source per id, batched on getMore, reaped when idle. */
export class CursorRegistry {
  private readonly cursors = new Map<bigint, OpenCursor>();
  timedOut = 0;

  get openCount(): number {
    return this.cursors.size;
  }

  private newId(): bigint {
    for (;;) {
      const id = BigInt(randomInt(1, 2 ** 47)) * 1000n + BigInt(randomInt(0, 1000));
      if (!this.cursors.has(id)) return id;
    }
  }

  private fill(
    cursor: { source: Iterator<Buffer>; pending: Buffer | undefined },
    batchSize: number,
  ): { docs: Buffer[]; exhausted: boolean } {
    const docs: Buffer[] = [];
    let bytes = 0;
    const limit = batchSize > 0 ? batchSize : Infinity;
    for (;;) {
      const next = cursor.pending ?? this.pull(cursor.source);
      cursor.pending = undefined;
      if (!next) return { docs, exhausted: true };
      if (docs.length >= limit || (docs.length > 0 && bytes + next.length > MAX_BATCH_BYTES)) {
        cursor.pending = next;
        return { docs, exhausted: false };
      }
      docs.push(next);
      bytes += next.length;
    }
  }

  private pull(source: Iterator<Buffer>): Buffer | undefined {
    const result = source.next();
    return result.done ? undefined : result.value;
  }

  /** Runs the first batch; keeps a cursor only if documents remain. */
  open(ns: string, source: Iterator<Buffer>, batchSize: number, singleBatch = false): Batch {
    const state = { source, pending: undefined as Buffer | undefined };
    const { docs, exhausted } = this.fill(state, batchSize);
    if (exhausted || singleBatch) {
      source.return?.();
      return { cursorId: 0n, docs };
    }
    const id = this.newId();
    this.cursors.set(id, { id, ns, source, pending: state.pending, lastUsed: Date.now() });
    return { cursorId: id, docs };
  }

  getMore(id: bigint, ns: string, batchSize: number): Batch {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCodes.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(
        ErrorCodes.Unauthorized,
        `Requested getMore on namespace '${ns}', but cursor belongs to a different namespace ${cursor.ns}`,
      );
    }
    cursor.lastUsed = Date.now();
    const { docs, exhausted } = this.fill(cursor, batchSize);
    if (exhausted) this.cursors.delete(id);
    return { cursorId: exhausted ? 0n : id, docs };
  }

  kill(ids: bigint[]): { killed: bigint[]; notFound: bigint[] } {
    const killed: bigint[] = [];
    const notFound: bigint[] = [];
    for (const id of ids) {
      const cursor = this.cursors.get(id);
      if (!cursor) {
        notFound.push(id);
        continue;
      }
      cursor.source.return?.();
      this.cursors.delete(id);
      killed.push(id);
    }
    return { killed, notFound };
  }

  /** Closes the cursors of a dropped or renamed collection. */
  killNamespace(ns: string): void {
    this.kill([...this.cursors.values()].filter((c) => c.ns === ns).map((c) => c.id));
  }

  /** Drops cursors idle longer than `timeoutMs` (MongoDB's cursorTimeoutMillis). */
  reap(timeoutMs: number): void {
    const cutoff = Date.now() - timeoutMs;
    for (const cursor of this.cursors.values()) {
      if (cursor.lastUsed > cutoff) continue;
      cursor.source.return?.();
      this.cursors.delete(cursor.id);
      this.timedOut++;
    }
  }

  closeAll(): void {
    this.kill([...this.cursors.keys()]);
  }
}
