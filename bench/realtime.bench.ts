import { fork, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoClient, ObjectId } from 'mongodb';
import { freePort } from '../server/free-port.js';
import { buildServer } from './build-server.js';
import { APP_ENV, startChild, stopChild } from './child-process.js';
import type { ClientsReport, OperatorSocketReport } from './realtime-clients.js';
import type { Figure } from './run.js';

const ROOT = join(import.meta.dirname, '..');
const OPERATORS = Number(process.env.BENCH_OPERATORS ?? 1000);
const VISITORS = Number(process.env.BENCH_VISITORS ?? 10_000);
/** Load processes holding the client sockets, so the app's memory is measured alone. */
const CLIENT_PROCESSES = Number(process.env.BENCH_CLIENT_PROCESSES ?? 4);
const FANOUT_MESSAGES = Number(process.env.BENCH_FANOUT_MESSAGES ?? 30);
const FANOUT_INTERVAL_MS = Number(process.env.BENCH_FANOUT_INTERVAL_MS ?? 300);
/** How long after the last message the bench waits for the deliveries still on their way. */
const DELIVERY_DEADLINE_MS = Number(process.env.BENCH_DELIVERY_DEADLINE_S ?? 120) * 1000;
/** A delivery that took longer than this is late (it arrived, so it is not missed). */
const LATE_MS = Number(process.env.BENCH_LATE_MS ?? 1000);
/** Operator sockets (per load process) whose connection is cut a third of the way into the fan-out, as by a network blip. */
const DROP_OPERATORS = Number(process.env.BENCH_DROP_OPERATORS ?? 0);
const TIMELINE_EVENTS = Number(process.env.BENCH_TIMELINE_EVENTS ?? 10_000);
const TIMELINE_REQUESTS = Number(process.env.BENCH_TIMELINE_REQUESTS ?? 500);
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);
const ORIGIN = 'https://bench.example';
const GIB = 1024 * 1024 * 1024;

/** Resident memory of a process, from /proc: the figure the kernel charges it. */
function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D/g, '') ?? 0) * 1024;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

interface ClientProcess {
  child: ChildProcess;
  /** Answers awaited from the load process, by message type. */
  waiting: Map<string, (message: ClientMessage) => void>;
}

interface ClientMessage {
  type: string;
  seq?: number;
  ok?: boolean;
  error?: string;
  distinct?: number;
  report?: ClientsReport;
}

async function startClients(
  config: {
    url: string;
    channelId: string;
    sessions: string[];
    visitors: number;
  },
  onSent: (message: ClientMessage) => void,
): Promise<ClientProcess> {
  const child = fork(join(import.meta.dirname, 'realtime-clients.ts'), {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, REALTIME_CLIENTS: JSON.stringify({ ...config, origin: ORIGIN }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const client: ClientProcess = { child, waiting: new Map() };
  await new Promise<void>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`a client process exited with ${code}`)));
    child.on('message', (message: ClientMessage) => {
      if (message.type === 'ready') resolve();
      else if (message.type === 'sent') onSent(message);
      else client.waiting.get(message.type)?.(message);
    });
  });
  return client;
}

function ask(
  client: ClientProcess,
  command: { type: 'progress'; stored: number[] } | { type: 'report' },
): Promise<ClientMessage> {
  return new Promise((resolve) => {
    client.waiting.set(command.type, resolve);
    client.child.send(command);
  });
}
async function api(
  base: string,
  session: { cookie: string; csrfToken: string },
  method: string,
  path: string,
  body?: unknown,
): Promise<{ id: string }> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrfToken },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return JSON.parse(text) as { id: string };
}

/**
 * 1,000 operators signed in with session cookies, each with an `/inbox` socket in one team, and
 * 10,000 site visitors with the widget's `/visitor` socket: the app's memory, and how long a
 * visitor's message takes to reach every operator. Then a contact with 10,000 events: the
 * timeline page the inbox reads.
 */
