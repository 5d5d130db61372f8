import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { EJSON, type Document } from 'bson';
import { MongoClient, type Db } from 'mongodb';
import type { CommandOutput } from '../../server/backup/cli-support.js';
import { PROJECT_ROOT } from '../../server/paths.js';
import { StoreServer } from '../../server/store/index.js';

export interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the project's TypeScript entry points the way `npm run` does (tsx), in a process of its own. */
export function runTs(entry: string, args: string[], env: Record<string, string>): Promise<Ran> {
  const { MONGODB_URI: _uri, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry), ...args], {
    cwd: PROJECT_ROOT,
    env: { ...inherited, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A command's output kept for the test to read. */
export function captureOutput(): CommandOutput & { text(): string } {
  const lines: string[] = [];
  return { say: (line) => lines.push(line), warn: (line) => lines.push(line), text: () => lines.join('\n') };
}

/** The embedded store opened in this process on a data folder, with a client on the app's database. */
export async function openStoreAt(dataDir: string): Promise<{ store: StoreServer; db: Db; close(): Promise<void> }> {
  const store = await StoreServer.start({ dataDir: join(dataDir, 'db') });
  const client = await MongoClient.connect(store.uri, { serverSelectionTimeoutMS: 5000 });
  return {
    store,
    db: client.db('funnel'),
    async close() {
      await client.close();
      await store.close();
    },
  };
}

/** Every collection as canonical Extended JSON, documents in _id order, read without number promotion. */
export async function snapshot(
  db: Db,
): Promise<Map<string, { documents: string; indexes: Document[]; options: Document }>> {
  const infos = await db.listCollections().toArray();
  const result = new Map<string, { documents: string; indexes: Document[]; options: Document }>();
  for (const info of infos.sort((a, b) => a.name.localeCompare(b.name))) {
    const collection = db.collection(info.name);
    const documents = await collection.find({}, { promoteValues: false, bsonRegExp: true }).sort({ _id: 1 }).toArray();
    const indexes = (await collection.listIndexes().toArray()).sort((a, b) =>
      String(a.name).localeCompare(String(b.name)),
    );
    result.set(info.name, {
      documents: EJSON.stringify(documents, { relaxed: false }),
      indexes,
      options: ('options' in info ? info.options : undefined) ?? {},
    });
  }
  return result;
}

/** A copy of the archive cut inside line `line` (1-based), gzip-compressed again as a whole. */
export function truncateArchiveAtLine(archive: string, target: string, line: number): void {
  const lines = gunzipSync(readFileSync(archive)).toString('utf8').split('\n');
  const cut = lines[line - 1]!;
  writeFileSync(target, gzipSync([...lines.slice(0, line - 1), cut.slice(0, Math.floor(cut.length / 2))].join('\n')));
}
