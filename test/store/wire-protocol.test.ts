import { connect, type Socket } from 'node:net';
import { deserialize, serialize, type Document } from 'bson';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { againstRealMongo, openTestDatabase, type TestDatabase } from './harness.js';

/**
 * Hand-built frames over a raw socket: whatever a client sends, the store answers with an
 * error or closes that one connection, and keeps serving everyone else. These tests need the
 * embedded store's process (a crash of the server is what they look for), so they are skipped
 * against a real MongoDB.
 */

const OP_REPLY = 1;
const OP_QUERY = 2004;
const OP_MSG = 2013;
const CHECKSUM_PRESENT = 1 << 0;
const MORE_TO_COME = 1 << 1;
const WAIT_MS = 3000;

let nextRequestId = 1000;

function header(length: number, requestId: number, opCode: number, responseTo = 0): Buffer {
  const out = Buffer.alloc(16);
  out.writeInt32LE(length, 0);
  out.writeInt32LE(requestId, 4);
  out.writeInt32LE(responseTo, 8);
  out.writeInt32LE(opCode, 12);
  return out;
}

/** CRC-32C written independently of the store's, checked against the standard test vector below. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32c(bytes: Uint8Array): number {
  let crc = ~0;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

/** An OP_MSG frame from raw section bytes: flagBits, sections, optional CRC-32C. */
function opMsgFrame(
  sections: Buffer,
  options: { flags?: number; requestId?: number; checksum?: 'good' | 'bad' } = {},
): Buffer {
  const requestId = options.requestId ?? nextRequestId++;
  let flags = options.flags ?? 0;
  if (options.checksum) flags |= CHECKSUM_PRESENT;
  const flagBytes = Buffer.alloc(4);
  flagBytes.writeUInt32LE(flags >>> 0, 0);
  const length = 16 + 4 + sections.length + (options.checksum ? 4 : 0);
  const withoutChecksum = Buffer.concat([header(length, requestId, OP_MSG), flagBytes, sections]);
  if (!options.checksum) return withoutChecksum;
  const crc = Buffer.alloc(4);
  crc.writeUInt32LE(
    options.checksum === 'good' ? crc32c(withoutChecksum) : (crc32c(withoutChecksum) ^ 0xdeadbeef) >>> 0,
    0,
  );
  return Buffer.concat([withoutChecksum, crc]);
}

/** Section kind 0: one BSON document, the command. */
function bodySection(doc: Document): Buffer {
  return Buffer.concat([Buffer.from([0]), Buffer.from(serialize(doc))]);
}

/** Section kind 1: a document sequence, e.g. the `documents` of an insert. */
function sequenceSection(identifier: string, docs: Buffer[]): Buffer {
  const name = Buffer.from(`${identifier}\0`, 'utf8');
  const size = Buffer.alloc(4);
  size.writeInt32LE(4 + name.length + docs.reduce((sum, d) => sum + d.length, 0), 0);
  return Buffer.concat([Buffer.from([1]), size, name, ...docs]);
}

function commandFrame(doc: Document, options: Parameters<typeof opMsgFrame>[1] = {}): Buffer {
  return opMsgFrame(bodySection(doc), options);
}

function opQueryFrame(ns: string, query: Document, requestId: number): Buffer {
  const flags = Buffer.alloc(4);
  const name = Buffer.from(`${ns}\0`, 'utf8');
  const skipReturn = Buffer.alloc(8);
  skipReturn.writeInt32LE(0, 0);
  skipReturn.writeInt32LE(-1, 4);
  const doc = Buffer.from(serialize(query));
  const length = 16 + flags.length + name.length + skipReturn.length + doc.length;
  return Buffer.concat([header(length, requestId, OP_QUERY), flags, name, skipReturn, doc]);
}

interface Reply {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
  body: Document;
}

function parseReply(frame: Buffer): Reply {
  const opCode = frame.readInt32LE(12);
  const base = {
    length: frame.readInt32LE(0),
    requestId: frame.readInt32LE(4),
    responseTo: frame.readInt32LE(8),
    opCode,
  };
  if (opCode === OP_MSG) {
    expect(frame[20]).toBe(0);
    return { ...base, body: deserialize(frame.subarray(21)) };
  }
  if (opCode === OP_REPLY) {
    expect(frame.readInt32LE(32)).toBe(1); // numberReturned
    return { ...base, body: deserialize(frame.subarray(36)) };
  }
  throw new Error(`unexpected reply opCode ${opCode}`);
}

