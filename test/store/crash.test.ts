import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { serialize } from 'bson';
import { MongoClient, ObjectId, type Document } from 'mongodb';
import mongoose, { Schema } from 'mongoose';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CRASH_COLLECTION, CRASH_DB, crashDoc } from './fixtures/crash-docs.js';
import { againstRealMongo } from './harness.js';
import { freePort } from '../../server/free-port.js';

/**
 * Durability: the store runs in a child process that is SIGKILLed mid-stream, then a new store
 * opens the same data folder. Every write the store acknowledged must be there, once and intact,
 * with its indexes. These tests need the embedded store's process, so they are skipped against
 * a real MongoDB.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURES = join(ROOT, 'test/store/fixtures');
const TOTAL_WRITES = 10_000;
const KILL_AFTER_ACKS = 3_000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Spawned {
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  stderr: string[];
  exited: Promise<Exit>;
}

const children = new Set<ChildProcess>();
/** Children started as the leader of their own process group (npx and what it starts). */
const detached = new WeakSet<ChildProcess>();
const tempDirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'store-crash-'));
  tempDirs.push(dir);
  return dir;
}

function run(
  command: string,
  args: string[],
  options: { detached?: boolean; onLine?: (line: string) => void } = {},
): Spawned {
  const child = spawn(command, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  children.add(child);
  if (options.detached) detached.add(child);
  const lines: string[] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    options.onLine?.(line);
  });
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  // 'close' waits for stdio to end too, so every line has been read when it resolves.
  const exited = new Promise<Exit>((done) =>
    child.once('close', (code, signal) => {
      children.delete(child);
      done({ code, signal });
    }),
  );
  return { child, lines, stderr, exited };
}

function runTs(script: string, args: string[], onLine?: (line: string) => void): Spawned {
  return run(process.execPath, ['--import', 'tsx', join(FIXTURES, script), ...args], { onLine });
}

