import type { Document } from 'bson';
import type { CommandRequest } from '../wire/protocol.js';
import type { CursorRegistry } from '../engine/cursors.js';
import type { Storage } from '../engine/storage.js';
import { CommandError, ErrorCodes, typeMismatch } from '../errors.js';

/** Runtime parameters MongoDB lets `setParameter` change, with MongoDB's defaults. */
export interface ServerParameters {
  ttlMonitorSleepSecs: number;
  cursorTimeoutMillis: number;
}

export interface ServerInfo {
  startedAt: number;
  host: string;
  connections: { current: number; totalCreated: number };
  parametersChanged: () => void;
}

export interface CommandContext {
  storage: Storage;
  cursors: CursorRegistry;
  parameters: ServerParameters;
  server: ServerInfo;
  connectionId: number;
  request: CommandRequest;
  db: string;
}

/** A handler returns a reply document, or reply bytes already encoded (cursor batches). */
export type CommandHandler = (ctx: CommandContext, body: Document) => Document | Buffer;

export function collectionArg(body: Document, command: string): string {
  const name = body[command];
  if (typeof name !== 'string') {
    throw new CommandError(
      ErrorCodes.InvalidNamespace,
      `collection name has invalid type ${name === null ? 'null' : Array.isArray(name) ? 'array' : typeof name === 'number' ? 'int' : typeof name}`,
    );
  }
  if (name.length === 0)
    throw new CommandError(ErrorCodes.InvalidNamespace, `Invalid namespace specified '${String(body.$db)}.'`);
  return name;
}

export function optionalObject(body: Document, command: string, field: string): Document | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value) || (value as { _bsontype?: string })._bsontype) {
    throw typeMismatchError(command, field, value, 'object');
  }
  return value as Document;
}

export function optionalNonNegative(body: Document, command: string, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'number' ? value : Number((value as { toNumber?: () => number }).toNumber?.() ?? NaN);
  if (!Number.isFinite(n)) throw typeMismatchError(command, field, value, 'long');
  if (n < 0) throw new CommandError(51024, `BSON field '${field}' value must be >= 0, actual value '${n}'`);
  return n;
}

function typeMismatchError(command: string, field: string, value: unknown, expected: string): CommandError {
  return typeMismatch(`${command}.${field}`, value, expected);
}

export function requireArray(body: Document, command: string, field: string): unknown[] {
  const value = body[field];
  if (!Array.isArray(value)) throw typeMismatchError(command, field, value, 'array');
  return value;
}
