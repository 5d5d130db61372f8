import type { Db } from 'mongodb';
import { ARCHIVE_FORMAT, ARCHIVE_VERSION } from './archive-records.js';
import { ArchiveWriter } from './archive-writer.js';
import { writeFilesSection, type FilesSection } from './write-files-section.js';

export interface BackupOptions {
  db: Db;
  /** The archive to write (made as `<out>.partial`, renamed when complete). */
  out: string;
  /** The local files folder to include; absent with --no-files or when files are in S3. */
  filesRoot?: string;
  /** Told each collection as it is finished. */
  onCollection?: (collection: { name: string; documents: number; ms: number }) => void;
}

export interface BackupSummary {
  file: string;
  bytes: number;
  collections: { name: string; documents: number }[];
  documents: number;
  files: FilesSection | undefined;
}

/**
 * Writes the database (and the local files) into one archive, reading each collection with a
 * cursor so memory stays flat whatever the size. Numbers are read without promotion (Int32,
 * Double, Long stay distinct) and regular expressions as BSONRegExp, so they are written back the
 * way they were stored. Not a point-in-time snapshot: writes made meanwhile may or may not be in it.
 */
export async function writeBackup(options: BackupOptions): Promise<BackupSummary> {
  const { db } = options;
  const infos = (await db.listCollections({}, { nameOnly: false }).toArray())
    .filter((info) => !info.name.startsWith('system.'))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const writer = await ArchiveWriter.create(options.out);
  try {
    await writer.record({
      type: 'header',
      format: ARCHIVE_FORMAT,
      version: ARCHIVE_VERSION,
      createdAt: new Date(),
      database: db.databaseName,
      collections: infos.map((info) => info.name),
      files: options.filesRoot !== undefined,
    });
    const collections: BackupSummary['collections'] = [];
    for (const info of infos) {
      const started = performance.now();
      const kind = info.type ?? 'collection';
      const collection = db.collection(info.name);
      const indexes = kind === 'view' ? [] : await collection.listIndexes().toArray();
      await writer.record({ type: 'collection', name: info.name, kind, options: info.options ?? {}, indexes });
      let documents = 0;
      if (kind !== 'view') {
        const cursor = collection.find({}, { batchSize: 1000, promoteValues: false, bsonRegExp: true });
        for await (const document of cursor) {
          await writer.document(document);
          documents++;
        }
      }
      await writer.record({ type: 'end-collection', name: info.name, documents });
      collections.push({ name: info.name, documents });
      options.onCollection?.({ name: info.name, documents, ms: performance.now() - started });
    }
    const files = options.filesRoot === undefined ? undefined : await writeFilesSection(writer, options.filesRoot);
    const documents = collections.reduce((sum, c) => sum + c.documents, 0);
    await writer.record({ type: 'end', collections: collections.length, documents, files: files?.files ?? 0 });
    const bytes = await writer.finish();
    return { file: options.out, bytes, collections, documents, files };
  } catch (error) {
    await writer.abandon();
    throw error;
  }
}
