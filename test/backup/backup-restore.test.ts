import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  Binary,
  BSONRegExp,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  Timestamp,
  UUID,
} from 'bson';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION } from '../../server/backup/archive-records.js';
import { ArchiveWriter } from '../../server/backup/archive-writer.js';
import { runBackup } from '../../server/backup/backup-command.js';
import { runRestore } from '../../server/backup/restore-command.js';
import { startApp, type App } from '../../server/boot/start-app.js';
import { loadConfig } from '../../server/config/config.js';
import { keepFile } from '../../server/files/keep-file.js';
import { freePort } from '../../server/free-port.js';
import { RUNNING_STORE_FILE } from '../../server/store/running-store-file.js';
import { captureOutput, openStoreAt, runTs, snapshot, truncateArchiveAtLine } from './backup-harness.js';

/** A document with every BSON type the archive keeps (the store keeps a whole Double as Int32). */
function everyType(): Record<string, unknown> {
  return {
    _id: new ObjectId(),
    email: `probe-${randomBytes(4).toString('hex')}@example.com`,
    int32: new Int32(-7),
    double: new Double(2.5),
    negativeZero: new Double(-0),
    notANumber: new Double(NaN),
    infinity: new Double(Infinity),
    long: Long.fromString('9007199254740993'),
    decimal: Decimal128.fromString('1234567.8900'),
    binary: new Binary(randomBytes(16)),
    uuid: new UUID(),
    date: new Date('2024-02-29T12:34:56.789Z'),
    timestamp: new Timestamp({ t: 1_700_000_000, i: 7 }),
    regex: new BSONRegExp('^во[дз]', 'iu'),
    code: new Code('function () { return 1; }'),
    minKey: new MinKey(),
    maxKey: new MaxKey(),
    nil: null,
    bool: true,
    text: 'Окна ПВХ «под ключ» — рассрочка 0%',
    nested: { list: [new Int32(1), 'два', { three: Long.fromNumber(3) }], empty: {} },
  };
}

