import { isUtf8 } from 'node:buffer';
import { deserialize } from 'bson';
import { CommandError, ErrorCodes } from '../errors.js';

/**
 * Inserts keep the client's BSON bytes as they are: only the fields that index keys need are
 * decoded, after a structural check of the whole document (sizes, terminators, UTF-8), so
 * nothing undecodable is ever stored. Decoding a 1 KB document fully costs more than storing it.
 */

const FIXED_SIZES: Record<number, number> = {
  0x01: 8,
  0x06: 0,
  0x07: 12,
  0x08: 1,
  0x09: 8,
  0x0a: 0,
  0x10: 4,
  0x11: 8,
  0x12: 8,
  0x13: 16,
  0xff: 0,
  0x7f: 0,
};

function invalid(reason: string): CommandError {
  return new CommandError(ErrorCodes.InvalidBSON, `invalid BSON document: ${reason}`);
}

function cstringEnd(bytes: Uint8Array, offset: number, end: number): number {
  const zero = bytes.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw invalid('unterminated field name');
  return zero;
}

function int32At(bytes: Uint8Array, offset: number): number {
  return bytes[offset]! | (bytes[offset + 1]! << 8) | (bytes[offset + 2]! << 16) | (bytes[offset + 3]! << 24);
}

/** UTF-8 check without allocating for the common case: short or pure-ASCII text. */
function isValidUtf8(bytes: Uint8Array, start: number, end: number): boolean {
  let i = start;
  while (i < end && bytes[i]! < 0x80) i++;
  return i === end || isUtf8(bytes.subarray(i, end));
}

function checkString(bytes: Uint8Array, offset: number, end: number): number {
  if (offset + 4 > end) throw invalid('truncated string');
  const length = int32At(bytes, offset);
  const stop = offset + 4 + length;
  if (length < 1 || stop > end || bytes[stop - 1] !== 0) throw invalid('bad string length');
  if (!isValidUtf8(bytes, offset + 4, stop - 1)) throw invalid('string is not valid UTF-8');
  return stop;
}

/** Offset just past an element's value, for a document already validated. */
function valueEnd(bytes: Uint8Array, type: number, offset: number): number {
  const fixed = FIXED_SIZES[type];
  if (fixed !== undefined) return offset + fixed;
  switch (type) {
    case 0x02:
    case 0x0d:
    case 0x0e:
      return offset + 4 + int32At(bytes, offset);
    case 0x03:
    case 0x04:
    case 0x0f:
      return offset + int32At(bytes, offset);
    case 0x05:
      return offset + 5 + int32At(bytes, offset);
    case 0x0b:
      return bytes.indexOf(0, bytes.indexOf(0, offset) + 1) + 1;
    case 0x0c:
      return offset + 4 + int32At(bytes, offset) + 12;
    default:
      throw invalid(`unknown element type 0x${type.toString(16)}`);
  }
}

