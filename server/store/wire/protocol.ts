import { deserialize, type Document } from 'bson';
import { validateBson } from '../engine/raw-document.js';
import { crc32c } from './crc32c.js';
import { HEADER_BYTES } from './message-reader.js';

export const OpCode = { Reply: 1, Query: 2004, Compressed: 2012, Msg: 2013 } as const;

const MsgFlags = { ChecksumPresent: 1 << 0, MoreToCome: 1 << 1, ExhaustAllowed: 1 << 16 } as const;
/** The low 16 flag bits are required: a bit the server does not know there must be refused. */
const REQUIRED_FLAGS_MASK = 0xffff;
const KNOWN_FLAGS = MsgFlags.ChecksumPresent | MsgFlags.MoreToCome;

/** MongoDB's codes for OP_MSG parse failures (src/mongo/rpc/op_msg.cpp). */
export const ProtocolErrorCodes = {
  FailedToParse: 9,
  InvalidBSON: 22,
  IllegalOpMsgFlag: 223,
  ChecksumMismatch: 282,
  MultipleBodies: 40430,
  UnknownSectionKind: 40432,
  MissingBody: 40587,
} as const;

/** A malformed message; `code` is the error MongoDB replies with for the same fault. */
export class ProtocolError extends Error {
  constructor(
    message: string,
    readonly code: number = ProtocolErrorCodes.FailedToParse,
  ) {
    super(message);
  }
}

export interface WireHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A command as the dispatcher sees it, whichever opcode carried it. */
export interface CommandRequest {
  header: WireHeader;
  body: Document;
  /** Raw bytes of documents from OP_MSG kind-1 sections, by identifier (e.g. 'documents'). */
  sequences: Map<string, Uint8Array[]>;
  /** The client asked for no reply (OP_MSG moreToCome: unacknowledged writes). */
  noReply: boolean;
  legacy: boolean;
}

const DESERIALIZE_OPTIONS = { promoteLongs: true, promoteValues: true } as const;

export function readHeader(frame: Buffer): WireHeader {
  return {
    length: frame.readInt32LE(0),
    requestId: frame.readInt32LE(4),
    responseTo: frame.readInt32LE(8),
    opCode: frame.readInt32LE(12),
  };
}

function readBsonAt(frame: Buffer, offset: number, end: number): { bytes: Buffer; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = frame.readInt32LE(offset);
  if (size < 5 || offset + size > end) throw new ProtocolError(`invalid BSON document size ${size}`);
  return { bytes: frame.subarray(offset, offset + size), next: offset + size };
}

function readCString(frame: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = frame.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated C string');
  return { value: frame.toString('utf8', offset, zero), next: zero + 1 };
}

/**
 * Sequence documents stay raw (inserts store their bytes), so unlike the body they are not
 * decoded here; MongoDB still refuses the whole message when one is malformed, before any
 * statement runs, so a batch never half-applies because of bad bytes.
 */
function assertValidSequenceDocument(bytes: Buffer): void {
  try {
    validateBson(bytes);
  } catch (error) {
    throw new ProtocolError(error instanceof Error ? error.message : String(error), ProtocolErrorCodes.InvalidBSON);
  }
}

