/**
 * Order-preserving byte encoding of BSON values: for any two values, comparing their encodings
 * with memcmp (which is how SQLite orders BLOBs) gives MongoDB's comparison order, including
 * the order between types (MinKey, null, numbers, strings, objects, arrays, binData, ObjectId,
 * bool, date, timestamp, regex, MaxKey). Every encoding is prefix-free, so encodings of index
 * components can be concatenated, and a descending component is stored bitwise-complemented.
 */

export const TypeTag = {
  MinKey: 0x0a,
  Undefined: 0x0f,
  Null: 0x14,
  Number: 0x1e,
  String: 0x28,
  Object: 0x32,
  Array: 0x3c,
  Binary: 0x46,
  ObjectId: 0x50,
  Boolean: 0x5a,
  Date: 0x64,
  Timestamp: 0x6e,
  RegExp: 0x78,
  Code: 0x82,
  MaxKey: 0xf0,
} as const;

const END_OF_CONTAINER = 0x00;

interface BsonTagged {
  _bsontype: string;
}

function bsonTypeOf(value: object): string | undefined {
  return (value as Partial<BsonTagged>)._bsontype;
}

/** The type tag a value sorts under; all numeric types share one. */
export function typeTagOf(value: unknown): number {
  switch (typeof value) {
    case 'number':
    case 'bigint':
      return TypeTag.Number;
    case 'string':
      return TypeTag.String;
    case 'boolean':
      return TypeTag.Boolean;
    case 'undefined':
      return TypeTag.Undefined;
    case 'object':
      break;
    default:
      return TypeTag.Null;
  }
  if (value === null) return TypeTag.Null;
  if (Array.isArray(value)) return TypeTag.Array;
  if (value instanceof Date) return TypeTag.Date;
  if (value instanceof RegExp) return TypeTag.RegExp;
  if (value instanceof Uint8Array) return TypeTag.Binary;
  switch (bsonTypeOf(value)) {
    case 'ObjectId':
      return TypeTag.ObjectId;
    case 'Long':
    case 'Int32':
    case 'Double':
    case 'Decimal128':
      return TypeTag.Number;
    case 'Binary':
      return TypeTag.Binary;
    case 'Timestamp':
      return TypeTag.Timestamp;
    case 'BSONRegExp':
      return TypeTag.RegExp;
    case 'BSONSymbol':
      return TypeTag.String;
    case 'MinKey':
      return TypeTag.MinKey;
    case 'MaxKey':
      return TypeTag.MaxKey;
    case 'Code':
      return TypeTag.Code;
    default:
      return TypeTag.Object;
  }
}

/** An embedded document (not an array, not a BSON value such as ObjectId or Date). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeTagOf(value) === TypeTag.Object && !Array.isArray(value);
}

/** Numeric value of any BSON number type, as a double (Long beyond 2^53 loses precision). */
export function toDouble(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  const tagged = value as { _bsontype?: string; toNumber?: () => number; valueOf(): unknown };
  if (tagged._bsontype === 'Long' && tagged.toNumber) return tagged.toNumber();
  if (tagged._bsontype === 'Decimal128') return Number(String(value));
  return Number(tagged.valueOf());
}

