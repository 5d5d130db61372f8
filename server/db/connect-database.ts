import { resolve } from 'node:path';
import mongoose, { type Mongoose } from 'mongoose';
import { EmbeddedStoreThread } from './embedded-store-thread.js';

/** The database the app uses on the embedded store (a real MONGODB_URI names its own). */
export const EMBEDDED_DB_NAME = 'funnel';

export interface DatabaseOptions {
  /** A real MongoDB (the app passes its MONGODB_URI setting); when absent, the embedded store is started. */
  uri?: string;
  /** Where the embedded store keeps its data. Defaults to ./.data/db. */
  dataDir?: string;
  /** Database name used with the embedded store (a real URI names its own). */
  dbName?: string;
}

export interface Database {
  mongoose: Mongoose;
  /** The URI mongoose is connected to (the embedded store's loopback address when embedded). */
  uri: string;
  /** The embedded store (on a thread of its own), when one was started. */
  store: EmbeddedStoreThread | undefined;
  close(): Promise<void>;
}

/**
 * The data layer's one entry point: a connected mongoose, on the given MongoDB URI when there is one,
 * otherwise on the project's embedded store (a free loopback port, data under ./.data/db), so a
 * fresh machine without MongoDB runs the same model code.
 */
export async function connectDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const configured = options.uri;
  let store: EmbeddedStoreThread | undefined;
  let uri: string;
  if (configured) {
    uri = configured;
  } else {
    store = await EmbeddedStoreThread.start({ dataDir: resolve(options.dataDir ?? './.data/db'), port: 0 });
    uri = `${store.uri}/${options.dbName ?? EMBEDDED_DB_NAME}`;
  }
  const instance = new mongoose.Mongoose();
  try {
    await instance.connect(uri, { serverSelectionTimeoutMS: 10_000 });
  } catch (error) {
    await store?.close();
    throw error;
  }
  return {
    mongoose: instance,
    uri,
    store,
    async close() {
      await instance.disconnect();
      await store?.close();
    },
  };
}