export function parseOpMsg(frame: Buffer, header: WireHeader): CommandRequest {
  // A frame of just a header has no flags to read; readUInt32LE would throw a RangeError.
  if (frame.length < HEADER_BYTES + 4) throw new ProtocolError('OP_MSG is too short to hold its flagBits');
  const flags = frame.readUInt32LE(HEADER_BYTES);
  if (flags & ~KNOWN_FLAGS & REQUIRED_FLAGS_MASK) {
    throw new ProtocolError(
      `Message contains illegal flags value: Ob${flags.toString(2).padStart(32, '0')}`,
      ProtocolErrorCodes.IllegalOpMsgFlag,
    );
  }
  let end = frame.length;
  if (flags & MsgFlags.ChecksumPresent) {
    end -= 4;
    if (end < HEADER_BYTES + 5) throw new ProtocolError('message too short for its checksum');
    const expected = frame.readUInt32LE(end);
    if (crc32c(frame.subarray(0, end)) !== expected) {
      throw new ProtocolError('OP_MSG checksum does not match contents', ProtocolErrorCodes.ChecksumMismatch);
    }
  }
  let offset = HEADER_BYTES + 4;
  let body: Document | undefined;
  const sequences = new Map<string, Uint8Array[]>();
  while (offset < end) {
    const kind = frame[offset++];
    if (kind === 0) {
      if (body) throw new ProtocolError('Multiple body sections in message', ProtocolErrorCodes.MultipleBodies);
      const doc = readBsonAt(frame, offset, end);
      body = deserialize(doc.bytes, DESERIALIZE_OPTIONS);
      offset = doc.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = frame.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError(`invalid document sequence size ${size}`);
      const id = readCString(frame, offset + 4, sectionEnd);
      const docs: Uint8Array[] = [];
      let cursor = id.next;
      while (cursor < sectionEnd) {
        const doc = readBsonAt(frame, cursor, sectionEnd);
        assertValidSequenceDocument(doc.bytes);
        docs.push(doc.bytes);
        cursor = doc.next;
      }
      sequences.set(id.value, docs);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`Unknown section kind ${kind}`, ProtocolErrorCodes.UnknownSectionKind);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG messages must have a body', ProtocolErrorCodes.MissingBody);
  return { header, body, sequences, noReply: (flags & MsgFlags.MoreToCome) !== 0, legacy: false };
}

/** Legacy OP_QUERY: only commands on `<db>.$cmd` remain (the handshake of drivers and tools). */
export function parseOpQuery(frame: Buffer, header: WireHeader): CommandRequest {
  let offset = HEADER_BYTES + 4;
  const ns = readCString(frame, offset, frame.length);
  offset = ns.next + 8; // numberToSkip, numberToReturn
  const query = readBsonAt(frame, offset, frame.length);
  const dot = ns.value.indexOf('.');
  if (dot < 0 || ns.value.slice(dot + 1) !== '$cmd') {
    throw new ProtocolError(`OP_QUERY is only supported for commands, not on '${ns.value}'`);
  }
  let body = deserialize(query.bytes, DESERIALIZE_OPTIONS);
  // Old shells wrap the command: { $query: {...}, $readPreference: ... }.
  if (body.$query && typeof body.$query === 'object') body = body.$query as Document;
  body.$db = ns.value.slice(0, dot);
  return { header, body, sequences: new Map(), noReply: false, legacy: true };
}

function writeHeader(out: Buffer, length: number, requestId: number, responseTo: number, opCode: number): void {
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
}

export function encodeOpMsg(body: Uint8Array, requestId: number, responseTo: number): Buffer {
  const length = HEADER_BYTES + 4 + 1 + body.length;
  const out = Buffer.allocUnsafe(length);
  writeHeader(out, length, requestId, responseTo, OpCode.Msg);
  out.writeUInt32LE(0, HEADER_BYTES);
  out[HEADER_BYTES + 4] = 0;
  out.set(body, HEADER_BYTES + 5);
  return out;
}

export function encodeOpReply(body: Uint8Array, requestId: number, responseTo: number): Buffer {
  const length = HEADER_BYTES + 20 + body.length;
  const out = Buffer.allocUnsafe(length);
  writeHeader(out, length, requestId, responseTo, OpCode.Reply);
  out.writeInt32LE(0, HEADER_BYTES); // responseFlags
  out.writeBigInt64LE(0n, HEADER_BYTES + 4); // cursorID
  out.writeInt32LE(0, HEADER_BYTES + 12); // startingFrom
  out.writeInt32LE(1, HEADER_BYTES + 16); // numberReturned
  out.set(body, HEADER_BYTES + 20);
  return out;
}

/**
 * `{ cursor: { <batchKey>: [...docs], id, ns }, ok: 1 }` assembled around documents that are
 * already BSON, so stored documents reach the client without a decode/encode round trip.
 */
export function encodeCursorReply(
  cursorId: bigint,
  ns: string,
  batchKey: 'firstBatch' | 'nextBatch',
  docs: Uint8Array[],
): Buffer {
  let arraySize = 5;
  const indexNames = docs.map((_, i) => String(i));
  docs.forEach((doc, i) => (arraySize += 1 + indexNames[i]!.length + 1 + doc.length));
  const nsBytes = Buffer.from(ns, 'utf8');
  const cursorSize = 4 + (1 + batchKey.length + 1 + arraySize) + (1 + 3 + 8) + (1 + 3 + 4 + nsBytes.length + 1) + 1;
  const total = 4 + (1 + 7 + cursorSize) + (1 + 3 + 8) + 1;
  const out = Buffer.allocUnsafe(total);
  let o = 0;
  const cstring = (s: string) => {
    o += out.write(s, o, 'latin1');
    out[o++] = 0;
  };
  out.writeInt32LE(total, o);
  o += 4;
  out[o++] = 0x03;
  cstring('cursor');
  out.writeInt32LE(cursorSize, o);
  o += 4;
  out[o++] = 0x04;
  cstring(batchKey);
  out.writeInt32LE(arraySize, o);
  o += 4;
  docs.forEach((doc, i) => {
    out[o++] = 0x03;
    cstring(indexNames[i]!);
    out.set(doc, o);
    o += doc.length;
  });
  out[o++] = 0;
  out[o++] = 0x12;
  cstring('id');
  out.writeBigInt64LE(cursorId, o);
  o += 8;
  out[o++] = 0x02;
  cstring('ns');
  out.writeInt32LE(nsBytes.length + 1, o);
  o += 4;
  out.set(nsBytes, o);
  o += nsBytes.length;
  out[o++] = 0;
  out[o++] = 0;
  out[o++] = 0x01;
  cstring('ok');
  out.writeDoubleLE(1, o);
  o += 8;
  out[o++] = 0;
  return out;
}
