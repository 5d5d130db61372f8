import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { identityKey } from '../server/contacts/normalize-identity.js';
import { freePort } from '../server/free-port.js';
import { startTelegramBotApi } from '../test/stand-ins/telegram-bot-api.js';
import { maxInWindow } from '../test/broadcasts/broadcast-fixture.js';
import { buildAppIndexes } from './app-indexes.js';
import { buildServer } from './build-server.js';
import { APP_ENV, startChild, stopChild } from './child-process.js';
import type { Figure } from './run.js';

const RECIPIENTS = Number(process.env.BENCH_BROADCAST_RECIPIENTS ?? 100_000);
const RATE = Number(process.env.BENCH_BROADCAST_RATE ?? 100);
/** How long delivery is watched: the whole audience at the rate would take RECIPIENTS / RATE seconds. */
const DELIVERY_SECONDS = Number(process.env.BENCH_BROADCAST_SECONDS ?? 30);
const WARM_UP_MS = 2000;
// Node flags for the web process, whose embedded store's thread does the store's work (e.g. a CPU profile).
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
// Extra node flags for the worker, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
const WORKER_NODE_ARGS = (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** Resident memory of a process in MB (Linux /proc; NaN elsewhere). */
function rssMb(pid: number | undefined): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('VmRSS:'));
    return Number(line?.replace(/\D+/g, '')) / 1024;
  } catch {
    return Number.NaN;
  }
}

async function call(
  base: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as { id: string }) : { id: '' };
}

/**
 * A broadcast to RECIPIENTS Telegram contacts through a compiled app: a web process takes the
 * launch, a worker process (ROLE=worker) freezes the audience and sends. Measures the freeze
 * (audience resolved, recipients written, one job each), the delivery rate at the stand-in over
 * DELIVERY_SECONDS against the account's limit, duplicates, and the worker's peak memory.
 */
