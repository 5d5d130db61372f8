import { parseArgs } from 'node:util';
import { StoreServer } from './store-server.js';

const USAGE = `Usage: npm run store -- [--port 27017] [--host 127.0.0.1] [--data ./.data/db]

Serves the embedded MongoDB-compatible store so mongosh, Compass or mongodump can connect.`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '27017' },
        host: { type: 'string', default: '127.0.0.1' },
        data: { type: 'string', default: './.data/db' },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a number from 0 to 65535, got '${values.port}'\n\n${USAGE}`);
    process.exit(2);
  }
  const store = await StoreServer.start({
    dataDir: values.data,
    port,
    host: values.host,
    log: (m) => console.error(m),
  });
  console.log(`store listening on ${store.uri} (data in ${values.data})`);
  let stopping = false;
  const stop = (signal: string) => {
    // A wrapper (tsx, npx) relays the signal its process group already got: a second signal
    // during the close must not kill the store half-way through its checkpoint.
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing the store`);
    // 'store closed' tells supervisors (and wrappers like npx that do not pass on the exit
    // code of a signalled child) that the data files were checkpointed and closed cleanly.
    store.close().then(
      () => {
        console.log('store closed');
        process.exit(0);
      },
      (error: unknown) => {
        console.error(`closing the store failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
