import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import type { Figure } from './run.js';
import { freePort } from '../server/free-port.js';
import { buildServer } from './build-server.js';

const ROOT = join(import.meta.dirname, '..');
const DOCS = Number(process.env.BENCH_STORE_DOCS ?? 1_000_000);
const BATCH = 10_000;
const SEQUENTIAL_INSERTS = 20_000;
const LOOKUPS = 20_000;
const PAYLOAD = 'x'.repeat(900);

/** The store runs compiled, in its own process, so its RSS and a kill -9 are its own. */
function buildStore(): string {
  return join(buildServer(), 'server/store/cli.js');
}

async function startStore(cli: string, dataDir: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [cli, '--port', String(port), '--data', dataDir], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`store exited with ${code}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
  });
  return child;
}

function makeDoc(i: number): Record<string, unknown> {
  return {
    _id: new ObjectId(),
    seq: i,
    email: `lead${i}@example.com`,
    name: `Lead ${i}`,
    stage: i % 7,
    payload: PAYLOAD,
  };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export async function runStoreBench(): Promise<Figure[]> {
  console.log(`store bench: ${DOCS.toLocaleString('en')} documents of ~1 KB (BENCH_STORE_DOCS to change)`);
  const cli = buildStore();
  const dataDir = mkdtempSync(join(tmpdir(), 'store-bench-'));
  const port = await freePort();
  let store = await startStore(cli, dataDir, port);
  const uri = `mongodb://127.0.0.1:${port}`;
  let client = await MongoClient.connect(uri);
  const figures: Figure[] = [];
  try {
    let coll = client.db('bench').collection('leads');
    await coll.createIndex({ email: 1 }, { unique: true });

    const loadStart = performance.now();
    for (let done = 0; done < DOCS; done += BATCH) {
      const docs = Array.from({ length: Math.min(BATCH, DOCS - done) }, (_, j) => makeDoc(done + j));
      await coll.insertMany(docs, { ordered: false });
      if ((done + BATCH) % 100_000 === 0) {
        const rate = (done + BATCH) / ((performance.now() - loadStart) / 1000);
        process.stdout.write(`  loaded ${(done + BATCH).toLocaleString('en')} (${Math.round(rate)} docs/s)\n`);
      }
    }
    const loadRate = DOCS / ((performance.now() - loadStart) / 1000);
    figures.push({
      name: 'insertMany, 1 KB docs, unique index on email',
      value: loadRate,
      unit: 'docs/s',
      target: 50_000,
      kind: 'min',
    });

    // Let the bulk load reach the data file first: round trips are measured in a steady state.
    await client.db('admin').command({ fsync: 1 });

    // The floor under both round-trip figures: the same driver and socket, a command that does nothing.
    const pings: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const t0 = performance.now();
      await client.db('admin').command({ ping: 1 });
      pings.push(performance.now() - t0);
    }
    const pingSeconds = pings.reduce((a, b) => a + b, 0) / 1000;
    pings.sort((a, b) => a - b);

    const seq = client.db('bench').collection('sequential');
    const seqStart = performance.now();
    for (let i = 0; i < SEQUENTIAL_INSERTS; i++) await seq.insertOne(makeDoc(i));
    const seqRate = SEQUENTIAL_INSERTS / ((performance.now() - seqStart) / 1000);
    figures.push({
      name: 'sequential insertOne, one client, acknowledged',
      value: seqRate,
      unit: 'ops/s',
      target: 5_000,
      kind: 'min',
      baseline: { name: 'ping', value: LOOKUPS / pingSeconds },
    });

    await client.db('admin').command({ fsync: 1 });
    const latencies: number[] = [];
    for (let i = 0; i < LOOKUPS; i++) {
      const wanted = Math.floor(Math.random() * DOCS);
      const t0 = performance.now();
      const doc = await coll.findOne({ email: `lead${wanted}@example.com` });
      latencies.push(performance.now() - t0);
      if (doc?.seq !== wanted) throw new Error(`findOne returned ${String(doc?.seq)} for ${wanted}`);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `  findOne p50 ${percentile(latencies, 50).toFixed(3)} ms, p90 ${percentile(latencies, 90).toFixed(3)} ms, ` +
        `p99 ${percentile(latencies, 99).toFixed(3)} ms, p99.9 ${percentile(latencies, 99.9).toFixed(3)} ms; ` +
        `ping p50 ${percentile(pings, 50).toFixed(3)} ms, p99 ${percentile(pings, 99).toFixed(3)} ms`,
    );
    figures.push({
      name: `indexed findOne p99 at ${DOCS.toLocaleString('en')} docs`,
      value: percentile(latencies, 99),
      unit: 'ms',
      target: 1,
      kind: 'max',
      baseline: { name: 'ping p99', value: percentile(pings, 99) },
    });

    const status = await client.db('admin').command({ serverStatus: 1 });
    figures.push({
      name: `store RSS with ${DOCS.toLocaleString('en')} docs stored`,
      value: status.mem.resident,
      unit: 'MB',
      target: 512,
      kind: 'max',
    });

    await client.close();
    store.kill('SIGKILL');
    await new Promise((resolve) => store.once('exit', resolve));
    const restartStart = performance.now();
    store = await startStore(cli, dataDir, port);
    client = await MongoClient.connect(uri);
    coll = client.db('bench').collection('leads');
    const probe = await coll.findOne({ email: `lead${DOCS - 1}@example.com` });
    const restartSeconds = (performance.now() - restartStart) / 1000;
    if (probe?.seq !== DOCS - 1) throw new Error('data missing after SIGKILL');
    const count = await coll.estimatedDocumentCount();
    if (count !== DOCS) throw new Error(`expected ${DOCS} documents after restart, found ${count}`);
    figures.push({
      name: `restart after SIGKILL with ${DOCS.toLocaleString('en')} docs, ready`,
      value: restartSeconds,
      unit: 's',
      target: 5,
      kind: 'max',
    });
  } finally {
    await client.close().catch(() => undefined);
    store.kill('SIGTERM');
    await new Promise((resolve) => store.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
  return figures;
}
