import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import http from 'node:http';
import { join, relative } from 'node:path';
import type { Express } from 'express';
import { Server as SocketServer } from 'socket.io';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TEST_PASSWORD } from '../api/api-harness.js';

/**
 * What the browser suites share: a fresh inbox build, the express app on a loopback port, and
 * Debian's chromium driven by playwright-core with a page that records every error it sees.
 */

const ROOT = join(import.meta.dirname, '..', '..');

const BUILD_CACHE = join(ROOT, 'node_modules', '.cache', 'e2e-builds');
/** A build left half-done by a killed run is taken over after this long. */
const STALE_LOCK_MS = 5 * 60_000;

/** A digest of every file under the folders (their paths and bytes): equal digests, equal builds. */
function digestOf(paths: string[]): string {
  const hash = createHash('sha256');
  const walk = (path: string): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) {
        if (name !== 'node_modules' && name !== 'dist') walk(join(path, name));
      }
      return;
    }
    hash.update(relative(ROOT, path)).update('\0').update(readFileSync(path));
  };
  for (const path of paths) walk(join(ROOT, path));
  return hash.digest('hex').slice(0, 16);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Builds once per content of `sources` and copies the build into `outDir`, a folder of the
 * suite's own. A dozen browser suites each used to run vite themselves, minutes of a test run;
 * now the first builds under a lock (other vitest workers wait for it) and the rest copy.
 */
function cachedBuild(name: string, sources: string[], build: (outDir: string) => void, outDir: string): void {
  const built = join(BUILD_CACHE, `${name}-${digestOf([...sources, 'package-lock.json'])}`);
  const lock = `${built}.lock`;
  mkdirSync(BUILD_CACHE, { recursive: true });
  while (!existsSync(built)) {
    try {
      mkdirSync(lock);
    } catch {
      if (Date.now() - statSync(lock, { throwIfNoEntry: false })!.mtimeMs > STALE_LOCK_MS) {
        rmSync(lock, { recursive: true, force: true });
      }
      sleepSync(250);
      continue;
    }
    try {
      const staging = `${built}.${process.pid}`;
      build(staging);
      renameSync(staging, built);
    } finally {
      rmSync(lock, { recursive: true, force: true });
    }
  }
  cpSync(built, outDir, { recursive: true });
}

/**
 * The inbox built from its current sources, in `outDir`: the boot suite's `npm start` may be
 * rebuilding inbox/dist in another vitest worker at the same moment, so each suite serves its own.
 */
export function buildInbox(outDir: string): void {
  cachedBuild(
    'inbox',
    // What the inbox imports from outside its folder counts too (scripts/build.mjs lists the same).
    ['inbox', 'bot/sms/count-sms-segments.ts'],
    (into) =>
      execFileSync(
        'npm',
        ['run', '--silent', 'build:inbox', '--', '--outDir', into, '--emptyOutDir', '--logLevel', 'warn'],
        { cwd: ROOT, stdio: 'pipe' },
      ),
    outDir,
  );
}

/** The site chat widget built from its current sources, in `outDir` (see buildInbox). */
export async function buildWidget(outDir: string): Promise<void> {
  cachedBuild(
    'widget',
    ['bot/webchat', 'bot/channels'],
    (into) =>
      execFileSync(
        'npx',
        ['vite', 'build', '--config', 'bot/webchat/widget/vite.config.ts', '--outDir', into, '--emptyOutDir'],
        { cwd: ROOT, stdio: 'pipe' },
      ),
    outDir,
  );
}

export interface ServedApp {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves an express app on a loopback port. `realtime`: a Socket.IO server with an `/inbox`
 * namespace that accepts anyone, for pages tested against stand-in APIs (the signed-in inbox
 * keeps a realtime connection open, and a refused one shows as a console error).
 */
export async function serveApp(app: Express, options: { realtime?: boolean } = {}): Promise<ServedApp> {
  const server = http.createServer(app);
  const io = options.realtime ? new SocketServer(server, { serveClient: false }) : undefined;
  io?.of('/inbox');
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the server is not listening on TCP');
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () =>
      new Promise((resolve, reject) => {
        io?.disconnectSockets(true);
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface ErrorWatchingPage {
  page: Page;
  /** Console errors, uncaught exceptions, failed requests and CSP violations seen so far. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A page in a fresh browser context (so no locale choice leaks between tests) whose browser
 * language is English: the inbox must still start in Russian. `expectedErrorUrl` names the one
 * address whose error response the test provokes on purpose: Chromium logs every 4xx response.
 */
export async function openPage(browser: Browser, expectedErrorUrl?: string): Promise<ErrorWatchingPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const problems: string[] = [];
  // The app's Content-Security-Policy (server/http/security-headers.ts) must fit what the pages
  // really do: every violation the browser reports is a problem, also where no console line says so.
  await context.exposeBinding('reportCspViolation', ({ frame }, violation: string) => {
    problems.push(`Content Security Policy violation: ${violation} at ${frame.url()}`);
  });
  await context.addInitScript(`document.addEventListener('securitypolicyviolation', (event) =>
    window.reportCspViolation(event.effectiveDirective + ' refused ' + (event.blockedURI || 'inline') +
      (event.sample ? ' (' + event.sample + ')' : '')));`);
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    // A reload, a navigation or a superseded fetch cancels requests in flight: nothing a person sees.
    if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.url()} (${request.failure()?.errorText ?? 'unknown'})`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    if (expectedErrorUrl && url.endsWith(expectedErrorUrl)) return;
    problems.push(`console error: ${message.text()} at ${url}`);
  });
  return { page, problems, close: () => context.close() };
}

/**
 * Signs `email` in on the login page the app shows at `url` (its address, with a `#/…` route to
 * land on) and waits for the inbox's section rail: the one sign-in every browser suite goes through.
 */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  // A cold page on a busy machine (the other suites build and run beside this one) takes a while.
  await page.goto(url, { timeout: 20_000 });
  await page.getByLabel('Электронная почта').fill(email);
  await page.getByLabel('Пароль', { exact: true }).fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Войти', exact: true }).click();
  await page.getByRole('navigation', { name: 'Разделы', exact: true }).waitFor();
}