// The embedded store only: its running-store file, its lock and its data folders are what is tested.
describe.skipIf(Boolean(process.env.MONGODB_URI))('npm run backup / npm run restore', () => {
  const dirs: string[] = [];
  const tempDir = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const source = tempDir('backup-source-');
  const target = tempDir('backup-target-');
  const archive = join(tempDir('backup-archives-'), 'funnel.ndjson.gz');
  let app: App | undefined;
  const keptFiles: { storageKey: string; bytes: Buffer }[] = [];

  beforeAll(async () => {
    // The web role: no workers writing in the background between the backup and the comparison.
    const config = loadConfig({ PORT: String(await freePort()), DATA_DIR: source, LOG_LEVEL: 'silent', ROLE: 'web' });
    // DEMO_DATA is on by default: the app seeds its demo workspace on the empty store, as `npm start` does.
    app = await startApp(config, pino({ level: 'silent' }));
    const db = app.database.mongoose.connection;
    const probes = db.collection('backup_probes');
    await probes.createIndex({ email: 1 }, { unique: true });
    await probes.createIndex(
      { 'nested.list': 1, date: -1 },
      { name: 'list_date', partialFilterExpression: { bool: true } },
    );
    await probes.insertMany([everyType(), everyType(), { _id: 'string-id', only: 'a string _id' }]);
    for (const bytes of [Buffer.from('Прайс на окна\n'.repeat(20_000)), Buffer.from('договор.txt\n')]) {
      const kept = await keepFile(
        { db, files: app.services.files, maxBytes: config.FILES_MAX_BYTES },
        { body: bytes, fileName: 'прайс.txt', declaredType: 'text/plain' },
      );
      keptFiles.push({ storageKey: kept.storageKey, bytes });
    }
  });

  afterAll(async () => {
    await app?.close();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('should back up the running app through the store URI file it writes, files included', async () => {
    const uriFile = join(source, 'db', RUNNING_STORE_FILE);
    expect(JSON.parse(readFileSync(uriFile, 'utf8'))).toMatchObject({
      uri: app!.database.store!.uri,
      pid: process.pid,
    });

    const ran = await runTs('server/backup/backup-cli.ts', ['--out', archive], { DATA_DIR: source });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain(`from the running embedded store at ${app!.database.store!.uri}`);
    expect(ran.stdout).toMatch(/ {2}backup_probes: 3 documents/);
    expect(ran.stdout).toMatch(/files: 2 files/);
    expect(ran.stdout).toMatch(
      new RegExp(`wrote ${archive} \\(.+\\) in [\\d.]+ s: \\d+ collections, [\\d,]+ documents, 2 files`),
    );
    expect(existsSync(`${archive}.partial`)).toBe(false);

    await app!.close();
    app = undefined;
    // A clean stop takes the file away with the store.
    expect(existsSync(uriFile)).toBe(false);
  });

  it('should restore into a fresh data folder every collection, document, index and file', async () => {
    const ran = await runTs('server/backup/restore-cli.ts', [archive], { DATA_DIR: target });
    expect(ran.stderr).toBe('');
    expect(ran.code).toBe(0);
    expect(ran.stdout).toContain('the app is not running; started for this run');
    expect(ran.stdout).toMatch(/archive checked: database "funnel" of .+, \d+ collections/);
    expect(ran.stdout).toMatch(/ {2}backup_probes: 3 documents, 3 indexes \([\d.]+ s, [\d,]+\/s\)/);
    expect(ran.stdout).toMatch(/files: 2 written to /);
    expect(ran.stdout).toMatch(/restored \d+ collections, [\d,]+ documents in [\d.]+ s/);

    const before = await openStoreAt(source);
    const after = await openStoreAt(target);
    try {
      const original = await snapshot(before.db);
      const restored = await snapshot(after.db);
      expect([...restored.keys()]).toEqual([...original.keys()]);
      // The demo workspace is there: contacts, deals, users, pipelines and the rest.
      expect(original.size).toBeGreaterThan(10);
      const probes = original.get('backup_probes')!.documents;
      for (const kept of [
        '$numberLong":"9007199254740993',
        '$numberDecimal',
        '"subType":"04"',
        '$regularExpression',
        '$timestamp',
        '$minKey',
        '$code',
        '$numberDouble":"2.5',
      ]) {
        expect(probes).toContain(kept);
      }
      for (const [name, collection] of original) {
        const copy = restored.get(name)!;
        expect({ name, documents: copy.documents }).toEqual({ name, documents: collection.documents });
        expect({ name, indexes: copy.indexes }).toEqual({ name, indexes: collection.indexes });
        expect({ name, options: copy.options }).toEqual({ name, options: collection.options });
      }
      const contacts = await after.db.collection('contacts').countDocuments();
      expect(contacts).toBe(await before.db.collection('contacts').countDocuments());
      expect(contacts).toBeGreaterThan(0);
      // The unique index works again: the same e-mail cannot be stored twice.
      const probe = await after.db.collection('backup_probes').findOne({ _id: { $type: 'objectId' } });
      await expect(after.db.collection('backup_probes').insertOne({ email: probe!.email })).rejects.toMatchObject({
        code: 11000,
      });
      for (const file of keptFiles) {
        expect(readFileSync(join(target, 'files', file.storageKey)).equals(file.bytes)).toBe(true);
      }

      // The lock: while this process holds the folder, another process is refused with a clear message.
      const second = await runTs('server/store/cli.ts', ['--port', '0', '--data', join(target, 'db')], {});
      expect(second.code).toBe(1);
      expect(second.stderr).toContain(`The data folder ${join(target, 'db')} is in use by process ${process.pid}`);
      // And so is a second opener in this process (another thread of the app would be one).
      await expect(openStoreAt(target)).rejects.toThrow(/is in use by this process/);
    } finally {
      await before.close();
      await after.close();
    }
  });

  it('should refuse to restore into a database that holds data unless --replace', async () => {
    // Running on the folder, as under a running app: the restores reach it through its URI file.
    const before = await openStoreAt(source);
    const after = await openStoreAt(target);
    try {
      const refused = captureOutput();
      expect(await runRestore([archive], { DATA_DIR: target }, refused)).toBe(1);
      expect(refused.text()).toMatch(/already holds data: .*Nothing was changed.*--replace/s);
      await after.db.collection('contacts').deleteMany({});
      await after.db.collection('added_after_backup').insertOne({ note: 'dropped by --replace' });

      const replaced = captureOutput();
      expect(await runRestore([archive, '--replace'], { DATA_DIR: target }, replaced)).toBe(0);
      expect(replaced.text()).toContain(`the running embedded store at ${after.store.uri}`);
      expect(replaced.text()).toMatch(/dropped \d+ collections holding \d+ documents/);
      expect(await snapshot(after.db)).toEqual(await snapshot(before.db));
    } finally {
      await before.close();
      await after.close();
    }
  });

  it('should refuse a truncated, damaged or foreign archive naming the line, and say when a restore is partial', async () => {
    const fresh = tempDir('backup-refused-');
    const running = await openStoreAt(fresh);
    const attempt = async (file: string) => {
      const output = captureOutput();
      expect(await runRestore([file], { DATA_DIR: fresh }, output)).toBe(1);
      return output.text();
    };
    try {
      const cutText = join(fresh, 'cut-text.ndjson.gz');
      truncateArchiveAtLine(archive, cutText, 40);
      expect(await attempt(cutText)).toMatch(
        new RegExp(`${cutText}, line 40: not a valid document .*damaged or truncated`),
      );

      const cutBytes = join(fresh, 'cut-bytes.ndjson.gz');
      writeFileSync(cutBytes, readFileSync(archive).subarray(0, Math.floor(statSync(archive).size / 2)));
      expect(await attempt(cutBytes)).toMatch(/line \d+: the archive ends here: it is truncated/);

      const foreign = join(fresh, 'foreign.json.gz');
      writeFileSync(foreign, gzipSync('{"contacts":[]}\n'));
      expect(await attempt(foreign)).toContain(`${foreign}, line 1: not a backup archive`);
      const plain = join(fresh, 'plain.txt');
      writeFileSync(plain, 'name,phone\n');
      expect(await attempt(plain)).toContain(`${plain}, line 1: not a backup archive: the file is not gzip-compressed`);

      expect(await running.db.listCollections().toArray()).toEqual([]);

      // Whole and well-formed, but its documents break their own unique index: said to be partial.
      const clashing = join(fresh, 'clashing.ndjson.gz');
      const writer = await ArchiveWriter.create(clashing);
      const index = { v: 2, key: { email: 1 }, name: 'email_1', unique: true };
      await writer.record({
        type: 'header',
        format: ARCHIVE_FORMAT,
        version: ARCHIVE_VERSION,
        createdAt: new Date(),
        database: 'funnel',
        collections: ['people'],
        files: false,
      });
      await writer.record({ type: 'collection', name: 'people', kind: 'collection', options: {}, indexes: [index] });
      await writer.document({ _id: 1, email: 'same@example.com' });
      await writer.document({ _id: 2, email: 'same@example.com' });
      await writer.record({ type: 'end-collection', name: 'people', documents: 2 });
      await writer.record({ type: 'end', collections: 1, documents: 2, files: 0 });
      await writer.finish();
      expect(await attempt(clashing)).toMatch(
        /restore stopped at line \d+ .*E11000.*The database "funnel" is PARTLY restored \(0 of 1 collections complete\).*--replace/s,
      );
    } finally {
      await running.close();
    }
  });

  it('should pass over a store URI file left by a killed app and open the folder itself', async () => {
    // A pid that is not running: the newest process's pid plus a margin, checked.
    let deadPid = 4_000_000;
    while (existsSync(`/proc/${deadPid}`)) deadPid++;
    writeFileSync(
      join(target, 'db', RUNNING_STORE_FILE),
      JSON.stringify({ uri: 'mongodb://127.0.0.1:9', pid: deadPid, startedAt: new Date().toISOString() }),
    );
    writeFileSync(join(target, 'db', 'store.lock'), JSON.stringify({ pid: deadPid }));
    const output = captureOutput();
    const out = join(target, 'again.ndjson.gz');
    expect(await runBackup(['--out', out, '--no-files'], { DATA_DIR: target }, output)).toBe(0);
    expect(output.text()).toContain(`process ${deadPid} that wrote it is gone`);
    expect(output.text()).toContain('the app is not running; started for this run');
    expect(output.text()).toContain('files: left out (--no-files)');
    expect(existsSync(out)).toBe(true);
    // The store it started is closed again: its URI file and lock are gone with it.
    expect(existsSync(join(target, 'db', RUNNING_STORE_FILE))).toBe(false);
    expect(existsSync(join(target, 'db', 'store.lock'))).toBe(false);

    // A live process (its pid reused by another program) but nothing answering on the port, and a
    // lock naming this pid with another start time: a container restarted after a kill runs as pid 1 again.
    writeFileSync(
      join(target, 'db', RUNNING_STORE_FILE),
      JSON.stringify({ uri: 'mongodb://127.0.0.1:9', pid: process.pid, startedAt: new Date().toISOString() }),
    );
    writeFileSync(join(target, 'db', 'store.lock'), JSON.stringify({ pid: process.pid, startTime: '1' }));
    const silent = captureOutput();
    const s3 = { S3_BUCKET: 'funnel-files', S3_ACCESS_KEY_ID: 'key-id', S3_SECRET_ACCESS_KEY: 'secret' };
    expect(await runBackup(['--out', out], { DATA_DIR: target, ...s3 }, silent)).toBe(0);
    expect(silent.text()).toContain('files: kept in the S3 bucket "funnel-files", not in this archive');
    expect(silent.text()).toContain('(mongodb://127.0.0.1:9) does not answer: opening the folder');
  });

  it('should explain both commands with --help', async () => {
    const backup = captureOutput();
    expect(await runBackup(['--help'], {}, backup)).toBe(0);
    expect(backup.text()).toContain('Usage: npm run backup -- [--out FILE] [--no-files]');
    const restore = captureOutput();
    expect(await runRestore(['--help'], {}, restore)).toBe(0);
    expect(restore.text()).toContain('Usage: npm run restore -- FILE [--replace] [--no-files]');
    const wrong = captureOutput();
    expect(await runRestore([], {}, wrong)).toBe(2);
    expect(wrong.text()).toContain('name the one archive to restore');
  });
});
