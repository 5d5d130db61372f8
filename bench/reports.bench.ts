import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import mongoose from 'mongoose';
import { freePort } from '../server/free-port.js';
import { forgetAllKeptDays } from '../server/reports/daily/daily-counts.js';
import { keepReportDays } from '../server/reports/daily/report-days-queue.js';
import { buildAppIndexes } from './app-indexes.js';
import { buildServer } from './build-server.js';
import { APP_ENV, startChild, stopChild } from './child-process.js';
import { seedReportsData, type SeedSummary } from './reports-seed.js';
import type { Figure } from './run.js';

const DEALS = Number(process.env.BENCH_REPORTS_DEALS ?? 100_000);
const MESSAGES = Number(process.env.BENCH_REPORTS_MESSAGES ?? 1_000_000);
/** Timed requests per report and period: the figures are their median and their worst. */
const RUNS = Number(process.env.BENCH_REPORTS_RUNS ?? 5);
const TARGET_MS = 1000;
const TIME_ZONE = 'Europe/Moscow';
/** A data folder to keep (and reuse once seeded) instead of a fresh one per run. */
const KEPT_DATA_DIR = process.env.BENCH_REPORTS_DATA_DIR || undefined;
const MANAGER = { email: 'manager@bench.local', password: 'bench password 123' };
// Extra node flags for the app, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to see where a report's time goes.
const APP_NODE_ARGS = (process.env.BENCH_APP_NODE_ARGS ?? '').split(' ').filter(Boolean);

/** A signed-in browser session: the cookie, and the CSRF token writes need. */
interface Session {
  cookie: string;
  csrfToken: string;
}

async function signIn(base: string, path: string, body: unknown): Promise<Session> {
  const response = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status >= 300) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('sid='))!
    .split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return { cookie, csrfToken };
}

/** The first admin (first-start setup) and, by the admin, the manager the reports are read as. */
async function createPeople(base: string): Promise<void> {
  const admin = await signIn(base, '/auth/setup', {
    name: 'Bench Admin',
    email: 'bench@bench.local',
    password: 'bench password 123',
  });
  const created = await fetch(`${base}/users`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: admin.cookie, 'x-csrf-token': admin.csrfToken },
    body: JSON.stringify({ name: 'Bench Manager', ...MANAGER, role: 'manager', timeZone: TIME_ZONE }),
  });
  if (created.status >= 300) throw new Error(`POST /users: ${created.status} ${await created.text()}`);
}

function describeSeed(seed: SeedSummary): string {
  const n = (value: number) => value.toLocaleString('en');
  return (
    `${n(seed.deals)} deals, ${n(seed.contacts)} contacts, ${n(seed.conversations)} conversations, ` +
    `${n(seed.messages)} messages, ${n(seed.reportEvents)} report events, ${n(seed.tasks)} tasks, ` +
    `${seed.broadcasts} broadcasts, ${seed.users} operators`
  );
}

