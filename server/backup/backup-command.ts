import { join, resolve } from 'node:path';
import { loadConfig } from '../config/config.js';
import { consoleOutput, megabytes, parseCommandLine, runCommand, seconds, type CommandOutput } from './cli-support.js';
import { openStore } from './open-store.js';
import { writeBackup } from './write-backup.js';
import { localFilesDir } from '../files/create-file-store.js';

export const BACKUP_USAGE = `Usage: npm run backup -- [--out FILE] [--no-files]

Writes the app's database and its uploaded files into one archive: gzip of canonical Extended
JSON lines (every BSON type kept), with each collection's options and indexes. Read back with
\`npm run restore -- FILE\`.

  --out FILE   where to write it (default: DATA_DIR/backups/<database>-<UTC time>.ndjson.gz;
               better on another disk); written as FILE.partial, renamed when complete
  --no-files   leave out the uploaded files (FILES_DIR, by default DATA_DIR/files)
  --help       show this

The database is found the way the app finds it: MONGODB_URI when set; otherwise the running
app's embedded store (DATA_DIR/db/store-uri.json), so a backup needs no downtime; otherwise,
with the app stopped, the embedded store is opened on DATA_DIR/db for the backup.
Files kept in an S3 bucket (S3_BUCKET) are not in the archive: back the bucket up by its own means.`;

/** Under the data folder: kept (a volume in Docker) and already out of git, though on the same disk. */
function defaultArchiveName(dataDir: string, database: string, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replaceAll(':', '-');
  return join(dataDir, 'backups', `${database}-${stamp}.ndjson.gz`);
}

/** `npm run backup`: returns the exit code. */
export function runBackup(
  argv: string[],
  env: NodeJS.ProcessEnv,
  output: CommandOutput = consoleOutput,
): Promise<number> {
  return runCommand(BACKUP_USAGE, output, async () => {
    const { values } = parseCommandLine(
      argv,
      {
        out: { type: 'string' },
        'no-files': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      false,
    );
    if (values.help) {
      output.say(BACKUP_USAGE);
      return;
    }
    const config = loadConfig(env);
    const started = performance.now();
    const store = await openStore(config, { mustExist: true, say: output.say });
    try {
      output.say(`backing up database "${store.db.databaseName}" from ${store.description}`);
      let filesRoot: string | undefined;
      if (values['no-files']) output.say('files: left out (--no-files)');
      else if (config.S3_BUCKET) {
        output.say(
          `files: kept in the S3 bucket "${config.S3_BUCKET}", not in this archive: back the bucket up by its own ` +
            'means (versioning and replication, or a scheduled `aws s3 sync` / `rclone sync`)',
        );
      } else filesRoot = localFilesDir(config);
      const out = values.out
        ? resolve(values.out)
        : defaultArchiveName(config.dataDir, store.db.databaseName, new Date());
      const summary = await writeBackup({
        db: store.db,
        out,
        filesRoot,
        onCollection: (c) =>
          output.say(`  ${c.name}: ${c.documents.toLocaleString('en')} documents (${seconds(c.ms)})`),
      });
      if (summary.files) {
        const skipped = summary.files.skipped
          ? `; ${summary.files.skipped} entries that are not the app's files skipped`
          : '';
        output.say(
          `files: ${summary.files.files} files, ${megabytes(summary.files.bytes)} from ${filesRoot}${skipped}`,
        );
      }
      output.say(
        `wrote ${summary.file} (${megabytes(summary.bytes)}) in ${seconds(performance.now() - started)}: ` +
          `${summary.collections.length} collections, ${summary.documents.toLocaleString('en')} documents, ` +
          `${summary.files?.files ?? 0} files`,
      );
    } finally {
      await store.close();
    }
  });
}
