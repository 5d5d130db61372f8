import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');

/**
 * Compiles the server into .data/bench-build (inside the project so the compiled ES modules
 * resolve node_modules): benches run it compiled, as `npm start` does, in processes of their own. A
 * bench gives its own folder when another bench may be building or running beside it.
 * `BENCH_PREBUILT=<folder>` skips the build and runs what that folder of .data holds.
 */
export function buildServer(folder = 'bench-build'): string {
  // A build made beforehand (`npx tsc -p tsconfig.build.json --outDir .data/<name>`), to run two
  // commits' builds one after another on the same machine.
  if (process.env.BENCH_PREBUILT) return join(ROOT, '.data', process.env.BENCH_PREBUILT);
  const out = join(ROOT, '.data', folder);
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json', '--outDir', out], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('building the server failed');
  return out;
}