async function waitForLine(spawned: Spawned, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpMatchArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const line of spawned.lines) {
      const match = pattern.exec(line);
      if (match) return match;
    }
    if (spawned.child.exitCode !== null || spawned.child.signalCode !== null) {
      throw new Error(`process exited before printing ${pattern}: ${spawned.stderr.join('\n')}`);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${pattern}; stderr: ${spawned.stderr.join('\n')}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface StoreProcess extends Spawned {
  port: number;
  uri: string;
}

async function startStoreProcess(dataDir: string, port = 0): Promise<StoreProcess> {
  const spawned = runTs('store-process.ts', [dataDir, String(port)]);
  const [, printed] = await waitForLine(spawned, /^PORT (\d+)$/);
  return { ...spawned, port: Number(printed), uri: `mongodb://127.0.0.1:${printed}` };
}

async function killHard(spawned: Spawned): Promise<void> {
  spawned.child.kill('SIGKILL');
  expect((await spawned.exited).signal).toBe('SIGKILL');
}

async function connectClient(uri: string): Promise<MongoClient> {
  return MongoClient.connect(uri, { serverSelectionTimeoutMS: 5000, retryWrites: false });
}

describe.skipIf(againstRealMongo)('crash durability (needs the embedded store process)', () => {
  afterEach(() => {
    for (const child of children) {
      if (child.pid && detached.has(child)) process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    }
  });

  afterAll(() => {
    for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  });

  it('should keep every acknowledged insert, once and intact, with working indexes after a SIGKILL', async () => {
    const dataDir = tempDir();
    const first = await startStoreProcess(dataDir);
    const setup = await connectClient(first.uri);
    const events = setup.db(CRASH_DB).collection(CRASH_COLLECTION);
    await events.createIndex({ seq: 1 }, { unique: true });
    await events.createIndex({ group: 1, seq: -1 });
    await events.createIndex({ tags: 1 });
    await setup.close();

    // The writer is a separate client process; the store is killed while it is mid-stream.
    let acks = 0;
    const writer = runTs('ack-writer.ts', [first.uri, String(TOTAL_WRITES)], (line) => {
      if (line.startsWith('ACK ') && ++acks === KILL_AFTER_ACKS) first.child.kill('SIGKILL');
    });
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(await writer.exited).toEqual({ code: 0, signal: null });
    expect(writer.lines.at(-1)).toMatch(/^ERR /);
    const acknowledged = writer.lines
      .filter((line) => line.startsWith('ACK '))
      .map((line) => {
        const [, seq, id] = line.split(' ');
        return { seq: Number(seq), id: id! };
      });
    expect(acknowledged.length).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(acknowledged.length).toBeLessThan(TOTAL_WRITES);
    expect(acknowledged.every((ack, i) => ack.seq === i)).toBe(true);

    const second = await startStoreProcess(dataDir);
    const client = await connectClient(second.uri);
    const reopened = client.db(CRASH_DB).collection(CRASH_COLLECTION);
    const stored = await reopened.find().sort({ seq: 1 }).toArray();

    // At most one write was in flight when the store died: it may have committed unacknowledged.
    expect(stored.length === acknowledged.length || stored.length === acknowledged.length + 1).toBe(true);
    expect(new Set(stored.map((doc) => doc.seq)).size).toBe(stored.length);
    const bySeq = new Map<number, Document>(stored.map((doc) => [doc.seq as number, doc]));
    const problems = acknowledged.flatMap((ack) => {
      const doc = bySeq.get(ack.seq);
      if (!doc) return [`seq ${ack.seq}: missing`];
      const expected = serialize({ _id: ObjectId.createFromHexString(ack.id), ...crashDoc(ack.seq) });
      return Buffer.from(serialize(doc)).equals(Buffer.from(expected))
        ? []
        : [`seq ${ack.seq}: ${JSON.stringify(doc)}`];
    });
    expect(problems).toEqual([]);
    if (stored.length > acknowledged.length) {
      const extra = stored.at(-1)!;
      expect(extra.seq).toBe(acknowledged.length);
      expect(extra).toEqual({ _id: extra._id, ...crashDoc(acknowledged.length) });
    }

    // The indexes survived, hold exactly the stored documents and still serve queries.
    const indexes = await reopened.listIndexes().toArray();
    expect(indexes.map((ix) => ix.name).sort()).toEqual(['_id_', 'group_1_seq_-1', 'seq_1', 'tags_1']);
    expect(indexes.find((ix) => ix.name === 'seq_1')?.unique).toBe(true);
    expect(await reopened.countDocuments({}, { hint: 'seq_1' })).toBe(stored.length);
    expect(await reopened.countDocuments({ seq: { $gte: 0 } }, { hint: 'seq_1' })).toBe(stored.length);
    const group3 = await reopened
      .find({ group: 3 }, { projection: { seq: 1, _id: 0 } })
      .sort({ seq: -1 })
      .toArray();
    expect(group3.map((d) => d.seq)).toEqual(
      stored
        .filter((d) => d.group === 3)
        .map((d) => d.seq)
        .sort((a, b) => b - a),
    );
    const plan = await reopened.find({ group: 3 }).sort({ seq: -1 }).explain();
    expect(JSON.stringify(plan.queryPlanner.winningPlan)).toContain('group_1_seq_-1');
    expect(await reopened.countDocuments({ tags: 't4' }, { hint: 'tags_1' })).toBe(
      stored.filter((d) => (d.tags as string[]).includes('t4')).length,
    );
    const duplicate = await reopened.insertOne({ seq: 0 }).catch((error: unknown) => error as { code?: number });
    expect((duplicate as { code?: number }).code).toBe(11000);

    // And the store keeps working on the recovered files.
    await reopened.insertOne({ _id: new ObjectId(), ...crashDoc(TOTAL_WRITES) });
    expect(await reopened.countDocuments()).toBe(stored.length + 1);
    await client.close();
    await killHard(second);
  });

  it('should give a mongoose program all its acknowledged data back after a SIGKILL', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const customerSchema = new Schema(
      {
        email: { type: String, required: true, unique: true },
        name: String,
        tier: { type: String, enum: ['free', 'pro'], default: 'free' },
        visits: { type: Number, default: 0 },
        orders: [new Schema({ sku: String, qty: Number }, { _id: false })],
      },
      { timestamps: true },
    );
    customerSchema.index({ tier: 1, visits: -1 });
    const uri = `mongodb://127.0.0.1:${port}/shop`;

    const first = await startStoreProcess(dataDir, port);
    const writerConn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 });
    await writerConn.asPromise();
    const Writer = writerConn.model('Customer', customerSchema);
    await Writer.init();
    for (let i = 0; i < 300; i++) {
      await Writer.create({
        email: `c${i}@example.com`,
        name: `Customer ${i}`,
        visits: i % 10,
        orders: [{ sku: 'A', qty: i }],
      });
    }
    await Writer.insertMany(
      Array.from({ length: 200 }, (_, i) => ({
        email: `bulk${i}@example.com`,
        name: `Bulk ${i}`,
        tier: 'pro',
        visits: 100 + i,
      })),
    );
    const upgraded = await Writer.updateMany(
      { visits: 9 },
      { $set: { tier: 'pro' }, $push: { orders: { sku: 'B', qty: 1 } } },
    );
    expect(upgraded.modifiedCount).toBe(30);
    expect((await Writer.deleteMany({ visits: 0, tier: 'free' })).deletedCount).toBe(30);

    // The store dies with the mongoose connection still open.
    await killHard(first);
    await writerConn.destroy(true);

    const second = await startStoreProcess(dataDir, port);
    const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000 });
    await conn.asPromise();
    // The recovering program's schema asks for one index more than the crashed one had.
    const recoveringSchema = customerSchema.clone();
    recoveringSchema.index({ name: 1 });
    const Customer = conn.model('Customer', recoveringSchema);
    expect(await Customer.countDocuments()).toBe(470);
    const c42 = await Customer.findOne({ email: 'c42@example.com' }).lean();
    expect(c42).toMatchObject({ name: 'Customer 42', tier: 'free', visits: 2, orders: [{ sku: 'A', qty: 42 }] });
    expect(c42!.createdAt).toBeInstanceOf(Date);
    const c19 = await Customer.findOne({ email: 'c19@example.com' }).lean();
    expect(c19).toMatchObject({
      tier: 'pro',
      orders: [
        { sku: 'A', qty: 19 },
        { sku: 'B', qty: 1 },
      ],
    });
    expect(await Customer.exists({ email: 'c10@example.com' })).toBeNull();

    // Indexes: mongoose finds them in place, can add one, and the unique one still holds.
    await Customer.init();
    expect(await Customer.syncIndexes()).toEqual([]);
    expect((await Customer.listIndexes()).map((ix) => ix.name).sort()).toEqual([
      '_id_',
      'email_1',
      'name_1',
      'tier_1_visits_-1',
    ]);
    const duplicate = await Customer.create({ email: 'c1@example.com' }).catch(
      (error: unknown) => error as { code?: number },
    );
    expect((duplicate as { code?: number }).code).toBe(11000);

    // Writes, queries and aggregations work on the recovered data.
    await Customer.create({ email: 'after@example.com', name: 'After Crash', tier: 'pro', visits: 1000 });
    const top = await Customer.find({ tier: 'pro' }).sort({ visits: -1 }).limit(2).lean();
    expect(top.map((c) => c.email)).toEqual(['after@example.com', 'bulk199@example.com']);
    const byTier = await Customer.aggregate<{ _id: string; n: number; visits: number }>([
      { $group: { _id: '$tier', n: { $sum: 1 }, visits: { $sum: '$visits' } } },
      { $sort: { _id: 1 } },
    ]);
    const freeVisits = Array.from({ length: 300 }, (_, i) => i % 10).filter((v) => v !== 0 && v !== 9);
    const proVisits = [...Array.from({ length: 200 }, (_, i) => 100 + i), ...Array(30).fill(9), 1000];
    expect(byTier).toEqual([
      { _id: 'free', n: freeVisits.length, visits: freeVisits.reduce((a, b) => a + b, 0) },
      { _id: 'pro', n: proVisits.length, visits: proVisits.reduce((a, b) => a + b, 0) },
    ]);
    await conn.close();
    await killHard(second);
  });

  it('should shut `npm run store` down cleanly on SIGTERM and serve the data on the next start', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    const cliArgs = ['server/store/cli.ts', '--port', String(port), '--data', dataDir];

    // `npm run store` is `tsx server/store/cli.ts`: tsx passes the signal on and the exit code back.
    const cli = run(tsx, cliArgs);
    await waitForLine(cli, new RegExp(`^store listening on mongodb://127\\.0\\.0\\.1:${port} `));
    const client = await connectClient(`mongodb://127.0.0.1:${port}`);
    const notes = client.db('cli').collection('notes');
    await notes.createIndex({ title: 1 }, { unique: true });
    await notes.insertMany(Array.from({ length: 100 }, (_, i) => ({ title: `note ${i}`, body: 'b'.repeat(i) })));
    cli.child.kill('SIGTERM');
    expect(await cli.exited).toEqual({ code: 0, signal: null });
    expect(cli.lines).toContain('SIGTERM: closing the store');
    expect(cli.lines.at(-1)).toBe('store closed');
    await client.close();
    // A clean close checkpoints the write-ahead log into the database file.
    const wal = join(dataDir, 'store.sqlite-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);

    // The same through npx, the way a terminal stops it: SIGTERM to the whole process group.
    const viaNpx = run('npx', ['tsx', ...cliArgs], { detached: true });
    await waitForLine(viaNpx, /^store listening on /, 30_000);
    const again = await connectClient(`mongodb://127.0.0.1:${port}`);
    const reopened = again.db('cli').collection('notes');
    expect(await reopened.countDocuments()).toBe(100);
    expect((await reopened.findOne({ title: 'note 42' }))?.body).toBe('b'.repeat(42));
    const duplicate = await reopened
      .insertOne({ title: 'note 1' })
      .catch((error: unknown) => error as { code?: number });
    expect((duplicate as { code?: number }).code).toBe(11000);
    await reopened.insertOne({ title: 'second run' });
    await again.close();
    process.kill(-viaNpx.child.pid!, 'SIGTERM');
    await viaNpx.exited;
    // npm does not forward the exit code of a signalled child: the store's own last line tells.
    expect(viaNpx.lines).toContain('SIGTERM: closing the store');
    expect(viaNpx.lines.at(-1)).toBe('store closed');
    expect(viaNpx.stderr.filter((line) => !/npm (warn|notice)/i.test(line))).toEqual([]);

    const third = await startStoreProcess(dataDir, port);
    const last = await connectClient(third.uri);
    expect(await last.db('cli').collection('notes').countDocuments()).toBe(101);
    await last.close();
    await killHard(third);
  });
});
