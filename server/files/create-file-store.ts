import { join, resolve } from 'node:path';
import { ConfigError, type Config } from '../config/config.js';
import { LocalFileStore, type FileStore } from './file-store.js';

/** The folder kept files live in without a bucket: FILES_DIR, by default DATA_DIR/files (backup reads it too). */
export function localFilesDir(config: Config): string {
  return config.FILES_DIR ? resolve(config.dataDir, config.FILES_DIR) : join(config.dataDir, 'files');
}

/**
 * The file store the configuration asks for: the S3 bucket when S3_BUCKET is set, otherwise
 * FILES_DIR, by default DATA_DIR/files.
 */
export async function createFileStore(config: Config): Promise<FileStore> {
  if (!config.S3_BUCKET) {
    return new LocalFileStore(localFilesDir(config));
  }
  // loadConfig refuses a bucket without keys; a configuration made another way gets the same answer.
  if (!config.S3_ACCESS_KEY_ID || !config.S3_SECRET_ACCESS_KEY) {
    throw new ConfigError(['S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY: must be set when S3_BUCKET is set']);
  }
  // The S3 SDK takes a quarter of a second to load: installations that keep files on disk skip it.
  const { S3FileStore } = await import('./s3-file-store.js');
  return new S3FileStore({
    bucket: config.S3_BUCKET,
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION,
    accessKeyId: config.S3_ACCESS_KEY_ID,
    secretAccessKey: config.S3_SECRET_ACCESS_KEY,
    forcePathStyle: config.S3_FORCE_PATH_STYLE,
  });
}
