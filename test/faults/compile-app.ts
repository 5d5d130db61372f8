import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../server/paths.js';

/** Where the fault suites' builds of the server go: below node_modules, so packages resolve from them. */
const BUILDS_DIR = join(PROJECT_ROOT, 'node_modules', '.cache', 'fault-tests');

/**
 * Builds the server's JavaScript from the current sources, as `npm start` runs it (emit only:
 * `npm run typecheck` reports type errors). Each kill is followed by a start: under tsx every
 * start compiled hundreds of files again (40 s a start on the loaded 2-core machine), while the
 * compiled server starts in a second or two.
 */
export async function compileApp(): Promise<{ dir: string; remove(): void }> {
  // A folder of this run's own: two runs side by side must not rebuild under each other's processes.
  mkdirSync(BUILDS_DIR, { recursive: true });
  const dir = mkdtempSync(join(BUILDS_DIR, 'dist-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const tsc = spawn(
    join(PROJECT_ROOT, 'node_modules', '.bin', 'tsc'),
    ['-p', 'tsconfig.build.json', '--noCheck', '--outDir', dir],
    { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  for (const stream of [tsc.stdout, tsc.stderr]) stream.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = await once(tsc, 'exit');
  if (code !== 0) {
    remove();
    throw new Error(`building the server failed:\n${output}`);
  }
  return { dir, remove };
}
