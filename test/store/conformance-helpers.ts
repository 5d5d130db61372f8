import type { Db, Document, ObjectId } from 'mongodb';

/**
 * A document whose `_id` may be a number or string as well as an ObjectId, with free-form
 * fields: the conformance tests write literal documents and check what comes back, so the
 * driver's schema typing would only get in the way.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDoc = { _id?: number | string | ObjectId; [key: string]: any };

/** The `code` of the server error a promise rejects with (fails the test when it resolves). */
export async function errorOf(
  promise: Promise<unknown>,
): Promise<{ code: number; codeName?: string; message: string } & Document> {
  try {
    await promise;
  } catch (error) {
    return error as { code: number; message: string } & Document;
  }
  throw new Error('expected the operation to fail, but it succeeded');
}

/** Polls until `check` returns true, or fails after `timeoutMs`. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 250): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export async function serverStatus(db: Db): Promise<Document> {
  return db.admin().command({ serverStatus: 1 });
}

export async function openCursorCount(db: Db): Promise<number> {
  const status = await serverStatus(db);
  return Number(status.metrics.cursor.open.total);
}

export async function getMoreCount(db: Db): Promise<number> {
  const status = await serverStatus(db);
  return Number(status.opcounters.getmore);
}
