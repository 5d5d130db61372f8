import { isUtf8 } from 'node:buffer';
import { deserialize, onDemand } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';

/**
 * Inserts keep the client's BSON bytes as they are: only the fields that index keys need are
 * decoded, after a structural check of the whole document (sizes, terminators, UTF-8), so
 * nothing undecodable is ever stored. Decoding a 1 KB document fully costs more than storing it.
 */

const FIXED_SIZES: Record<number, number> = { 0x01: 8, 0x06: 0, 0x07: 12, 0x08: 1, 0x09: 8, 0x0a: 0, 0x10: 4, 0x11: 8, 0x12: 8, 0x13: 16, 0xff: 0, 0x7f: 0 };

function invalid(reason: string): CommandError {
  return new CommandError(ErrorCodes.InvalidBSON, `invalid BSON document: ${reason}`);
}

function cstringEnd(bytes: Uint8Array, offset: number, end: number): number {
  const zero = bytes.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw invalid('unterminated field name');
  return zero;
}

function checkString(bytes: Uint8Array, offset: number, end: number): number {
  if (offset + 4 > end) throw invalid('truncated string');
  const length = bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24);
  const stop = offset + 4 + length;
  if (length < 1 || stop > end || bytes[stop - 1] !== 0) throw invalid('bad string length');
  if (!isUtf8(bytes.subarray(offset + 4, stop - 1))) throw invalid('string is not valid UTF-8');
  return stop;
}

/** Validates a BSON document's structure recursively without materialising its values. */
export function validateBson(bytes: Uint8Array, start = 0, end = bytes.length, depth = 0): number {
  if (depth > 100) throw invalid('nested too deeply');
  if (start + 5 > end) throw invalid('truncated document');
  const size = bytes[start]! | (bytes[start + 1]! << 8) | (bytes[start + 2]! << 16) | (bytes[start + 3]! << 24);
  const stop = start + size;
  if (size < 5 || stop > end || bytes[stop - 1] !== 0) throw invalid('bad document size');
  let offset = start + 4;
  while (offset < stop - 1) {
    const type = bytes[offset]!;
    const nameEnd = cstringEnd(bytes, offset + 1, stop);
    if (!isUtf8(bytes.subarray(offset + 1, nameEnd))) throw invalid('field name is not valid UTF-8');
    offset = nameEnd + 1;
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) offset += fixed;
    else if (type === 0x02 || type === 0x0d || type === 0x0e) offset = checkString(bytes, offset, stop);
    else if (type === 0x03 || type === 0x04) offset = validateBson(bytes, offset, stop, depth + 1);
    else if (type === 0x05) {
      if (offset + 5 > stop) throw invalid('truncated binary');
      const length = bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24);
      if (length < 0) throw invalid('bad binary length');
      offset += 5 + length;
    } else if (type === 0x0b) offset = cstringEnd(bytes, cstringEnd(bytes, offset, stop) + 1, stop) + 1;
    else if (type === 0x0c) offset = checkString(bytes, offset, stop) + 12;
    else if (type === 0x0f) offset = validateBson(bytes, offset, stop, depth + 1);
    else throw invalid(`unknown element type 0x${type.toString(16)}`);
    if (offset > stop - 1) throw invalid('element overruns its document');
  }
  return stop;
}

export interface RawTopLevel {
  /** Names of the top-level fields, in order. */
  names: string[];
  /** Only the requested top-level fields, decoded. */
  fields: Record<string, unknown>;
}

/** Decodes only `wanted` top-level fields of a validated document (all when `wanted` is undefined). */
export function decodeTopLevel(bytes: Uint8Array, wanted: ReadonlySet<string> | undefined): RawTopLevel {
  const elements = Array.from(onDemand.parseToElements(bytes, 0)) as unknown as [number, number, number, number, number][];
  const decoder = new TextDecoder();
  const names = elements.map(([, nameOffset, nameLength]) => decoder.decode(bytes.subarray(nameOffset, nameOffset + nameLength)));
  if (!wanted) return { names, fields: deserialize(bytes) };
  const picked = elements.filter((_, i) => wanted.has(names[i]!));
  let size = 5;
  for (const [, nameOffset, , valueOffset, valueLength] of picked) size += valueOffset + valueLength - (nameOffset - 1);
  const doc = Buffer.allocUnsafe(size);
  doc.writeInt32LE(size, 0);
  let o = 4;
  for (const [, nameOffset, , valueOffset, valueLength] of picked) {
    doc.set(bytes.subarray(nameOffset - 1, valueOffset + valueLength), o);
    o += valueOffset + valueLength - (nameOffset - 1);
  }
  doc[o] = 0;
  return { names, fields: deserialize(doc) };
}
