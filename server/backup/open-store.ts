import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { MongoClient, type Db } from 'mongodb';
import { describeMongoUri } from '../boot/describe-dependencies.js';
import type { Config } from '../config/config.js';
import { EMBEDDED_DB_NAME } from '../db/connect-database.js';
import { EmbeddedStoreThread } from '../db/embedded-store-thread.js';
import { readRunningStoreFile, RUNNING_STORE_FILE } from '../store/running-store-file.js';
import { BackupError } from './backup-error.js';

export interface OpenedStore {
  db: Db;
  /** Which store, for the output: a real MongoDB, the app's running store, or one started here. */
  kind: 'mongodb' | 'running' | 'started';
  description: string;
  close(): Promise<void>;
}

/** Where the app keeps the embedded store's files (startApp opens the same folder). */
export function embeddedStoreDir(config: Config): string {
  return join(config.dataDir, 'db');
}

async function connect(uri: string, timeoutMs: number): Promise<MongoClient> {
  return MongoClient.connect(uri, { serverSelectionTimeoutMS: timeoutMs });
}

/**
 * The store the app uses, reached the way it would be: MONGODB_URI when set; else the embedded
 * store the running app serves (its URI file, checked for a live process and an answer); else
 * the embedded store started here on the data folder, which its lock refuses while someone else
 * has it open. `mustExist` refuses to start a store on a folder that holds no data (a backup).
 */
export async function openStore(
  config: Config,
  options: { mustExist: boolean; say: (line: string) => void },
): Promise<OpenedStore> {
  if (config.MONGODB_URI) {
    const client = await connect(config.MONGODB_URI, 10_000).catch((error: Error) => {
      throw new BackupError(
        'STORE_UNREACHABLE',
        `MongoDB at ${describeMongoUri(config.MONGODB_URI!)}: ${error.message}`,
      );
    });
    // The database the URI names, or the driver's default: the same one mongoose gives the app.
    return {
      db: client.db(),
      kind: 'mongodb',
      description: describeMongoUri(config.MONGODB_URI),
      close: () => client.close(),
    };
  }
  const dataDir = embeddedStoreDir(config);
  const found = readRunningStoreFile(dataDir);
  if (found.type === 'stale') options.say(`ignoring ${found.file}: ${found.reason}`);
  if (found.type === 'running') {
    const { uri, pid } = found.store;
    const client = await connect(uri, 2000).catch(() => undefined);
    if (client) {
      return {
        db: client.db(EMBEDDED_DB_NAME),
        kind: 'running',
        description: `the running embedded store at ${uri} (process ${pid}, data in ${dataDir})`,
        close: () => client.close(),
      };
    }
    options.say(`the store named in ${join(dataDir, RUNNING_STORE_FILE)} (${uri}) does not answer: opening the folder`);
  }
  if (options.mustExist && !existsSync(join(dataDir, 'store.sqlite'))) {
    throw new BackupError(
      'STORE_UNREACHABLE',
      `No data in ${dataDir}: nothing to back up (set DATA_DIR to the app's data folder, or MONGODB_URI).`,
    );
  }
  // The store's thread reports why it could not open the folder (its lock held by a live process) in words.
  const store = await EmbeddedStoreThread.start({ dataDir, port: 0 }).catch((error: Error) => {
    throw new BackupError('STORE_UNREACHABLE', error.message);
  });
  const client = await connect(store.uri, 10_000).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  return {
    db: client.db(EMBEDDED_DB_NAME),
    kind: 'started',
    description: `the embedded store on ${dataDir} (the app is not running; started for this run)`,
    async close() {
      await client.close();
      await store.close();
    },
  };
}
