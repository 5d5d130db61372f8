import { execFile, execFileSync } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Express } from 'express';
import { Server as SocketServer } from 'socket.io';
import { chromium, type Browser, type Page } from 'playwright-core';

/**
 * What the browser suites share: a fresh inbox build, the express app on a loopback port, and
 * Debian's chromium driven by playwright-core with a page that records every error it sees.
 */

const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Builds the inbox from its current sources into `outDir`, a folder of the suite's own: the boot
 * suite's `npm start` may be rebuilding inbox/dist in the other vitest worker at the same moment,
 * and a build empties its output folder first.
 */
export function buildInbox(outDir: string): void {
  execFileSync(
    'npm',
    ['run', '--silent', 'build:inbox', '--', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: ROOT,
      stdio: 'pipe',
    },
  );
}

/** Builds the site chat widget into `outDir`, a folder of the suite's own (see buildInbox). */
export async function buildWidget(outDir: string): Promise<void> {
  await promisify(execFile)(
    'npx',
    ['vite', 'build', '--config', 'bot/webchat/widget/vite.config.ts', '--outDir', outDir, '--emptyOutDir'],
    { cwd: ROOT },
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
  /** Console errors, uncaught exceptions and failed requests seen so far. */
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
  const page = await context.newPage();
  page.setDefaultTimeout(5_000);
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url } = message.location();
    if (expectedErrorUrl && url.endsWith(expectedErrorUrl)) return;
    problems.push(`console error: ${message.text()} at ${url}`);
  });
  return { page, problems, close: () => context.close() };
}
