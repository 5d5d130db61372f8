import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig, type Config } from '../config/config.js';
import { createFileStore } from '../files/create-file-store.js';
import { BackupError } from './backup-error.js';
import { consoleOutput, parseCommandLine, runCommand, seconds, type CommandOutput } from './cli-support.js';
import { openStore } from './open-store.js';
import { restoreBackup, type FileTarget } from './restore-backup.js';
import { localFilesDir } from '../files/create-file-store.js';

export const RESTORE_USAGE = `Usage: npm run restore -- FILE [--replace] [--no-files]

Restores an archive made by \`npm run backup\`: checks the whole archive first (a damaged,
truncated or foreign one is refused, naming the line, before anything is written), then
recreates each collection with its options and indexes, inserts its documents in batches and
writes the uploaded files back.

  --replace    the database already holds data: drop it all first (without this the restore
               refuses and changes nothing); also empties the local files folder
  --no-files   leave the archive's files out
  --help       show this

The database is found the way the app finds it: MONGODB_URI when set; otherwise the running
app's embedded store; otherwise the embedded store is opened on DATA_DIR/db (created if new).
Files go where the app keeps them: FILES_DIR (by default DATA_DIR/files) or the S3 bucket.`;

async function fileTarget(config: Config): Promise<FileTarget> {
  const store = await createFileStore(config);
  if (config.S3_BUCKET) return { store, description: `the S3 bucket "${config.S3_BUCKET}"` };
  const root = localFilesDir(config);
  return {
    store,
    description: root,
    // Only the file store's own shard folders: whatever else someone keeps there stays.
    async clear() {
      const entries = await readdir(root).catch(() => [] as string[]);
      for (const name of entries.filter((n) => /^[0-9a-f]{2}$/.test(n))) {
        await rm(join(root, name), { recursive: true, force: true });
      }
    },
  };
}

/** `npm run restore`: returns the exit code. */
export function runRestore(
  argv: string[],
  env: NodeJS.ProcessEnv,
  output: CommandOutput = consoleOutput,
): Promise<number> {
  return runCommand(RESTORE_USAGE, output, async () => {
    const { values, positionals } = parseCommandLine(
      argv,
      {
        replace: { type: 'boolean', default: false },
        'no-files': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      true,
    );
    if (values.help) {
      output.say(RESTORE_USAGE);
      return;
    }
    if (positionals.length !== 1) throw new BackupError('USAGE', 'name the one archive to restore');
    const file = resolve(positionals[0]!);
    const config = loadConfig(env);
    const started = performance.now();
    const store = await openStore(config, { mustExist: false, say: output.say });
    try {
      output.say(`restoring ${file} into database "${store.db.databaseName}" on ${store.description}`);
      if (store.kind === 'running') {
        output.say('note: the app is running on this store; its users and workers see the data change as it loads');
      }
      const files = values['no-files'] ? undefined : await fileTarget(config);
      const summary = await restoreBackup({ db: store.db, file, replace: values.replace, files, say: output.say });
      const fileLine = !summary.contents.header.files
        ? 'files: none in the archive'
        : files
          ? `files: ${summary.files} written to ${files.description}`
          : `files: ${summary.contents.files} in the archive left out (--no-files)`;
      output.say(fileLine);
      output.say(
        `restored ${summary.collections.length} collections, ${summary.documents.toLocaleString('en')} documents ` +
          `in ${seconds(performance.now() - started)}`,
      );
    } finally {
      await store.close();
    }
  });
}