export async function runRealtimeBench(): Promise<Figure[]> {
  console.log(
    `realtime bench: ${OPERATORS.toLocaleString('en')} operator sockets + ${VISITORS.toLocaleString('en')} widget sockets ` +
      `in ${CLIENT_PROCESSES} load processes; a ${TIMELINE_EVENTS.toLocaleString('en')}-event timeline`,
  );
  const out = buildServer('bench-build-realtime');
  const dataDir = mkdtempSync(join(tmpdir(), 'realtime-bench-'));
  const [storePort, port] = [await freePort(), await freePort()];
  const mongoUri = `mongodb://127.0.0.1:${storePort}/realtime-bench`;
  const children: ChildProcess[] = [];
  const clients: ClientProcess[] = [];
  const mongo = new MongoClient(mongoUri);
  try {
    // The store in its own process, as MongoDB is in production: the app's memory is the app's.
    children.push(
      await startChild(
        [join(out, 'server/store/cli.js'), '--port', String(storePort), '--data', join(dataDir, 'db')],
        {},
        'store listening',
      ),
    );
    const app = await startChild(
      [...APP_NODE_ARGS, join(out, 'server/boot/main.js')],
      { ...APP_ENV, PORT: String(port), DATA_DIR: dataDir, MONGODB_URI: mongoUri },
      'is running: open',
    );
    children.push(app);
    const base = `http://127.0.0.1:${port}/api/v1`;
    const setup = await fetch(`${base}/auth/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench Admin', email: 'bench@bench.local', password: 'bench password 123' }),
    });
    const admin = {
      cookie: setup.headers
        .getSetCookie()
        .find((c) => c.startsWith('sid='))!
        .split(';')[0]!,
      csrfToken: ((await setup.json()) as { csrfToken: string }).csrfToken,
    };
    const team = await api(base, admin, 'POST', '/teams', { name: 'Bench team' });
    const channel = await api(base, admin, 'POST', '/channels', {
      type: 'webchat',
      name: 'Bench site',
      allowedOrigins: [ORIGIN],
      teamIds: [team.id],
    });

    // Operators and their sessions written in bulk: signing 1,000 people in would time argon2.
    const db = mongo.db();
    const adminUser = await db.collection('users').findOne({ email: 'bench@bench.local' });
    if (!adminUser) throw new Error('the first admin is not in the store');
    const now = new Date();
    const operators = Array.from({ length: OPERATORS }, (_, i) => ({
      _id: new ObjectId(),
      name: `Оператор ${i + 1}`,
      email: `operator-${i + 1}@bench.local`,
      passwordHash: adminUser.passwordHash,
      role: 'operator',
      teamIds: [new ObjectId(team.id)],
      active: true,
      workingHours: [],
      timeZone: 'Europe/Moscow',
      language: 'ru',
      createdAt: now,
    }));
    await db.collection('users').insertMany(operators);
    const tokens = operators.map(() => randomBytes(32).toString('base64url'));
    await db.collection('sessions').insertMany(
      operators.map((user, i) => ({
        tokenHash: createHash('sha256').update(tokens[i]!, 'utf8').digest('hex'),
        userId: user._id,
        csrfToken: randomBytes(16).toString('hex'),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + 12 * 3600_000),
        endsAt: new Date(now.getTime() + 14 * 24 * 3600_000),
        ip: '',
        userAgent: 'realtime bench',
      })),
    );
    const contactId = await seedTimeline(db, new ObjectId(channel.id));

    const rssBefore = rssBytes(app.pid!);
    const connectStarted = performance.now();
    const share = (total: number, i: number) =>
      Math.floor((total * (i + 1)) / CLIENT_PROCESSES) - Math.floor((total * i) / CLIENT_PROCESSES);
    /** The widget's answer to each bench message: stored (ok) or refused, and why. */
    const sent = new Map<number, { ok: boolean; error?: string }>();
    let sessionsGiven = 0;
    for (let i = 0; i < CLIENT_PROCESSES; i++) {
      const sessions = tokens.slice(sessionsGiven, sessionsGiven + share(OPERATORS, i));
      sessionsGiven += sessions.length;
      clients.push(
        await startClients(
          {
            url: `http://127.0.0.1:${port}`,
            channelId: channel.id,
            sessions,
            visitors: share(VISITORS, i),
          },
          (answer) => sent.set(answer.seq!, { ok: answer.ok === true, error: answer.error }),
        ),
      );
    }
    const connectSeconds = (performance.now() - connectStarted) / 1000;
    console.log(`${OPERATORS + VISITORS} sockets connected in ${connectSeconds.toFixed(1)} s`);
    await sleep(3000);
    let rssPeak = rssBytes(app.pid!);

    // Fan-out: visitors write, every operator of the team hears it.
    const sender = clients[0]!;
    for (let seq = 1; seq <= FANOUT_MESSAGES; seq++) {
      if (DROP_OPERATORS > 0 && seq === Math.ceil(FANOUT_MESSAGES / 3))
        for (const client of clients) client.child.send({ type: 'drop', count: DROP_OPERATORS });
      sender.child.send({ type: 'send', seq });
      await sleep(FANOUT_INTERVAL_MS);
      rssPeak = Math.max(rssPeak, rssBytes(app.pid!));
    }
    // Wait, up to the deadline, until every stored message has reached every operator socket: one
    // still on its way under load is late, not missed.
    const lastSent = performance.now();
    // Where the bench used to stop waiting (3 s after the last message): what came later was counted as lost.
    const formerCutOff = performance.timeOrigin + lastSent + 3000;
    for (;;) {
      const stored = [...sent].filter(([, answer]) => answer.ok).map(([seq]) => seq);
      const answers = await Promise.all(clients.map((client) => ask(client, { type: 'progress', stored })));
      const seenSoFar = answers.reduce((n, m) => n + (m.distinct ?? 0), 0);
      const answered = sent.size === FANOUT_MESSAGES;
      if ((answered && seenSoFar >= stored.length * OPERATORS) || performance.now() - lastSent > DELIVERY_DEADLINE_MS)
        break;
      await sleep(500);
      rssPeak = Math.max(rssPeak, rssBytes(app.pid!));
    }
    const waitedSeconds = (performance.now() - lastSent) / 1000;
    const reports = (await Promise.all(clients.map((client) => ask(client, { type: 'report' })))).map((m) => m.report!);
    const fanout = deliveries(reports, sent, formerCutOff);
    console.log(
      `fan-out: waited ${waitedSeconds.toFixed(1)} s after the last message (deadline ${DELIVERY_DEADLINE_MS / 1000} s); ` +
        `${fanout.stored} of ${FANOUT_MESSAGES} messages stored${fanout.refused ? ` (not stored: ${formatCounts(fanout.refusedReasons)})` : ''}; ` +
        `${fanout.expected} deliveries expected, ${fanout.latencies.length} arrived (${fanout.late} later than ${LATE_MS} ms), ` +
        `${fanout.missed} missed, ${fanout.duplicates} repeated; ${fanout.afterFormerCutOff} arrived more than 3 s after ` +
        `the last message (the old bench stopped waiting there and counted them as missed)`,
    );
    console.log(
      `operator sockets: ${OPERATORS} opened, ${fanout.connectedAtEnd} connected at the end; ${fanout.socketsDisconnected} ` +
        `disconnected at least once (${formatCounts(fanout.disconnectReasons)}), ${fanout.reconnects} reconnections, ` +
        `${fanout.recovered} of them recovered; widget sockets lost: ${formatCounts(fanout.visitorDisconnects)}`,
    );
    for (const line of fanout.socketsMissing.slice(0, 10)) console.log(`  missing on a socket: ${line}`);
    const latencies = fanout.latencies;
    // The timeline page, with every socket still connected: the first page and pages deep in the history.
    const messageIds = await db
      .collection('messages')
      .find({ contactId }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .toArray();
    const timings: number[] = [];
    const pings: number[] = [];
    for (let i = 0; i < TIMELINE_REQUESTS; i++) {
      // A cursor above the 50 oldest, so every page is a whole page (below the oldest there is nothing).
      const deep = 50 + Math.floor(Math.random() * (messageIds.length - 50));
      const below = i % 5 === 0 ? undefined : messageIds[deep]!._id;
      const cursor = below
        ? `&cursor=${Buffer.from(JSON.stringify({ id: below.toHexString() })).toString('base64url')}`
        : '';
      const started = performance.now();
      const response = await fetch(`${base}/contacts/${contactId.toHexString()}/timeline?limit=50${cursor}`, {
        headers: { cookie: admin.cookie },
      });
      const page = (await response.json()) as { items?: unknown[] };
      timings.push(performance.now() - started);
      if (response.status !== 200 || !page.items?.length) throw new Error(`timeline page: ${response.status}`);
      // The baseline, interleaved: the same signed-in request path reading only the session and its user.
      const pinged = performance.now();
      const me = await fetch(`${base}/auth/me`, { headers: { cookie: admin.cookie } });
      await me.arrayBuffer();
      pings.push(performance.now() - pinged);
      if (me.status !== 200) throw new Error(`GET /auth/me: ${me.status}`);
    }
    timings.sort((a, b) => a - b);
    pings.sort((a, b) => a - b);
    rssPeak = Math.max(rssPeak, rssBytes(app.pid!));
    console.log(
      `app RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before the sockets, peak ${(rssPeak / 2 ** 20).toFixed(0)} MiB ` +
        `(${(((rssPeak - rssBefore) / (OPERATORS + VISITORS)) * 1e-3).toFixed(1)} KB a socket); fan-out p50 ` +
        `${percentile(latencies, 50).toFixed(1)} ms, ${latencies.length} of ${fanout.expected} deliveries; timeline p50 ` +
        `${percentile(timings, 50).toFixed(2)} ms (GET /auth/me between them: p50 ${percentile(pings, 50).toFixed(2)} ms, ` +
        `p99 ${percentile(pings, 99).toFixed(2)} ms)`,
    );
    return [
      {
        name: `app RSS, ${OPERATORS} operator + ${VISITORS} widget sockets`,
        value: rssPeak / GIB,
        unit: 'GiB',
        target: 1,
        kind: 'max',
        baseline: { name: 'before the sockets', value: rssBefore / GIB },
      },
      {
        name: `visitor message → ${OPERATORS} operator sockets p99`,
        value: percentile(latencies, 99),
        unit: 'ms',
        target: 250,
        kind: 'max',
        baseline: { name: 'p50', value: percentile(latencies, 50) },
      },
      {
        name: 'operator deliveries missed (never arrived)',
        value: fanout.missed,
        unit: 'msgs',
        target: 1,
        kind: 'max',
        baseline: { name: 'expected', value: fanout.expected },
      },
      {
        name: `operator deliveries late (> ${LATE_MS} ms)`,
        value: fanout.late,
        unit: 'msgs',
        target: 0,
        kind: 'info',
        baseline: { name: 'arrived', value: fanout.latencies.length },
      },
      {
        name: 'bench messages refused by the widget',
        value: fanout.refused,
        unit: 'msgs',
        target: 1,
        kind: 'max',
        baseline: { name: 'sent', value: FANOUT_MESSAGES },
      },
      {
        name: 'operator sockets connected at the end',
        value: fanout.connectedAtEnd,
        unit: 'sockets',
        target: OPERATORS,
        kind: 'min',
        baseline: { name: 'opened', value: OPERATORS },
      },
      {
        name: 'operator reconnections recovered',
        value: fanout.recovered,
        unit: 'sockets',
        target: fanout.reconnects,
        kind: 'min',
        baseline: { name: 'reconnections', value: fanout.reconnects },
      },
      {
        name: `timeline page (50 of ${TIMELINE_EVENTS}) p99`,
        value: percentile(timings, 99),
        unit: 'ms',
        target: 20,
        kind: 'max',
        baseline: { name: 'GET /auth/me p99', value: percentile(pings, 99) },
      },
      {
        name: `timeline page (50 of ${TIMELINE_EVENTS}) p50`,
        value: percentile(timings, 50),
        unit: 'ms',
        target: 0,
        kind: 'info',
        baseline: { name: 'GET /auth/me p50', value: percentile(pings, 50) },
      },
    ];
  } finally {
    for (const client of clients) client.child.send({ type: 'close' });
    await Promise.all(clients.map((client) => stopChild(client.child)));
    await mongo.close();
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function formatCounts(counts: Record<string, number>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? 'none' : entries.map(([reason, n]) => `${reason} ${n}`).join(', ');
}

/**
 * Deliveries from the load processes' reports: each stored bench message is owed once to every
 * operator socket. One that came is counted with its latency (late when past LATE_MS); one that
 * never came by the deadline is missed.
 */
function deliveries(
  reports: ClientsReport[],
  sent: Map<number, { ok: boolean; error?: string }>,
  formerCutOff: number,
) {
  const stored = [...sent].filter(([, answer]) => answer.ok).map(([seq]) => seq);
  const refusedReasons: Record<string, number> = {};
  for (const answer of sent.values())
    if (!answer.ok) refusedReasons[answer.error ?? 'unknown'] = (refusedReasons[answer.error ?? 'unknown'] ?? 0) + 1;
  const operators: OperatorSocketReport[] = reports.flatMap((report) => report.operators);
  const latencies: number[] = [];
  const disconnectReasons: Record<string, number> = {};
  const visitorDisconnects: Record<string, number> = {};
  for (const report of reports)
    for (const [reason, n] of Object.entries(report.visitorDisconnects))
      visitorDisconnects[reason] = (visitorDisconnects[reason] ?? 0) + n;
  const socketsMissing: string[] = [];
  let missed = 0;
  let duplicates = 0;
  let afterFormerCutOff = 0;
  for (const socket of operators) {
    const first = new Map<number, number>();
    for (const [seq, latency, arrivedAt] of socket.seen) {
      if (first.has(seq)) duplicates++;
      else {
        first.set(seq, latency);
        if (arrivedAt > formerCutOff) afterFormerCutOff++;
      }
    }
    latencies.push(...first.values());
    const missing = stored.filter((seq) => !first.has(seq));
    missed += missing.length;
    for (const reason of socket.disconnects) disconnectReasons[reason] = (disconnectReasons[reason] ?? 0) + 1;
    if (missing.length > 0)
      socketsMissing.push(
        `${missing.length} (messages ${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', …' : ''}); ` +
          `disconnects: ${socket.disconnects.join(', ') || 'none'}; reconnections ${socket.reconnects}, recovered ` +
          `${socket.recovered}; connected now: ${socket.connected}`,
      );
  }
  latencies.sort((a, b) => a - b);
  return {
    stored: stored.length,
    refused: FANOUT_MESSAGES - stored.length,
    refusedReasons: {
      ...refusedReasons,
      ...(sent.size < FANOUT_MESSAGES ? { 'no answer': FANOUT_MESSAGES - sent.size } : {}),
    },
    expected: stored.length * operators.length,
    latencies,
    late: latencies.filter((latency) => latency > LATE_MS).length,
    missed,
    duplicates,
    afterFormerCutOff,
    socketsMissing,
    connectedAtEnd: operators.filter((socket) => socket.connected).length,
    socketsDisconnected: operators.filter((socket) => socket.disconnects.length > 0).length,
    disconnectReasons,
    visitorDisconnects,
    reconnects: operators.reduce((n, socket) => n + socket.reconnects, 0),
    recovered: operators.reduce((n, socket) => n + socket.recovered, 0),
  };
}

/** A contact who has written 10,000 messages over a year, on the bench's site chat. */
async function seedTimeline(db: ReturnType<MongoClient['db']>, channelAccountId: ObjectId): Promise<ObjectId> {
  const contactId = new ObjectId();
  const conversationId = new ObjectId();
  const now = Date.now();
  await db.collection('contacts').insertOne({
    _id: contactId,
    status: 'active',
    name: 'Клиент с историей',
    phones: [],
    emails: [],
    identities: [],
    teamIds: [],
    tags: [],
    customFields: {},
    consent: {},
    createdAt: new Date(now - 365 * 86400_000),
    updatedAt: new Date(now),
  });
  await db.collection('conversations').insertOne({
    _id: conversationId,
    contactId,
    channel: 'webchat',
    channelAccountId,
    chatId: 'bench-history',
    status: 'resolved',
    handler: 'human',
    teamIds: [],
    lastMessageAt: new Date(now),
    unreadCount: 0,
    priority: 'none',
    labels: [],
    createdAt: new Date(now - 365 * 86400_000),
    updatedAt: new Date(now),
  });
  const step = (365 * 86400_000) / TIMELINE_EVENTS;
  const messages = Array.from({ length: TIMELINE_EVENTS }, (_, i) => {
    const at = new Date(now - 365 * 86400_000 + i * step);
    return {
      _id: new ObjectId(ObjectId.generate(Math.floor(at.getTime() / 1000))),
      conversationId,
      contactId,
      channel: 'webchat',
      channelAccountId,
      direction: i % 2 === 0 ? 'in' : 'out',
      author: i % 2 === 0 ? { kind: 'contact' } : { kind: 'user', name: 'Оператор' },
      content: { kind: 'text', text: `Сообщение ${i + 1}: сколько стоит дом из бруса 10 на 12 с террасой?` },
      status: i % 2 === 0 ? 'received' : 'read',
      attempts: 0,
      createdAt: at,
      updatedAt: at,
    };
  });
  for (let i = 0; i < messages.length; i += 2000)
    await db.collection('messages').insertMany(messages.slice(i, i + 2000));
  return contactId;
}
