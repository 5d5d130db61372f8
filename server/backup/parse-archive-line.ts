import { EJSON, type Document } from 'bson';
import type { z } from 'zod';
import {
  ARCHIVE_FORMAT,
  ARCHIVE_VERSION,
  archiveRecord,
  headerRecord,
  type ArchiveRecord,
  type HeaderRecord,
} from './archive-records.js';

/**
 * One archive line read as its record; `fail` raises the caller's ArchiveError naming the line.
 * Records are read as canonical Extended JSON (BSON types kept); a document line needs only
 * JSON for a check, and its BSON values for a restore.
 */
function parseEjson(text: string, fail: (problem: string) => never): unknown {
  try {
    return EJSON.parse(text, { relaxed: false });
  } catch (error) {
    return fail(`not a valid record (${(error as Error).message}): the archive is damaged or truncated`);
  }
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'unexpected record';
}

export function parseHeader(text: string, fail: (problem: string) => never): HeaderRecord {
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: false });
  } catch {
    return fail(`not a backup archive: the first line is not a ${ARCHIVE_FORMAT} header`);
  }
  const probe = value as { format?: unknown };
  if (typeof value !== 'object' || value === null || probe.format !== ARCHIVE_FORMAT) {
    return fail(`not a backup archive: the first line is not a ${ARCHIVE_FORMAT} header`);
  }
  const parsed = headerRecord.safeParse(value);
  if (!parsed.success) return fail(`the header is damaged (${firstIssue(parsed.error)})`);
  if (parsed.data.version > ARCHIVE_VERSION) {
    return fail(
      `made by a newer version of the backup (format ${parsed.data.version}; this one reads ${ARCHIVE_VERSION})`,
    );
  }
  return parsed.data;
}

export function parseRecord(text: string, fail: (problem: string) => never): ArchiveRecord {
  const parsed = archiveRecord.safeParse(parseEjson(text, fail));
  return parsed.success ? parsed.data : fail(`not a valid record (${firstIssue(parsed.error)})`);
}

export function parseDocument(text: string, decode: boolean, fail: (problem: string) => never): Document {
  let record: unknown;
  try {
    record = decode ? EJSON.parse(text, { relaxed: false }) : JSON.parse(text);
  } catch (error) {
    return fail(`not a valid document (${(error as Error).message}): the archive is damaged or truncated`);
  }
  const document = (record as { document?: unknown }).document;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return fail('a document record without its document');
  }
  return document as Document;
}