/** One GET as that session, timed from the request to the last byte of the answer. */
async function timedGet(base: string, session: Session, path: string): Promise<{ ms: number; body: unknown }> {
  const started = performance.now();
  const response = await fetch(`${base}${path}`, { headers: { cookie: session.cookie, accept: 'application/json' } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${text.slice(0, 500)}`);
  return { ms, body: JSON.parse(text) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
}

/** Today in the manager's time zone, and the day `days - 1` before it: a period of `days` days. */
function lastDays(days: number): { from: string; to: string } {
  const to = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/** The headline of a report view in one line, so a run shows the reports saw the data. */
function headlineOf(view: unknown): string {
  const headline = (view as { headline?: { key: string; value: number | null }[] }).headline ?? [];
  return headline
    .slice(0, 5)
    .map((figure) => `${figure.key}=${figure.value === null ? '–' : Math.round(figure.value * 100) / 100}`)
    .join(' ');
}

/** Both periods the bench reads (90 days and the 90 before), and a margin. */
const KEPT_DAYS = 182;

/**
 * What the worker's daily job keeps (see keepReportDays), for the seeded history: the seed wrote
 * months of the past straight into the store, so what the app kept at its start is counted again.
 * Seconds taken.
 */
async function keepDailyCounts(uri: string, freshSeed: boolean): Promise<number> {
  const connection = await mongoose.createConnection(uri).asPromise();
  try {
    const started = performance.now();
    if (freshSeed) await forgetAllKeptDays(connection);
    await keepReportDays({ db: connection }, TIME_ZONE, KEPT_DAYS);
    return (performance.now() - started) / 1000;
  } finally {
    await connection.close();
  }
}

/**
 * Every report over HTTP as a manager, on a compiled app with BENCH_REPORTS_DEALS deals and
 * BENCH_REPORTS_MESSAGES messages written straight into its store: the default period (the last
 * 30 days) and the last 90 days, RUNS times each; the baseline is `GET /auth/me` in the same run.
 */
export async function runReportsBench(): Promise<Figure[]> {
  console.log(
    `reports bench: ${DEALS.toLocaleString('en')} deals, ${MESSAGES.toLocaleString('en')} messages, ${RUNS} runs per report and period ` +
      '(BENCH_REPORTS_DEALS, BENCH_REPORTS_MESSAGES, BENCH_REPORTS_RUNS to change)',
  );
  const out = buildServer('bench-build-reports');
  // A kept folder that holds a seeded workspace is reused as it is: timing again after a fix
  // does not take the seeding's minutes.
  const dataDir = KEPT_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'reports-bench-'));
  const port = await freePort();
  let app: ChildProcess | undefined;
  let mongo: MongoClient | undefined;
  try {
    app = await startChild(
      [...APP_NODE_ARGS, join(out, 'server/boot/main.js')],
      { ...APP_ENV, PORT: String(port), DATA_DIR: dataDir },
      'is running: open',
    );
    const base = `http://127.0.0.1:${port}/api/v1`;
    const readiness = (await (await fetch(`http://127.0.0.1:${port}/readyz`)).json()) as { store: { address: string } };
    const storeUri = `${readiness.store.address}/funnel`;
    mongo = await MongoClient.connect(storeUri);
    const marker = mongo.db().collection<{ _id: string; seed: SeedSummary }>('bench_seed');
    const seeded = await marker.findOne({ _id: 'reports' });
    if (!seeded) await createPeople(base);
    const manager = await signIn(base, '/auth/login', MANAGER);
    let seed: SeedSummary | undefined;
    if (seeded) {
      console.log(`  reusing the workspace seeded in ${dataDir}: ${describeSeed(seeded.seed)}`);
    } else {
      await buildAppIndexes(storeUri);
      seed = await seedReportsData(mongo.db(), { deals: DEALS, messages: MESSAGES });
      await marker.insertOne({ _id: 'reports', seed });
      console.log(`  seeded in ${seed.seconds.toFixed(0)} s: ${describeSeed(seed)}`);
    }
    await mongo.db('admin').command({ fsync: 1 });
    const kept = await keepDailyCounts(storeUri, Boolean(seed));
    console.log(
      `  daily counts kept for the last ${KEPT_DAYS} days in ${kept.toFixed(1)} s (once; then the nightly job adds each day)`,
    );

    const list = await timedGet(base, manager, '/reports');
    const reports = (list.body as { reports: { id: string }[] }).reports.map((report) => report.id);
    console.log(`  reports the manager may open: ${reports.join(', ')}`);

    const periods = [
      { name: 'last 30 days (default)', query: '' },
      { name: 'last 90 days', query: `?from=${lastDays(90).from}&to=${lastDays(90).to}` },
    ];
    const baseline: number[] = [];
    const figures: Figure[] = [];
    for (const period of periods) {
      for (const report of reports) {
        const times: number[] = [];
        let view: unknown;
        try {
          for (let run = 0; run < RUNS; run++) {
            const answer = await timedGet(base, manager, `/reports/${report}${period.query}`);
            times.push(answer.ms);
            view = answer.body;
            // The yardstick after each report: the same session, a route that reads a session and a user.
            baseline.push((await timedGet(base, manager, '/auth/me')).ms);
          }
        } catch (error) {
          // A report that fails is a missed figure; the others are still timed.
          console.log(`  ${report}, ${period.name}: FAILED ${error instanceof Error ? error.message : String(error)}`);
          figures.push({ name: `${report}, ${period.name}, answered`, value: 0, unit: 'ok', target: 1, kind: 'min' });
          continue;
        }
        console.log(
          `  ${report}, ${period.name}: p50 ${median(times).toFixed(0)} ms, worst ${Math.max(...times).toFixed(0)} ms ` +
            `(first ${times[0]!.toFixed(0)} ms); ${headlineOf(view)}`,
        );
        figures.push(
          {
            name: `${report}, ${period.name}, p50 of ${RUNS}`,
            value: median(times),
            unit: 'ms',
            target: TARGET_MS,
            kind: 'max',
            baseline: { name: 'GET /auth/me p50', value: median(baseline) },
          },
          {
            name: `${report}, ${period.name}, worst of ${RUNS}`,
            value: Math.max(...times),
            unit: 'ms',
            target: TARGET_MS,
            kind: 'max',
            baseline: { name: 'GET /auth/me worst', value: Math.max(...baseline) },
          },
        );
      }
    }
    if (seed) {
      const written = seed.deals + seed.contacts + seed.tasks + seed.conversations + seed.messages + seed.reportEvents;
      figures.push({
        name: 'seed: documents written per second (not judged)',
        value: written / seed.seconds,
        unit: 'docs/s',
        target: 0,
        kind: 'info',
      });
    }
    return figures;
  } finally {
    await mongo?.close().catch(() => undefined);
    if (app) await stopChild(app);
    if (!KEPT_DATA_DIR) rmSync(dataDir, { recursive: true, force: true });
  }
}
