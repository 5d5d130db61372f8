// `npm start`: builds what is missing or older than its sources (server TypeScript, the inbox, the
// site chat widget), then runs the compiled server in this process so Ctrl-C and SIGTERM reach it directly.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

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

function run(what, command, args) {
  console.log(`building ${what}…`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`building ${what} failed`);
    process.exit(result.status ?? 1);
  }
}

const bin = (name) => join(root, 'node_modules', '.bin', name);
const serverEntry = join(root, 'dist', 'server', 'boot', 'main.js');
const serverSources = ['server', 'bot', 'flows', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((p) =>
  join(root, p),
);
if (isStale(serverEntry, serverSources)) run('the server', bin('tsc'), ['-p', 'tsconfig.build.json']);
const inboxEntry = join(root, 'inbox', 'dist', 'index.html');
const inboxSources = [
  'inbox/src',
  'inbox/index.html',
  'inbox/vite.config.ts',
  'inbox/svelte.config.js',
  'inbox/public',
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
await import(serverEntry);
