import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { hostname } from 'node:os';
import { calculateObjectSize, type Document } from 'bson';
import type { CommandContext, ServerParameters } from './commands/context.js';
import { dispatchCommand } from './commands/dispatch.js';
import { MAX_BSON_OBJECT_SIZE } from './commands/handshake.js';
import { CommandError, ErrorCodes } from './errors.js';
import { CursorRegistry } from './engine/cursors.js';
import { Storage } from './engine/storage.js';
import { serializeDoc } from './engine/query-executor.js';
import { removeExpiredDocuments } from './engine/ttl-monitor.js';
import { removeRunningStoreFile, writeRunningStoreFile } from './running-store-file.js';
import { FrameTooLargeError, MalformedFrameError, MessageReader } from './wire/message-reader.js';
import {
  encodeOpMsg,
  encodeOpReply,
  OpCode,
  parseOpMsg,
  parseOpQuery,
  ProtocolError,
  readHeader,
  type CommandRequest,
} from './wire/protocol.js';

export interface StoreServerOptions {
  /** Folder for data files (created if missing); ':memory:' keeps nothing on disk. */
  dataDir: string;
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to listen on; loopback by default, since the store has no authentication. */
  host?: string;
  /** SQLite page cache in MiB. */
  cacheMiB?: number;
  log?: (message: string) => void;
}

const CURSOR_REAPER_INTERVAL_MS = 1000;
/** MongoDB's BSONObjMaxInternalSize: the largest reply document it builds (16 MiB + 16 KiB). */
const MAX_REPLY_DOCUMENT_BYTES = MAX_BSON_OBJECT_SIZE + 16 * 1024;

/**
 * A reply document over the size limit (a distinct of huge values, a batch with thousands of
 * write errors) becomes MongoDB's BSONObjectTooLarge error. bson's serializer throws past its
 * 17 MB buffer; uncaught, that would end the server for every client.
 */
function encodeReplyDocument(result: Document): Buffer {
  let size: number;
  try {
    const body = serializeDoc(result);
    if (body.length <= MAX_REPLY_DOCUMENT_BYTES) return body;
    size = body.length;
  } catch {
    size = calculateObjectSize(result, { ignoreUndefined: true });
  }
  const error = new CommandError(
    ErrorCodes.BSONObjectTooLarge,
    `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_REPLY_DOCUMENT_BYTES}(16MB)`,
  );
  return serializeDoc(error.toReply());
}

/** A MongoDB-compatible server over the embedded storage engine, speaking the wire protocol on TCP. */
export class StoreServer {
  readonly storage: Storage;
  private readonly cursors = new CursorRegistry();
  private readonly sockets = new Set<Socket>();
  private readonly parameters: ServerParameters = { ttlMonitorSleepSecs: 60, cursorTimeoutMillis: 600_000 };
  private readonly connections = { current: 0, totalCreated: 0 };
  private readonly startedAt = Date.now();
  private readonly host = hostname();
  private nextConnectionId = 1;
  private nextRequestId = 1;
  private ttlTimer: NodeJS.Timeout | undefined;
  private reaperTimer: NodeJS.Timeout | undefined;
  private server: Server | undefined;

  private constructor(private readonly options: StoreServerOptions) {
    this.storage = new Storage({ dataDir: options.dataDir, cacheMiB: options.cacheMiB });
  }

  static async start(options: StoreServerOptions): Promise<StoreServer> {
    const store = new StoreServer(options);
    try {
      await store.listen();
    } catch (error) {
      await store.close();
      throw error;
    }
    if (store.keepsFiles) writeRunningStoreFile(options.dataDir, store.uri);
    return store;
  }

  private get keepsFiles(): boolean {
    return this.options.dataDir !== ':memory:';
  }

