import { Binary, Double, Int32, Long, type Document } from 'bson';
import { z } from 'zod';

/**
 * The archive: gzip of one canonical Extended JSON record per line (bson's EJSON, so ObjectId,
 * Date, Long, Decimal128, Binary and the number types come back exactly). In order:
 *
 *   header
 *   (collection  document*  end-collection)*      one section per collection
 *   (files  (file  file-chunk*  end-file)*  end-files)?   when the uploaded files are included
 *   end                                            totals; without it the archive is incomplete
 */
export const ARCHIVE_FORMAT = 'funnel-inbox-backup';
export const ARCHIVE_VERSION = 1;

const plainObject = z.custom<Document>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  'must be an object',
);
/** Canonical Extended JSON reads every number back as its BSON type: counts arrive as Int32 or Long. */
const count = z.preprocess(
  (value) =>
    value instanceof Int32 || value instanceof Double ? value.value : value instanceof Long ? value.toNumber() : value,
  z.number().int().nonnegative(),
);

export const headerRecord = z.object({
  type: z.literal('header'),
  format: z.literal(ARCHIVE_FORMAT),
  version: count,
  createdAt: z.date(),
  database: z.string().min(1),
  collections: z.array(z.string()),
  files: z.boolean(),
});

export const collectionRecord = z.object({
  type: z.literal('collection'),
  name: z.string().min(1),
  /** listCollections' `type`: 'collection' or 'view' (a view has no documents and no indexes). */
  kind: z.string(),
  options: plainObject,
  /** As listIndexes gives them, `_id_` included. */
  indexes: z.array(plainObject),
});

export const documentRecord = z.object({ type: z.literal('document'), document: plainObject });

export const endCollectionRecord = z.object({ type: z.literal('end-collection'), name: z.string(), documents: count });

export const filesRecord = z.object({ type: z.literal('files') });

export const fileRecord = z.object({ type: z.literal('file'), path: z.string().min(1), size: count });

export const fileChunkRecord = z.object({ type: z.literal('file-chunk'), data: z.instanceof(Binary) });

export const endFileRecord = z.object({
  type: z.literal('end-file'),
  path: z.string(),
  size: count,
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const endFilesRecord = z.object({ type: z.literal('end-files'), files: count });

export const endRecord = z.object({
  type: z.literal('end'),
  collections: count,
  documents: count,
  files: count,
});

export const archiveRecord = z.discriminatedUnion('type', [
  headerRecord,
  collectionRecord,
  documentRecord,
  endCollectionRecord,
  filesRecord,
  fileRecord,
  fileChunkRecord,
  endFileRecord,
  endFilesRecord,
  endRecord,
]);

export type ArchiveRecord = z.infer<typeof archiveRecord>;
export type HeaderRecord = z.infer<typeof headerRecord>;
export type CollectionRecord = z.infer<typeof collectionRecord>;

/** How every document line starts: readers that only count documents recognise them without parsing. */
export const DOCUMENT_LINE_PREFIX = '{"type":"document","document":';
