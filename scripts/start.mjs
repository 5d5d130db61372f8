// `npm start`: builds what is missing or older than its sources (server TypeScript, the inbox, the
// site chat widget; see build.mjs), then runs the compiled server in this process so Ctrl-C and
// SIGTERM reach it directly.
import { join } from 'node:path';
import { BuildError, buildWhatIsStale } from './build.mjs';

try {
  buildWhatIsStale();
} catch (error) {
  if (!(error instanceof BuildError)) throw error;
  console.error(error.message);
  process.exit(error.status);
}
await import(join(import.meta.dirname, '..', 'dist', 'server', 'boot', 'main.js'));