  /** The folder holding the data files. */
  get dataDir(): string {
    return this.options.dataDir;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  /** A connection string for the driver, mongoose and tools (mongosh, Compass, mongodump). */
  get uri(): string {
    const host = this.options.host ?? '127.0.0.1';
    return `mongodb://${host.includes(':') ? `[${host}]` : host}:${this.port}`;
  }

  private listen(): Promise<void> {
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    this.scheduleTtlMonitor();
    this.reaperTimer = setInterval(
      () => this.cursors.reap(this.parameters.cursorTimeoutMillis),
      CURSOR_REAPER_INTERVAL_MS,
    );
    this.reaperTimer.unref();
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, this.options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  }

  private scheduleTtlMonitor(): void {
    clearInterval(this.ttlTimer);
    this.ttlTimer = setInterval(() => {
      try {
        removeExpiredDocuments(this.storage);
      } catch (error) {
        this.options.log?.(`TTL monitor failed: ${String(error)}`);
      }
    }, this.parameters.ttlMonitorSleepSecs * 1000);
    this.ttlTimer.unref();
  }

  private accept(socket: Socket): void {
    const connectionId = this.nextConnectionId++;
    const reader = new MessageReader();
    this.sockets.add(socket);
    this.connections.current++;
    this.connections.totalCreated++;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      let frames: Buffer[];
      try {
        frames = reader.push(chunk);
      } catch (error) {
        if (error instanceof FrameTooLargeError || error instanceof MalformedFrameError) {
          this.options.log?.(`closing connection ${connectionId}: ${error.message}`);
          socket.destroy();
          return;
        }
        throw error;
      }
      for (const frame of frames) {
        if (socket.destroyed) return;
        try {
          this.handleFrame(socket, connectionId, frame);
        } catch (error) {
          // A thrown 'data' handler would take the whole process down; a fault on one request
          // only costs its own connection.
          this.options.log?.(
            `closing connection ${connectionId}: ${error instanceof Error ? error.stack : String(error)}`,
          );
          socket.destroy();
          return;
        }
      }
    });
    // A client that vanishes mid-reply (EPIPE, ECONNRESET) only loses its own connection.
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.connections.current--;
    });
  }

  private handleFrame(socket: Socket, connectionId: number, frame: Buffer): void {
    const header = readHeader(frame);
    let request: CommandRequest;
    try {
      if (header.opCode === OpCode.Msg) request = parseOpMsg(frame, header);
      else if (header.opCode === OpCode.Query) request = parseOpQuery(frame, header);
      else {
        this.options.log?.(`closing connection ${connectionId}: unsupported opCode ${header.opCode}`);
        socket.destroy();
        return;
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const reply =
        error instanceof ProtocolError
          ? new CommandError(error.code, message)
          : new CommandError(ErrorCodes.InvalidBSON, `invalid BSON: ${message}`);
      this.reply(socket, header.opCode, header.requestId, reply.toReply());
      return;
    }
    const ctx: Omit<CommandContext, 'db'> = {
      storage: this.storage,
      cursors: this.cursors,
      parameters: this.parameters,
      server: {
        startedAt: this.startedAt,
        host: this.host,
        connections: this.connections,
        parametersChanged: () => this.scheduleTtlMonitor(),
      },
      connectionId,
      request,
    };
    const result = dispatchCommand(ctx, request.body);
    if (request.noReply) return;
    this.reply(socket, header.opCode, header.requestId, result);
  }

  private reply(socket: Socket, opCode: number, responseTo: number, result: Document | Buffer): void {
    if (socket.destroyed) return;
    const body = Buffer.isBuffer(result) ? result : encodeReplyDocument(result);
    const requestId = this.nextRequestId++;
    socket.write(
      opCode === OpCode.Query ? encodeOpReply(body, requestId, responseTo) : encodeOpMsg(body, requestId, responseTo),
    );
  }

  /** Stops accepting, closes client connections and closes the storage cleanly. */
  async close(): Promise<void> {
    clearInterval(this.ttlTimer);
    clearInterval(this.reaperTimer);
    if (this.keepsFiles && this.server?.listening) removeRunningStoreFile(this.options.dataDir, this.uri);
    this.cursors.closeAll();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.storage.close();
  }
}
