// What `npm start` runs and `npm install` prepares: the server's TypeScript into dist/, the inbox into
// inbox/dist and the site chat widget into bot/webchat/widget/dist, each built only when it is
// missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** A build that did not finish; `what` names it for the person who ran the command. */
export class BuildError extends Error {
  constructor(what, status) {
    super(`building ${what} failed`);
    this.name = 'BuildError';
    this.what = what;
    this.status = status ?? 1;
  }
}

function newestMtime(paths) {
  let newest = 0;
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      if (path.endsWith('node_modules') || path.endsWith('dist')) continue;
      newest = Math.max(newest, newestMtime(readdirSync(path).map((name) => join(path, name))));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  }
  return newest;
}

function isStale(output, sources) {
  return !existsSync(output) || statSync(output).mtimeMs < newestMtime(sources);
}

const bin = (name) => join(root, 'node_modules', '.bin', name);

/** The tools the builds need are dev dependencies: absent after `npm install --omit=dev`. */
export function buildToolsInstalled() {
  return existsSync(bin('tsc')) && existsSync(bin('vite'));
}

function run(what, command, args) {
  console.log(`building ${what}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.error) console.error(result.error.message);
  if (result.status !== 0) throw new BuildError(what, result.status);
}

/** Builds whatever is stale, in order; throws BuildError at the first build that fails. */
export function buildWhatIsStale() {
  const serverEntry = join(root, 'dist', 'server', 'boot', 'main.js');
  const serverSources = ['server', 'bot', 'flows', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) =>
    join(root, p),
  );
  // Emit only: type errors are `npm run typecheck`'s to report (CI runs it), and checking the
  // whole project took three quarters of the build (45 of 60 s of CPU on the 2-core machine).
  if (isStale(serverEntry, serverSources)) run('the server', bin('tsc'), ['-p', 'tsconfig.build.json', '--noCheck']);
  const inboxEntry = join(root, 'inbox', 'dist', 'index.html');
  const inboxSources = [
    'inbox/src',
    'inbox/index.html',
    'inbox/vite.config.ts',
    'inbox/svelte.config.js',
    'inbox/public',
    // The broadcast composer counts SMS parts with the SMS channel's own function.
    'bot/sms/count-sms-segments.ts',
  ].map((p) => join(root, p));
  if (existsSync(join(root, 'inbox', 'vite.config.ts')) && isStale(inboxEntry, inboxSources)) {
    run('the inbox', bin('vite'), ['build', '--config', 'inbox/vite.config.ts', '--logLevel', 'warn']);
  }
  // The site chat widget imports the protocol files beside it, so all of bot/webchat is its source
  // (newestMtime skips the widget's own dist).
  const widgetEntry = join(root, 'bot', 'webchat', 'widget', 'dist', 'widget.js');
  const widgetSources = ['bot/webchat'].map((p) => join(root, p));
  if (existsSync(join(root, 'bot', 'webchat', 'widget', 'vite.config.ts')) && isStale(widgetEntry, widgetSources)) {
    run('the site chat widget', bin('vite'), [
      'build',
      '--config',
      'bot/webchat/widget/vite.config.ts',
      '--logLevel',
      'warn',
    ]);
  }
}
