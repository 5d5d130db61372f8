import type { ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient, ObjectId } from 'mongodb';
import { io as connectSocket, type Socket } from 'socket.io-client';
import { freePort } from '../server/free-port.js';
import { startTelegramBotApi, type TelegramBotApiStandIn } from '../test/stand-ins/telegram-bot-api.js';
import { buildServer } from './build-server.js';
import { APP_ENV, startChild, stopChild } from './child-process.js';
import type { Figure } from './run.js';

const ROOT = join(import.meta.dirname, '..');
const SUSTAIN_SECONDS = Number(process.env.BENCH_INGEST_SECONDS ?? 30);
const LATENCY_RATE = 1000;
const LATENCY_SECONDS = 10;
const CONCURRENCY = 64;
const OUTBOUND_REPLIES = Number(process.env.BENCH_OUTBOUND_REPLIES ?? 10_000);
const OUTBOUND_RATE = 200;
const WEBHOOK_SECRET = 'bench-webhook-secret';
// Distinct people writing: the first message of each makes a contact and a conversation, later ones follow up.
const CHATS = Number(process.env.BENCH_CHATS ?? 2000);
// Extra node flags for the app under test, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where its time goes.
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

interface Target {
  port: number;
  agent: Agent;
}

function post(
  target: Target,
  path: string,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: target.port,
        path,
        method: 'POST',
        agent: target.agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

async function api(
  target: Target,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ id?: string }> {
  const response = await fetch(`http://127.0.0.1:${target.port}/api/v1${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return text ? (JSON.parse(text) as { id?: string }) : {};
}

function telegramUpdate(seq: number, chat: number, text: string): string {
  return JSON.stringify({
    update_id: seq,
    message: {
      message_id: seq,
      date: Math.floor(Date.now() / 1000),
      chat: { id: chat, type: 'private', first_name: `Лид ${chat}` },
      from: { id: chat, is_bot: false, first_name: `Лид ${chat}`, language_code: 'ru' },
      text,
    },
  });
}

/** Posts as fast as `CONCURRENCY` connections allow for `seconds`; counts 200s and everything else. */
async function sustain(
  target: Target,
  seconds: number,
  next: () => { path: string; body: string; headers: Record<string, string> },
): Promise<{ ok: number; failed: number; seconds: number }> {
  let ok = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < until) {
        const { path, body, headers } = next();
        const response = await post(target, path, body, headers).catch(() => ({ status: 0, text: '' }));
        if (response.status === 200) ok += 1;
        else failed += 1;
      }
    }),
  );
  return { ok, failed, seconds: (performance.now() - started) / 1000 };
}

/**
 * CPU time a process has used, all threads (Linux /proc; NaN elsewhere). Per message it is a
 * steadier yardstick than throughput on a machine the load generator shares.
 */
function processCpuMs(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime (fields 14 and 15 of stat) in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function subscribe(port: number, token: string | undefined): Promise<Socket> {
  const socket = connectSocket(`http://127.0.0.1:${port}/inbox`, {
    transports: ['websocket'],
    auth: token ? { token } : {},
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  return socket;
}

export async function runIngestBench(): Promise<Figure[]> {
  console.log(
    `ingest bench: Telegram webhooks for ${SUSTAIN_SECONDS} s at ${CONCURRENCY} connections, latency at ${LATENCY_RATE}/s, ` +
      `${OUTBOUND_REPLIES.toLocaleString('en')} replies at ${OUTBOUND_RATE}/s`,
  );
  const out = buildServer();
  const dataDir = mkdtempSync(join(tmpdir(), 'ingest-bench-'));
  const telegram: TelegramBotApiStandIn = await startTelegramBotApi();
  const port = await freePort();
  const target: Target = { port, agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) };
  const children: ChildProcess[] = [];
  const sockets: Socket[] = [];
  try {
    const app = await startChild(
      [...APP_NODE_ARGS, join(out, 'server/boot/main.js')],
      { ...APP_ENV, PORT: String(port), DATA_DIR: dataDir, TELEGRAM_API_ROOT: telegram.apiRoot },
      'is running: open',
    );
    children.push(app);
    // The first admin, and a token the bench acts with.
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
    const { csrfToken } = (await setup.json()) as { csrfToken: string };
    const tokenResponse = await fetch(`${base}/auth/tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken },
      body: JSON.stringify({
        name: 'bench',
        scopes: ['channels.manage', 'conversations.read', 'conversations.reply', 'contacts.read'],
      }),
    });
    const { token } = (await tokenResponse.json()) as { token: string };
    const channel = await api(target, 'POST', '/channels', token, {
      type: 'telegram',
      name: 'Bench bot',
      token: telegram.token,
      webhookSecret: WEBHOOK_SECRET,
      ratePerSecond: OUTBOUND_RATE,
    });
    const hook = `/hooks/telegram/${channel.id}`;
    const headers = { 'x-telegram-bot-api-secret-token': WEBHOOK_SECRET };
    const inbox = await subscribe(port, token);
    sockets.push(inbox);
    let pushed = 0;
    inbox.on('message.created', () => (pushed += 1));

    // 1. Sustained ingest: a new lead every other message, a follow-up from a known one otherwise.
    let seq = 0;
    const cpuBefore = processCpuMs(app.pid);
    const sustained = await sustain(target, SUSTAIN_SECONDS, () => {
      seq += 1;
      return { path: hook, body: telegramUpdate(seq, 1_000_000 + (seq % CHATS), `Сообщение ${seq}`), headers };
    });
    const ingestRate = sustained.ok / sustained.seconds;
    const cpuPerMessage = (processCpuMs(app.pid) - cpuBefore) / sustained.ok;
    console.log(
      `  ingest: ${sustained.ok} stored in ${sustained.seconds.toFixed(1)} s, ${sustained.failed} failed, ${pushed} pushed, ` +
        `app CPU ${cpuPerMessage.toFixed(3)} ms per message (all its threads)`,
    );

    const readiness = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { store: { address: string } };
    const mongo = await MongoClient.connect(`${readiness.store.address}/funnel`);
    const stored = await mongo.db().collection('messages').countDocuments({ direction: 'in' });
    console.log(`  durable: ${stored} messages in the store for ${sustained.ok} answers of 200`);

    // 2. Latency at a steady 1,000/s from the people of phase 1: webhook sent → the event at a subscribed socket.
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    inbox.on('message.created', (payload: { message?: { content?: { text?: string } } }) => {
      const text = payload.message?.content?.text;
      const started = text ? sentAt.get(text) : undefined;
      if (started !== undefined) latencies.push(performance.now() - started);
    });
    const tickMs = 10;
    const perTick = (LATENCY_RATE * tickMs) / 1000;
    const latencyStart = performance.now();
    const inflight: Promise<unknown>[] = [];
    for (let tick = 0; tick < (LATENCY_SECONDS * 1000) / tickMs; tick++) {
      const due = latencyStart + tick * tickMs;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      for (let i = 0; i < perTick; i++) {
        seq += 1;
        const text = `lat-${seq}`;
        sentAt.set(text, performance.now());
        inflight.push(
          post(target, hook, telegramUpdate(seq, 1_000_000 + (seq % CHATS), text), headers).catch(() => undefined),
        );
      }
    }
    await Promise.all(inflight);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    latencies.sort((a, b) => a - b);
    console.log(
      `  latency: ${latencies.length} of ${sentAt.size} events seen, p50 ${percentile(latencies, 50).toFixed(1)} ms`,
    );

    // 3. Outbound: one reply to each of OUTBOUND_REPLIES conversations, at the account's rate.
    const conversations = await mongo
      .db()
      .collection('conversations')
      .find({ channelAccountId: new ObjectId(String(channel.id)) }, { projection: { _id: 1 } })
      .toArray();
    await mongo.close();
    // Replies go round the conversations: with CHATS of them each chat gets one every CHATS/OUTBOUND_RATE
    // seconds, so Telegram's one-per-second per chat never binds and the account rate is what is measured.
    const replies = OUTBOUND_REPLIES;
    const sentBefore = telegram.sent().length;
    let queued = 0;
    const queueStarted = performance.now();
    await Promise.all(
      Array.from({ length: 16 }, async (_, worker) => {
        for (let i = worker; i < replies; i += 16) {
          await api(
            target,
            'POST',
            `/conversations/${String(conversations[i % conversations.length]!._id)}/messages`,
            token,
            {
              text: `reply-${i}`,
            },
          );
          queued += 1;
        }
      }),
    );
    console.log(`  outbound: ${queued} replies queued in ${((performance.now() - queueStarted) / 1000).toFixed(1)} s`);
    // The queue's own pace is measured once everything is queued: while the API is still taking
    // replies, the queueing requests and the sends share the machine.
    const queuedAt = Date.now();
    const deadline = Date.now() + (replies / OUTBOUND_RATE) * 1000 * 3 + 30_000;
    while (telegram.sentAt().length - sentBefore < replies && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 500));
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const times = telegram.sentAt().slice(sentBefore);
    const texts = telegram
      .sent()
      .slice(sentBefore)
      .map((record) => record.text);
    const duplicates = texts.length - new Set(texts).size;
    let maxPerSecond = 0;
    for (let start = 0, end = 0; end < times.length; end++) {
      while (times[end]! - times[start]! >= 1000) start += 1;
      maxPerSecond = Math.max(maxPerSecond, end - start + 1);
    }
    const spanSeconds = times.length > 1 ? (times[times.length - 1]! - times[0]!) / 1000 : Number.NaN;
    const afterQueued = times.filter((at) => at >= queuedAt);
    const outboundRate =
      afterQueued.length > 1
        ? (afterQueued.length - 1) / ((afterQueued[afterQueued.length - 1]! - afterQueued[0]!) / 1000)
        : Number.NaN;
    console.log(`  outbound: ${times.length} of ${replies} sent in ${spanSeconds.toFixed(1)} s, ${duplicates} twice`);

    await stopChild(app);
    children.length = 0;

    // 4. The yardstick: a bare express + socket.io relay of the same payloads.
    const barePort = await freePort();
    const bare = await startChild(
      ['--import', 'tsx', join(ROOT, 'bench', 'bare-relay.ts'), String(barePort)],
      {},
      'listening',
    );
    children.push(bare);
    const bareTarget: Target = { port: barePort, agent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) };
    const bareSocket = await subscribe(barePort, undefined);
    sockets.push(bareSocket);
    let bareSeq = 0;
    const bareRun = await sustain(bareTarget, Math.min(SUSTAIN_SECONDS, 10), () => {
      bareSeq += 1;
      return {
        path: hook,
        body: telegramUpdate(bareSeq, 1_000_000 + (bareSeq % CHATS), `Сообщение ${bareSeq}`),
        headers,
      };
    });
    const bareRate = bareRun.ok / bareRun.seconds;

    return [
      {
        name: `Telegram webhooks stored, sustained ${SUSTAIN_SECONDS} s`,
        value: ingestRate,
        unit: 'msg/s',
        target: 3000,
        kind: 'min',
        baseline: { name: 'bare relay', value: bareRate },
      },
      {
        name: 'answered 200 but not in the store',
        value: Math.max(0, sustained.ok - stored),
        unit: 'msgs',
        target: 1,
        kind: 'max',
      },
      {
        name: `webhook → socket p99 at ${LATENCY_RATE}/s`,
        value: percentile(latencies, 99),
        unit: 'ms',
        target: 50,
        kind: 'max',
      },
      {
        name: 'events never seen by the socket',
        value: sentAt.size - latencies.length,
        unit: 'msgs',
        target: 1,
        kind: 'max',
      },
      {
        name: 'throughput as a fraction of the bare relay',
        value: ingestRate / bareRate,
        unit: 'x',
        target: 0.5,
        kind: 'min',
      },
      {
        name: `outbound busiest second (account rate ${OUTBOUND_RATE}/s)`,
        value: maxPerSecond,
        unit: 'msg/s',
        // The limit is kept on Redis's clock from each provider answer; these timestamps are the
        // stand-in's, a network hop earlier, so a send can move a millisecond across a window edge.
        target: Math.ceil(OUTBOUND_RATE * 1.02),
        kind: 'max',
      },
      {
        name: 'outbound sustained rate once all are queued',
        value: outboundRate,
        unit: 'msg/s',
        target: OUTBOUND_RATE * 0.9,
        kind: 'min',
      },
      { name: `outbound replies sent of ${replies}`, value: times.length, unit: 'msgs', target: replies, kind: 'min' },
      { name: 'outbound replies sent twice', value: duplicates, unit: 'msgs', target: 1, kind: 'max' },
    ];
  } finally {
    for (const socket of sockets) socket.close();
    for (const child of children) await stopChild(child);
    await telegram.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