export async function runBroadcastBench(): Promise<Figure[]> {
  console.log(
    `broadcast bench: ${RECIPIENTS.toLocaleString('en')} recipients, account rate ${RATE}/s, delivery watched ${DELIVERY_SECONDS} s`,
  );
  const out = buildServer('bench-build-broadcast');
  const dataDir = mkdtempSync(join(tmpdir(), 'broadcast-bench-'));
  const telegram = await startTelegramBotApi();
  const port = await freePort();
  const redisUrl = `redis://127.0.0.1:6379/${randomInt(1, 16)}`;
  const children: ChildProcess[] = [];
  let mongo: MongoClient | undefined;
  try {
    const env = { ...APP_ENV, DATA_DIR: dataDir, TELEGRAM_API_ROOT: telegram.apiRoot, REDIS_URL: redisUrl };
    const appMain = join(out, 'server/boot/main.js');
    children.push(
      await startChild([...APP_NODE_ARGS, appMain], { ...env, PORT: String(port), ROLE: 'web' }, 'is running: open'),
    );
    const base = `http://127.0.0.1:${port}/api/v1`;
    const setup = await fetch(`${base}/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Admin', email: 'bench@bench.local', password: 'bench password 123' }),
    });
    const cookie = setup.headers
      .getSetCookie()
      .find((c) => c.startsWith('sid='))!
      .split(';')[0]!;
    const { csrfToken, user } = (await setup.json()) as { csrfToken: string; user: { id: string } };
    const tokenResponse = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({ name: 'bench', scopes: ['channels.manage', 'campaigns.manage'] }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const channel = await call(base, token, 'POST', '/channels', {
      type: 'telegram',
      name: 'Bench bot',
      token: telegram.token,
      ratePerSecond: RATE,
    });

    const readiness = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { store: { address: string } };
    const storeUri = `${readiness.store.address}/funnel`;
    await buildAppIndexes(storeUri);
    mongo = await MongoClient.connect(storeUri);
    const db = mongo.db();
    const tag = `bench-${randomInt(1e9)}`;
    const firstUser = 500_000_000;
    const now = new Date();
    for (let start = 0; start < RECIPIENTS; start += 5000) {
      await db.collection('contacts').insertMany(
        Array.from({ length: Math.min(5000, RECIPIENTS - start) }, (_, offset) => {
          const externalId = String(firstUser + start + offset);
          return {
            status: 'active',
            name: `Клиент ${start + offset}`,
            phones: [],
            emails: [],
            identities: [
              {
                channel: 'telegram',
                accountId: channel.id,
                externalId,
                key: identityKey({ channel: 'telegram', accountId: channel.id, externalId }),
              },
            ],
            teamIds: [],
            tags: [tag],
            customFields: {},
            consent: {},
            createdAt: now,
            updatedAt: now,
          };
        }),
      );
    }
    const segment = await db.collection('segments').insertOne({
      name: 'Bench',
      kind: 'filter',
      definition: { match: 'all', conditions: [{ field: 'tag', op: 'has', value: tag }] },
      createdById: new ObjectId(user.id),
      createdAt: now,
      updatedAt: now,
    });
    // Launched once the worker runs, as on a live installation: its start (modules, indexes, queues)
    // is no part of the launch. Its start-up line is an info log, hence the level.
    const worker = await startChild(
      [...WORKER_NODE_ARGS, appMain],
      { ...env, ROLE: 'worker', MONGODB_URI: storeUri, LOG_LEVEL: 'info' },
      '"msg":"started:',
    );
    children.push(worker);
    let peakRss = 0;
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(worker.pid) || 0)), 250);

    const broadcast = await call(base, token, 'POST', '/broadcasts', {
      name: 'Bench',
      segmentId: segment.insertedId.toHexString(),
      variants: { telegram: { text: 'Скидки до 30%, {{contact.name | default: друг}}!' } },
      channelOrder: ['telegram'],
    });
    const launchedAt = Date.now();
    await call(base, token, 'POST', `/broadcasts/${broadcast.id}/launch`);
    let frozenMs = Number.NaN;
    while (Number.isNaN(frozenMs)) {
      const stored = await db.collection('broadcasts').findOne({ _id: new ObjectId(String(broadcast.id)) });
      if (stored?.frozenAt) frozenMs = stored.frozenAt.getTime() - launchedAt;
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const recipients = await db
      .collection('broadcast_recipients')
      .countDocuments({ broadcastId: new ObjectId(String(broadcast.id)) });
    console.log(`  frozen: ${recipients} recipients in ${(frozenMs / 1000).toFixed(1)} s`);

    while (telegram.sent().length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const firstAt = telegram.sent()[0]!.at;
    await new Promise((resolve) => setTimeout(resolve, WARM_UP_MS + DELIVERY_SECONDS * 1000));
    clearInterval(sampler);
    await call(base, token, 'POST', `/broadcasts/${broadcast.id}/cancel`);
    const sent = telegram.sent();
    const windowStart = firstAt + WARM_UP_MS;
    const inWindow = sent.filter(
      (record) => record.at >= windowStart && record.at < windowStart + DELIVERY_SECONDS * 1000,
    );
    const sustained = inWindow.length / DELIVERY_SECONDS;
    const busiest = maxInWindow(sent.map((record) => record.at));
    const duplicates = sent.length - new Set(sent.map((record) => record.chatId)).size;
    console.log(
      `  delivered: ${sent.length} in total, ${sustained.toFixed(1)}/s sustained, busiest second ${busiest}, worker peak ${peakRss.toFixed(0)} MB`,
    );
    return [
      {
        name: `audience of ${RECIPIENTS.toLocaleString('en')} resolved and jobs planned`,
        value: frozenMs / 1000,
        unit: 's',
        target: 10,
        kind: 'max',
      },
      {
        name: `busiest second (account rate ${RATE}/s)`,
        value: busiest,
        unit: 'msg/s',
        target: Math.ceil(RATE * 1.02) + 1,
        kind: 'max',
      },
      {
        name: `sustained rate over ${DELIVERY_SECONDS} s`,
        value: sustained,
        unit: 'msg/s',
        target: RATE * 0.95,
        kind: 'min',
      },
      { name: 'recipients sent twice', value: duplicates, unit: 'msgs', target: 1, kind: 'max' },
      { name: 'worker peak memory (RSS)', value: peakRss, unit: 'MB', target: 512, kind: 'max' },
    ];
  } finally {
    await mongo?.close();
    for (const child of children.reverse()) await stopChild(child);
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
