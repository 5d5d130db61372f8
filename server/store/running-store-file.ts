import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { currentProcessIdentity, isProcessAlive } from './engine/process-identity.js';

/**
 * `<dataDir>/store-uri.json`: where the store serving a data folder listens, written once it
 * listens and removed when it closes. Tools (`npm run backup`) read it to talk to the running store
 * instead of opening its files a second time, which the folder's lock would refuse anyway.
 */
export const RUNNING_STORE_FILE = 'store-uri.json';

const runningStoreSchema = z.object({
  uri: z.string().startsWith('mongodb://'),
  pid: z.number().int().positive(),
  startTime: z.string().optional(),
  startedAt: z.string(),
});

export type RunningStore = z.infer<typeof runningStoreSchema>;

export type RunningStoreLookup =
  | { type: 'none' }
  | { type: 'running'; store: RunningStore }
  /** Left by a store whose process is gone (killed, crashed) or unreadable: nothing listens there. */
  | { type: 'stale'; file: string; reason: string };

export function writeRunningStoreFile(dataDir: string, uri: string): void {
  const file = join(dataDir, RUNNING_STORE_FILE);
  const content: RunningStore = { uri, ...currentProcessIdentity(), startedAt: new Date().toISOString() };
  // Renamed into place so a reader never sees half a file.
  writeFileSync(`${file}.${process.pid}`, `${JSON.stringify(content, null, 2)}\n`);
  renameSync(`${file}.${process.pid}`, file);
}

/** Removes the file if it is still this process's (a later store may have replaced it). */
export function removeRunningStoreFile(dataDir: string, uri: string): void {
  const found = readRunningStoreFile(dataDir);
  if (found.type === 'running' && (found.store.uri !== uri || found.store.pid !== process.pid)) return;
  rmSync(join(dataDir, RUNNING_STORE_FILE), { force: true });
}

/**
 * The store running on `dataDir`, judged by the file alone: its process must still be alive.
 * Whether it answers on the port is for the caller to try, with a timeout of its choosing.
 */
export function readRunningStoreFile(dataDir: string): RunningStoreLookup {
  const file = join(dataDir, RUNNING_STORE_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { type: 'none' };
    throw error;
  }
  let parsed;
  try {
    parsed = runningStoreSchema.safeParse(JSON.parse(text));
  } catch {
    return { type: 'stale', file, reason: 'it is not valid JSON' };
  }
  if (!parsed.success) return { type: 'stale', file, reason: 'it does not name a store URI and process' };
  if (!isProcessAlive(parsed.data)) {
    return { type: 'stale', file, reason: `process ${parsed.data.pid} that wrote it is gone` };
  }
  return { type: 'running', store: parsed.data };
}