/** Validates a BSON document's structure recursively without materialising its values. */
export function validateBson(bytes: Uint8Array, start = 0, end = bytes.length, depth = 0): number {
  if (depth > 100) throw invalid('nested too deeply');
  if (start + 5 > end) throw invalid('truncated document');
  const size = int32At(bytes, start);
  const stop = start + size;
  if (size < 5 || stop > end || bytes[stop - 1] !== 0) throw invalid('bad document size');
  let offset = start + 4;
  while (offset < stop - 1) {
    const type = bytes[offset]!;
    const nameEnd = cstringEnd(bytes, offset + 1, stop);
    if (!isValidUtf8(bytes, offset + 1, nameEnd)) throw invalid('field name is not valid UTF-8');
    offset = nameEnd + 1;
    const fixed = FIXED_SIZES[type];
    if (fixed !== undefined) offset += fixed;
    else if (type === 0x02 || type === 0x0d || type === 0x0e) offset = checkString(bytes, offset, stop);
    else if (type === 0x03 || type === 0x04) offset = validateBson(bytes, offset, stop, depth + 1);
    else if (type === 0x05) {
      if (offset + 5 > stop) throw invalid('truncated binary');
      const length = int32At(bytes, offset);
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
  /** The first field is `_id` (MongoDB stores it first). */
  startsWithId: boolean;
  /** A top-level field name starting with '$', which MongoDB refuses to store. */
  dollarField: string | undefined;
  /** Only the requested top-level fields, decoded. */
  fields: Record<string, unknown>;
}

function nameIs(bytes: Uint8Array, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false;
  for (let i = 0; i < name.length; i++) if (bytes[start + i] !== name[i]) return false;
  return true;
}

const ID_NAME = Buffer.from('_id');

/**
 * Decodes only the `wanted` top-level fields (their names as UTF-8 bytes) of a document that
 * passed validateBson; `wanted` undefined decodes everything.
 */
export function decodeTopLevel(bytes: Uint8Array, wanted: readonly Uint8Array[] | undefined): RawTopLevel {
  const size = int32At(bytes, 0);
  const picked: [number, number][] = [];
  let pickedBytes = 5;
  let startsWithId = false;
  let dollarField: string | undefined;
  let offset = 4;
  while (offset < size - 1) {
    const elementStart = offset;
    const nameStart = offset + 1;
    const nameEnd = bytes.indexOf(0, nameStart);
    const end = valueEnd(bytes, bytes[offset]!, nameEnd + 1);
    if (elementStart === 4) startsWithId = nameIs(bytes, nameStart, nameEnd, ID_NAME);
    if (bytes[nameStart] === 0x24 && dollarField === undefined) {
      dollarField = Buffer.from(bytes.subarray(nameStart, nameEnd)).toString('utf8');
    }
    if (wanted?.some((name) => nameIs(bytes, nameStart, nameEnd, name))) {
      picked.push([elementStart, end]);
      pickedBytes += end - elementStart;
    }
    offset = end;
  }
  if (!wanted) return { startsWithId, dollarField, fields: deserialize(bytes) };
  const doc = Buffer.allocUnsafe(pickedBytes);
  doc.writeInt32LE(pickedBytes, 0);
  let o = 4;
  for (const [start, end] of picked) {
    doc.set(bytes.subarray(start, end), o);
    o += end - start;
  }
  doc[o] = 0;
  return { startsWithId, dollarField, fields: deserialize(doc) };
}

/**
 * The top-level fields whose elements (type and value bytes) differ between two stored documents,
 * present in one only included. Equal bytes mean equal values; the reverse need not hold (a
 * subdocument's fields reordered), which only makes a caller do work it could have skipped.
 */
export function changedTopLevelFields(before: Uint8Array, after: Uint8Array): Set<string> {
  const elements = (bytes: Uint8Array) => {
    const byName = new Map<string, Uint8Array>();
    forEachElement(bytes, 0, (type, nameStart, nameEnd, valueStart) => {
      const name = Buffer.from(bytes.buffer, bytes.byteOffset + nameStart, nameEnd - nameStart).toString('utf8');
      byName.set(name, bytes.subarray(nameStart - 1, valueEnd(bytes, type, valueStart)));
    });
    return byName;
  };
  const old = elements(before);
  const changed = new Set<string>();
  for (const [name, element] of elements(after)) {
    const previous = old.get(name);
    old.delete(name);
    if (!previous || Buffer.compare(previous, element) !== 0) changed.add(name);
  }
  for (const name of old.keys()) changed.add(name);
  return changed;
}

/** Calls `visit` with each element of a validated document (or array) starting at `start`. */
function forEachElement(
  bytes: Uint8Array,
  start: number,
  visit: (type: number, nameStart: number, nameEnd: number, valueStart: number) => void,
): void {
  const stop = start + int32At(bytes, start) - 1;
  let offset = start + 4;
  while (offset < stop) {
    const type = bytes[offset]!;
    const nameEnd = bytes.indexOf(0, offset + 1);
    visit(type, offset + 1, nameEnd, nameEnd + 1);
    offset = valueEnd(bytes, type, nameEnd + 1);
  }
}

const BSON_ARRAY = 0x04;
const BSON_DOCUMENT = 0x03;

/** `$type`'s numbers are BSON's element type bytes, but for MinKey. */
function typeNumber(type: number): number {
  return type === 0xff ? -1 : type;
}

function collectFieldTypes(bytes: Uint8Array, docStart: number, parts: Uint8Array[], depth: number, out: Set<number>) {
  forEachElement(bytes, docStart, (type, nameStart, nameEnd, valueStart) => {
    if (nameIs(bytes, nameStart, nameEnd, parts[depth]!))
      collectValueTypes(bytes, type, valueStart, parts, depth + 1, out);
  });
}

function collectValueTypes(
  bytes: Uint8Array,
  type: number,
  valueStart: number,
  parts: Uint8Array[],
  depth: number,
  out: Set<number>,
): void {
  if (depth === parts.length) {
    out.add(typeNumber(type));
    if (type === BSON_ARRAY) forEachElement(bytes, valueStart, (elementType) => out.add(typeNumber(elementType)));
  } else if (type === BSON_DOCUMENT) {
    collectFieldTypes(bytes, valueStart, parts, depth, out);
  } else if (type === BSON_ARRAY) {
    // A numeric part indexes the array; every part also reaches into the documents it holds.
    forEachElement(bytes, valueStart, (elementType, nameStart, nameEnd, elementStart) => {
      if (nameIs(bytes, nameStart, nameEnd, parts[depth]!))
        collectValueTypes(bytes, elementType, elementStart, parts, depth + 1, out);
      if (elementType === BSON_DOCUMENT) collectFieldTypes(bytes, elementStart, parts, depth, out);
    });
  }
}

/**
 * The BSON type numbers (1 double, 16 int, 18 long...) of the values a dotted path reaches in a
 * stored document, with those of the elements of arrays it reaches: what MongoDB's `$type` tests.
 * A decoded document cannot tell them apart, as `bson` decodes every number to a JS number.
 */
export function bsonTypesAt(bytes: Uint8Array, path: string): Set<number> {
  const out = new Set<number>();
  collectFieldTypes(
    bytes,
    0,
    path.split('.').map((part) => Buffer.from(part, 'utf8')),
    0,
    out,
  );
  return out;
}