class ByteWriter {
  buf = Buffer.allocUnsafe(64);
  len = 0;

  ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + extra));
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.len++] = b;
  }

  bytes(src: Uint8Array): void {
    this.ensure(src.length);
    this.buf.set(src, this.len);
    this.len += src.length;
  }

  /** Bytes with 0x00 escaped as 0x00 0xFF and a 0x00 0x01 terminator: prefix-free, ordered. */
  escaped(src: Uint8Array): void {
    this.ensure(src.length * 2 + 2);
    for (const b of src) {
      this.buf[this.len++] = b;
      if (b === 0) this.buf[this.len++] = 0xff;
    }
    this.buf[this.len++] = 0x00;
    this.buf[this.len++] = 0x01;
  }

  double(d: number): void {
    this.ensure(8);
    if (Number.isNaN(d)) {
      // MongoDB orders NaN below every other number.
      this.buf.fill(0, this.len, this.len + 8);
    } else {
      this.buf.writeDoubleBE(d === 0 ? 0 : d, this.len);
      if (this.buf[this.len]! & 0x80) {
        for (let i = this.len; i < this.len + 8; i++) this.buf[i] = ~this.buf[i]! & 0xff;
      } else {
        this.buf[this.len] = this.buf[this.len]! | 0x80;
      }
    }
    this.len += 8;
  }

  int64(v: bigint): void {
    this.ensure(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v) ^ 0x8000000000000000n, this.len);
    this.len += 8;
  }

  uint32(v: number): void {
    this.ensure(4);
    this.buf.writeUInt32BE(v >>> 0, this.len);
    this.len += 4;
  }

  result(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

function writeValue(w: ByteWriter, value: unknown): void {
  const tag = typeTagOf(value);
  w.byte(tag);
  switch (tag) {
    case TypeTag.MinKey:
    case TypeTag.MaxKey:
    case TypeTag.Null:
    case TypeTag.Undefined:
      return;
    case TypeTag.Number:
      w.double(toDouble(value));
      return;
    case TypeTag.String:
      w.escaped(Buffer.from(String(value), 'utf8'));
      return;
    case TypeTag.Boolean:
      w.byte(value ? 1 : 0);
      return;
    case TypeTag.Date:
      w.int64(BigInt((value as Date).getTime()));
      return;
    case TypeTag.ObjectId:
      w.bytes((value as { id: Uint8Array }).id);
      return;
    case TypeTag.Timestamp: {
      const ts = value as { high: number; low: number };
      w.uint32(ts.high);
      w.uint32(ts.low);
      return;
    }
    case TypeTag.Binary: {
      // MongoDB compares binData by length, then subtype, then bytes.
      const bin =
        value instanceof Uint8Array
          ? { sub_type: 0, bytes: value }
          : {
              sub_type: (value as { sub_type: number }).sub_type,
              bytes: (value as { buffer: Uint8Array; position: number }).buffer.subarray(
                0,
                (value as { position: number }).position,
              ),
            };
      w.uint32(bin.bytes.length);
      w.byte(bin.sub_type);
      w.bytes(bin.bytes);
      return;
    }
    case TypeTag.RegExp: {
      const re = value as { source?: string; pattern?: string; flags?: string; options?: string };
      w.escaped(Buffer.from(re.source ?? re.pattern ?? '', 'utf8'));
      w.escaped(Buffer.from(re.flags ?? re.options ?? '', 'utf8'));
      return;
    }
    case TypeTag.Code:
      w.escaped(Buffer.from(String((value as { code: unknown }).code), 'utf8'));
      return;
    case TypeTag.Array:
      for (const item of value as unknown[]) writeValue(w, item);
      w.byte(END_OF_CONTAINER);
      return;
    default:
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        if (item === undefined) continue;
        w.byte(typeTagOf(item));
        w.escaped(Buffer.from(key, 'utf8'));
        writeValue(w, item);
      }
      w.byte(END_OF_CONTAINER);
  }
}

export function encodeKey(value: unknown): Buffer {
  const w = new ByteWriter();
  writeValue(w, value);
  return w.result();
}

/** Bitwise complement: reverses the order of prefix-free encodings (descending components). */
export function complement(bytes: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = ~bytes[i]! & 0xff;
  return out;
}

/**
 * The smallest byte string greater than every string that starts with `prefix`;
 * undefined when no such string exists (prefix is all 0xFF).
 */
export function prefixSuccessor(prefix: Uint8Array): Buffer | undefined {
  let end = prefix.length;
  while (end > 0 && prefix[end - 1] === 0xff) end--;
  if (end === 0) return undefined;
  const out = Buffer.from(prefix.subarray(0, end));
  out[end - 1] = out[end - 1]! + 1;
  return out;
}

export function compareKeys(a: Uint8Array, b: Uint8Array): number {
  return Buffer.compare(a, b);
}

function objectIdBytes(value: unknown): Uint8Array | undefined {
  return (value as { _bsontype?: string } | null)?._bsontype === 'ObjectId'
    ? (value as { id: Uint8Array }).id
    : undefined;
}

/** UTF-8 byte order of two strings (MongoDB's), without encoding them when no surrogate differs. */
function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // UTF-16 units order as UTF-8 bytes do below the surrogates.
    if (x < 0xd800 && y < 0xd800) return x < y ? -1 : 1;
    return compareKeys(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
  }
  return a.length < b.length ? -1 : 1;
}

/** MongoDB's comparison of two values (BSON order across types; missing sorts as undefined). */
export function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') {
    return a < b ? -1 : a > b ? 1 : a === b ? 0 : compareKeys(encodeKey(a), encodeKey(b));
  }
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b);
  if (a instanceof Date && b instanceof Date) return Math.sign(a.getTime() - b.getTime());
  const idA = objectIdBytes(a);
  const idB = objectIdBytes(b);
  if (idA && idB) return Buffer.compare(idA, idB);
  return compareKeys(encodeKey(a), encodeKey(b));
}

/**
 * A string equal for values MongoDB finds equal (numbers of any type, one text): a cheap form
 * for the commonest types, the order-preserving key for the rest.
 */
export function equalityKey(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `s${value}`;
    case 'number':
      return `n${value}`;
    case 'boolean':
      return `b${value}`;
  }
  if (value instanceof Date) return `d${value.getTime()}`;
  const tag = typeTagOf(value);
  if (tag === TypeTag.ObjectId) return `o${(value as { toHexString(): string }).toHexString()}`;
  if (tag === TypeTag.Number) return `n${toDouble(value)}`;
  if (tag === TypeTag.String) return `s${String(value)}`;
  return `k${encodeKey(value).toString('latin1')}`;
}
