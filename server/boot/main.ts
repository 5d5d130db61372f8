import { ConfigError, loadConfig, loadDotEnv, type Config } from '../config/config.js';
import { createLogger } from '../observability/logger.js';
import { RedisUnavailableError } from '../redis/discover-redis.js';
import { PortInUseError, startApp, type App } from './start-app.js';

/** Mistakes of the person running the app: said in plain words, without a stack trace. */
function isUserMistake(error: unknown): error is Error {
  return error instanceof ConfigError || error instanceof RedisUnavailableError || error instanceof PortInUseError;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (error) {
    if (!isUserMistake(error)) throw error;
    console.error(`${error.message}\n\nSee the Configuration section of README.md.`);
    process.exit(2);
  }
  const logger = createLogger(config);
  const starting: Promise<App | undefined> = startApp(config, logger).catch((error: unknown) => {
    if (!isUserMistake(error)) throw error;
    logger.fatal(error.message);
    console.error(`\n${error.message}`);
    logger.flush();
    process.exit(1);
  });
  // Registered in the same tick as the start: a signal during start-up waits for it, then stops.
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const deadline = setTimeout(() => {
      logger.error(`shutdown took longer than ${config.SHUTDOWN_TIMEOUT_MS} ms; exiting anyway`);
      logger.flush();
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    deadline.unref();
    void starting
      .then((app) => app?.close())
      .then(() => {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        logger.flush();
        process.exit(1);
      });
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  const app = await starting;
  if (!app || stopping) return;
  const store = app.database.store ? `the embedded store (${config.dataDir})` : 'MongoDB at MONGODB_URI';
  logger.info({ role: config.ROLE, redis: app.redis.source }, `started: ${store}, ${app.redis.source} Redis`);
  if (config.runsWeb) console.log(`\n  Funnel Inbox is running: open ${config.publicUrl}\n  Stop it with Ctrl-C.\n`);
}

await main();