/** A raw TCP client that buffers what the server sends and notices when it hangs up. */
class RawClient {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  bytesReceived = 0;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.bytesReceived += chunk.length;
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', () => {});
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private waitFor<T>(check: () => T | undefined, timeoutMs: number): Promise<T | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(undefined), timeoutMs);
      const poll = () => {
        const value = check();
        if (value !== undefined || this.closed) {
          clearTimeout(timer);
          resolve(value);
        } else this.waiters.push(poll);
      };
      poll();
    });
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next complete message, or undefined if the server closed or stayed silent. */
  async nextReply(timeoutMs = WAIT_MS): Promise<Reply | undefined> {
    const frame = await this.waitFor(() => {
      if (this.buffer.length < 4) return undefined;
      const length = this.buffer.readInt32LE(0);
      if (this.buffer.length < length) return undefined;
      const out = this.buffer.subarray(0, length);
      this.buffer = this.buffer.subarray(length);
      return out;
    }, timeoutMs);
    return frame && parseReply(frame);
  }

  async command(doc: Document): Promise<Reply> {
    const requestId = nextRequestId++;
    this.send(commandFrame(doc, { requestId }));
    const reply = await this.nextReply();
    expect(reply, 'a reply to the command').toBeDefined();
    expect(reply!.responseTo).toBe(requestId);
    return reply!;
  }

  /** Resolves true once the server has closed the connection. */
  async closedByServer(timeoutMs = WAIT_MS): Promise<boolean> {
    await this.waitFor(() => (this.closed ? true : undefined), timeoutMs);
    return this.closed;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

describe.skipIf(againstRealMongo)('wire protocol robustness (needs the embedded store process)', () => {
  let t: TestDatabase;
  let port: number;
  const clients: RawClient[] = [];

  async function rawClient(): Promise<RawClient> {
    const client = await RawClient.open(port);
    clients.push(client);
    return client;
  }

  /** The server still serves a normal driver client: reads, writes and a handshake. */
  async function expectServerHealthy(): Promise<void> {
    expect((await t.db.command({ ping: 1 })).ok).toBe(1);
    const health = t.db.collection('health');
    await health.insertOne({ at: new Date() });
    expect(await health.countDocuments()).toBeGreaterThan(0);
  }

  beforeAll(async () => {
    t = await openTestDatabase();
    port = t.store!.port;
  });

  afterEach(async () => {
    for (const client of clients.splice(0)) client.destroy();
    await expectServerHealthy();
  });

  afterAll(async () => {
    await t?.close();
  });

  it('should compute the CRC-32C test vector the checksum tests rely on', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('should answer a hand-built OP_MSG ping', async () => {
    const client = await rawClient();
    const reply = await client.command({ ping: 1, $db: 'admin' });
    expect(reply.opCode).toBe(OP_MSG);
    expect(reply.body).toEqual({ ok: 1 });
  });

  it('should close the connection on a message length below the header size', async () => {
    const client = await rawClient();
    const bad = Buffer.alloc(16);
    bad.writeInt32LE(8, 0);
    bad.writeInt32LE(OP_MSG, 12);
    client.send(bad);
    expect(await client.closedByServer()).toBe(true);
  });

  it('should close the connection on a negative message length', async () => {
    const client = await rawClient();
    client.send(header(-1, nextRequestId++, OP_MSG));
    expect(await client.closedByServer()).toBe(true);
  });

  it('should survive a truncated frame followed by the client closing', async () => {
    const before = await t.db.admin().command({ serverStatus: 1 });
    const client = await rawClient();
    const frame = commandFrame({ insert: 'truncated', documents: [{ _id: 1 }], $db: t.dbName });
    client.send(frame.subarray(0, frame.length - 7));
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.socket.end();
    expect(await client.closedByServer()).toBe(true);
    expect(await t.db.collection('truncated').countDocuments()).toBe(0);
    // The half frame was dropped with its connection: the connection count is back.
    await expect
      .poll(async () => (await t.db.admin().command({ serverStatus: 1 })).connections.current)
      .toBe(before.connections.current);
  });

  it('should wait for the rest of a frame that arrives a few bytes at a time', async () => {
    const client = await rawClient();
    const frame = commandFrame({ ping: 1, $db: 'admin' }, { requestId: 77 });
    for (let i = 0; i < frame.length; i += 3) {
      client.send(frame.subarray(i, i + 3));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const reply = await client.nextReply();
    expect(reply?.responseTo).toBe(77);
    expect(reply?.body.ok).toBe(1);
  });

  it('should close the connection when the declared length exceeds maxMessageSizeBytes', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    expect(hello.maxMessageSizeBytes).toBe(48_000_000);
    const client = await rawClient();
    client.send(Buffer.concat([header(48_000_001, nextRequestId++, OP_MSG), Buffer.alloc(64)]));
    expect(await client.closedByServer()).toBe(true);
  });

  it('should reply with an error, not crash, on invalid BSON inside a valid OP_MSG', async () => {
    const client = await rawClient();
    const doc = Buffer.from(serialize({ ping: 1, $db: 'admin', note: 'abcdef' }));
    // Corrupt the string length of 'note' so it runs past the document's end.
    const noteAt = doc.indexOf(Buffer.from('note\0')) + 5;
    doc.writeInt32LE(1000, noteAt);
    const requestId = nextRequestId++;
    client.send(opMsgFrame(Buffer.concat([Buffer.from([0]), doc]), { requestId }));
    const reply = await client.nextReply();
    if (reply) {
      expect(reply.responseTo).toBe(requestId);
      expect(reply.body.ok).toBe(0);
      expect(reply.body.code).toBe(22); // InvalidBSON
    } else {
      expect(await client.closedByServer()).toBe(true);
    }
  });

  it('should reply with an error on an unknown BSON element type', async () => {
    const client = await rawClient();
    const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    doc[4] = 0x77; // the type byte of the first element
    client.send(opMsgFrame(Buffer.concat([Buffer.from([0]), doc])));
    const reply = await client.nextReply();
    expect(reply?.body.ok).toBe(0);
    expect(reply?.body.code).toBe(22);
  });

  it('should reply with an error when a section overruns the message', async () => {
    const client = await rawClient();
    const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    doc.writeInt32LE(doc.length + 100, 0);
    client.send(opMsgFrame(Buffer.concat([Buffer.from([0]), doc])));
    const reply = await client.nextReply();
    expect(reply?.body.ok).toBe(0);
    expect(typeof reply?.body.errmsg).toBe('string');
  });

  it('should reply with an error on an OP_MSG too short to hold its flags', async () => {
    const client = await rawClient();
    const requestId = nextRequestId++;
    client.send(header(18, requestId, OP_MSG));
    client.send(Buffer.alloc(2));
    const reply = await client.nextReply();
    if (reply) {
      expect(reply.responseTo).toBe(requestId);
      expect(reply.body.ok).toBe(0);
    } else {
      expect(await client.closedByServer()).toBe(true);
    }
  });

  it('should insert documents from a kind 1 document sequence', async () => {
    const client = await rawClient();
    client.send(
      opMsgFrame(
        Buffer.concat([
          bodySection({ insert: 'sequenced', $db: t.dbName }),
          sequenceSection(
            'documents',
            [
              { _id: 1, v: 'one' },
              { _id: 2, v: 'two' },
            ].map((d) => Buffer.from(serialize(d))),
          ),
        ]),
      ),
    );
    expect((await client.nextReply())?.body).toEqual({ n: 2, ok: 1 });
    expect(await t.db.collection('sequenced').countDocuments()).toBe(2);
  });

  it('should reply InvalidBSON to invalid BSON inside a document sequence and store nothing', async () => {
    const client = await rawClient();
    const good = Buffer.from(serialize({ _id: 1, v: 'fine' }));
    const bad = Buffer.from(serialize({ _id: 2, v: 'broken' }));
    bad.writeInt32LE(500, bad.indexOf(Buffer.from('v\0')) + 2);
    const requestId = nextRequestId++;
    client.send(
      opMsgFrame(
        Buffer.concat([
          bodySection({ insert: 'badsequence', $db: t.dbName }),
          sequenceSection('documents', [good, bad]),
        ]),
        { requestId },
      ),
    );
    const reply = await client.nextReply();
    expect(reply?.responseTo).toBe(requestId);
    expect(reply?.body).toMatchObject({ ok: 0, code: 22 });
    expect(await t.db.collection('badsequence').countDocuments()).toBe(0);
  });

  it('should answer pipelined requests in order', async () => {
    const client = await rawClient();
    const first = nextRequestId;
    const frames = Array.from({ length: 200 }, (_, i) =>
      commandFrame(
        i % 2 ? { ping: 1, $db: 'admin' } : { insert: 'pipelined', documents: [{ _id: i }], $db: t.dbName },
        { requestId: first + i },
      ),
    );
    nextRequestId += frames.length;
    client.send(Buffer.concat(frames));
    for (let i = 0; i < frames.length; i++) {
      const reply = await client.nextReply();
      expect(reply?.responseTo).toBe(first + i);
      expect(reply?.body).toEqual(i % 2 ? { ok: 1 } : { n: 1, ok: 1 });
    }
    expect(await t.db.collection('pipelined').countDocuments()).toBe(100);
  });

  it('should close the connection on an unknown opCode', async () => {
    const client = await rawClient();
    const doc = Buffer.from(serialize({ ping: 1, $db: 'admin' }));
    client.send(Buffer.concat([header(16 + doc.length, nextRequestId++, 4242), doc]));
    expect(await client.closedByServer()).toBe(true);
  });

  it('should reply with error 40432 on an unknown OP_MSG section kind', async () => {
    const client = await rawClient();
    const requestId = nextRequestId++;
    const sections = Buffer.concat([
      bodySection({ ping: 1, $db: 'admin' }),
      Buffer.from([7]),
      Buffer.from(serialize({ x: 1 })),
    ]);
    client.send(opMsgFrame(sections, { requestId }));
    const reply = await client.nextReply();
    expect(reply?.responseTo).toBe(requestId);
    expect(reply?.body).toMatchObject({ ok: 0, code: 40432 });
    // The connection stays usable after an error reply.
    expect((await client.command({ ping: 1, $db: 'admin' })).body.ok).toBe(1);
  });

  it("should reply with MongoDB's codes to two body sections and to no body section", async () => {
    const client = await rawClient();
    const body = bodySection({ ping: 1, $db: 'admin' });
    client.send(opMsgFrame(Buffer.concat([body, body])));
    expect((await client.nextReply())?.body).toMatchObject({ ok: 0, code: 40430 });
    client.send(opMsgFrame(Buffer.alloc(0)));
    expect((await client.nextReply())?.body).toMatchObject({ ok: 0, code: 40587 });
  });

  it('should refuse an unknown required flag bit with IllegalOpMsgFlag and ignore optional ones', async () => {
    const client = await rawClient();
    client.send(commandFrame({ ping: 1, $db: 'admin' }, { flags: 1 << 3 }));
    expect((await client.nextReply())?.body).toMatchObject({ ok: 0, code: 223, codeName: 'IllegalOpMsgFlag' });
    // exhaustAllowed (bit 16) is optional: a server may ignore it.
    client.send(commandFrame({ ping: 1, $db: 'admin' }, { flags: 1 << 16 }));
    expect((await client.nextReply())?.body).toEqual({ ok: 1 });
  });

  it('should accept an OP_MSG with a correct CRC-32C checksum', async () => {
    const client = await rawClient();
    const requestId = nextRequestId++;
    client.send(
      commandFrame(
        { insert: 'checksummed', documents: [{ _id: 'crc' }], $db: t.dbName },
        { requestId, checksum: 'good' },
      ),
    );
    const reply = await client.nextReply();
    expect(reply?.responseTo).toBe(requestId);
    expect(reply?.body).toEqual({ n: 1, ok: 1 });
    expect(await t.db.collection('checksummed').findOne({ _id: 'crc' as never })).toEqual({ _id: 'crc' });
  });

  it('should reject an OP_MSG whose checksum does not match with ChecksumMismatch', async () => {
    const client = await rawClient();
    const requestId = nextRequestId++;
    client.send(
      commandFrame({ insert: 'badsum', documents: [{ _id: 'crc' }], $db: t.dbName }, { requestId, checksum: 'bad' }),
    );
    const reply = await client.nextReply();
    expect(reply?.responseTo).toBe(requestId);
    expect(reply?.body).toMatchObject({ ok: 0, code: 282, codeName: 'ChecksumMismatch' });
    expect(await t.db.collection('badsum').countDocuments()).toBe(0);
  });

  it('should store an unacknowledged moreToCome insert without replying', async () => {
    const client = await rawClient();
    client.send(
      commandFrame(
        {
          insert: 'fireforget',
          documents: [
            { _id: 1, v: 'a' },
            { _id: 2, v: 'b' },
          ],
          writeConcern: { w: 0 },
          $db: t.dbName,
        },
        { flags: MORE_TO_COME },
      ),
    );
    // The next reply on this connection answers the ping, not the insert.
    const ping = await client.command({ ping: 1, $db: 'admin' });
    expect(ping.body).toEqual({ ok: 1 });
    expect(await client.nextReply(200)).toBeUndefined();
    expect(await t.db.collection('fireforget').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 1, v: 'a' },
      { _id: 2, v: 'b' },
    ]);
  });

  it('should answer a legacy OP_QUERY isMaster on admin.$cmd with OP_REPLY', async () => {
    const client = await rawClient();
    client.send(opQueryFrame('admin.$cmd', { isMaster: 1 }, 4321));
    const reply = await client.nextReply();
    expect(reply?.opCode).toBe(OP_REPLY);
    expect(reply?.responseTo).toBe(4321);
    expect(reply?.body).toMatchObject({ ismaster: true, ok: 1 });
    expect(reply?.body.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(reply?.body.maxBsonObjectSize).toBe(16 * 1024 * 1024);
  });

  it('should answer a legacy OP_QUERY wrapped in $query', async () => {
    const client = await rawClient();
    client.send(
      opQueryFrame('admin.$cmd', { $query: { ismaster: 1 }, $readPreference: { mode: 'secondaryPreferred' } }, 4322),
    );
    const reply = await client.nextReply();
    expect(reply?.opCode).toBe(OP_REPLY);
    expect(reply?.body.ismaster).toBe(true);
  });

  it('should refuse a legacy OP_QUERY on a collection with an OP_REPLY error', async () => {
    const client = await rawClient();
    client.send(opQueryFrame(`${t.dbName}.things`, { a: 1 }, 4323));
    const reply = await client.nextReply();
    if (reply) {
      expect(reply.opCode).toBe(OP_REPLY);
      expect(reply.body.ok).toBe(0);
    } else {
      expect(await client.closedByServer()).toBe(true);
    }
  });

  it('should keep serving others when a client disconnects while receiving a large reply', async () => {
    const big = t.db.collection<{ _id: number; payload: string }>('big');
    const payload = 'x'.repeat(100_000);
    await big.insertMany(Array.from({ length: 60 }, (_, i) => ({ _id: i, payload })));

    for (let attempt = 0; attempt < 5; attempt++) {
      const client = await rawClient();
      const received = new Promise<void>((resolve) => client.socket.once('data', () => resolve()));
      client.send(commandFrame({ find: 'big', filter: {}, batchSize: 1000, $db: t.dbName }));
      await received;
      client.destroy();
    }
    // And one that reads the whole reply: about 6 MB in one batch.
    const reader = await rawClient();
    const reply = await reader.command({ find: 'big', filter: {}, batchSize: 1000, $db: t.dbName });
    expect(reply.length).toBeGreaterThan(6_000_000);
    expect(reply.body.cursor.firstBatch).toHaveLength(60);
    expect(await big.countDocuments()).toBe(60);
  });

  it('should answer a reply that would exceed 16 MB with BSONObjectTooLarge instead of crashing', async () => {
    // 25,000 duplicate-key write errors with long _ids make an insert reply of about 20 MB.
    const dups = t.db.collection<{ _id: string }>('dups');
    const docs = Array.from({ length: 25_000 }, (_, i) => ({ _id: `${'k'.repeat(300)}${i}` }));
    await dups.insertMany(docs);
    const error = await dups.insertMany(docs, { ordered: false }).catch((e: unknown) => e as { code?: number });
    expect((error as { code?: number }).code).toBe(10334);
    expect(await dups.countDocuments()).toBe(25_000);
  });

  it('should keep serving a driver client while bad clients come and go concurrently', async () => {
    const abuse = (async () => {
      for (let i = 0; i < 20; i++) {
        const client = await rawClient();
        client.send(i % 2 ? header(3, 1, OP_MSG) : Buffer.from([1, 2, 3]));
        client.destroy();
      }
    })();
    const coll = t.db.collection('concurrent');
    for (let i = 0; i < 50; i++) await coll.insertOne({ i });
    await abuse;
    expect(await coll.countDocuments()).toBe(50);
  });
});
