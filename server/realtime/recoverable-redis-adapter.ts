import { randomBytes } from 'node:crypto';
import { RedisAdapter, type RedisAdapterOptions } from '@socket.io/redis-adapter';
import type { Namespace } from 'socket.io';

type BroadcastOptions = Parameters<RedisAdapter['broadcast']>[1];
type SessionToPersist = Parameters<RedisAdapter['persistSession']>[0];
type Session = NonNullable<Awaited<ReturnType<RedisAdapter['restoreSession']>>>;
type EventData = unknown[];

/**
 * The in-memory adapter's two steps of every local delivery, which the redis adapter inherits
 * (private in its typings), and the two recovery hooks as methods to override.
 */
interface RecoverySteps {
  _encode(packet: { type: number; id?: number; data?: EventData }, packetOptions: { volatile?: boolean }): unknown[];
  apply(options: BroadcastOptions, callback: (socket: unknown) => void): void;
  persistSession(session: SessionToPersist): void;
  restoreSession(pid: string, offset: string): Promise<Session | null>;
  /** Whether a packet from Redis for this room concerns this process (the redis adapter drops it otherwise). */
  hasRoom(room: string): boolean;
}

// The class with those steps visible, so they can be overridden.
const RedisAdapterWithSteps = RedisAdapter as unknown as new (
  nsp: Namespace,
  pubClient: unknown,
  subClient: unknown,
  opts?: Partial<RedisAdapterOptions>,
) => Omit<RedisAdapter, 'persistSession' | 'restoreSession'> & RecoverySteps;

/** An event packet delivered to this process's sockets, kept while a disconnected socket may still come back for it. */
interface KeptPacket {
  seq: number;
  /** The packet as encoded for the sockets (a string, already made), or its arguments when it carries binaries. */
  data: EventData | string;
  rooms: Set<string>;
  except: Set<string> | undefined;
  at: number;
}

const EVENT = 2;

/** An event's arguments back from its encoded text (`2/inbox,[...]`: type, namespace, then the JSON array). */
function argumentsOf(data: EventData | string): EventData {
  return typeof data === 'string' ? (JSON.parse(data.slice(data.indexOf('['))) as EventData) : data;
}

/**
 * The Socket.IO Redis adapter with connection-state recovery. The plain `@socket.io/redis-adapter`
 * inherits the base adapter's `persistSession` (does nothing) and `restoreSession` (finds nothing),
 * so with it every reconnection came back empty-handed, `socket.recovered` was never true and the
 * events pushed during the gap were lost. This keeps, per process, what Socket.IO's own
 * in-memory `SessionAwareAdapter` keeps: the sessions of sockets that dropped, and every event
 * packet this process delivered (whether emitted here, by another web process or by a worker's
 * emitter through Redis), each tagged with an offset the client echoes when it reconnects.
 *
 * A socket that reconnects to the same process gets what it missed; one that lands on another
 * process, or whose offset has aged out (older than `maxDisconnectionDuration`, or past
 * `maxPackets`), is not recovered, and the inbox reloads its lists as it does for a new
 * connection.
 */
export class RecoverableRedisAdapter extends RedisAdapterWithSteps {
  private readonly sessions = new Map<string, { session: SessionToPersist; disconnectedAt: number }>();
  /** The rooms of the sessions above, counted: a packet for them must be kept though no connected socket is in them. */
  private readonly sessionRooms = new Map<string, number>();
  private readonly packets: KeptPacket[] = [];
  /** Packets before this index have been dropped (the array is compacted now and then). */
  private head = 0;
  private nextSeq = 0;
  /** Offsets name this adapter instance, so an offset from another process or an earlier run is never misread. */
  private readonly prefix = randomBytes(6).toString('base64url');
  private encoding: KeptPacket | undefined;
  private readonly maxDisconnectionMs: number;
  private readonly maxPackets: number;

  /**
   * `maxDisconnectionMs`: the server's `connectionStateRecovery.maxDisconnectionDuration`;
   * `maxPackets`: at most this many packets are kept, however young (a bound on memory under a flood).
   */
  constructor(
    nsp: Namespace,
    pubClient: unknown,
    subClient: unknown,
    opts: Partial<RedisAdapterOptions> & { maxDisconnectionMs: number; maxPackets?: number },
  ) {
    super(nsp, pubClient, subClient, opts);
    this.maxDisconnectionMs = opts.maxDisconnectionMs;
    this.maxPackets = opts.maxPackets ?? 100_000;
  }

  /** Every local delivery encodes its packet once: an event without an ack that may be dropped gets its offset here. */
  override _encode(packet: { type: number; id?: number; data?: EventData }, packetOptions: { volatile?: boolean }) {
    if (packet.type === EVENT && packet.id === undefined && !packetOptions.volatile && Array.isArray(packet.data)) {
      const seq = this.nextSeq++;
      // The offset rides at the end of the arguments, where the client reads it (Socket.IO's own format).
      packet.data.push(`${this.prefix}:${seq}`);
      this.encoding = { seq, data: packet.data, rooms: new Set(), except: undefined, at: Date.now() };
    }
    const encoded = super._encode(packet, packetOptions);
    // Kept as the text sent anyway rather than as the payload's objects: a fraction of the memory while it waits.
    if (this.encoding && encoded.length === 1 && typeof encoded[0] === 'string') this.encoding.data = encoded[0];
    return encoded;
  }

  /** ...and then picks its sockets by these options, which say who the packet is for. */
  override apply(options: BroadcastOptions, callback: (socket: unknown) => void): void {
    const kept = this.encoding;
    if (kept) {
      this.encoding = undefined;
      kept.rooms = new Set(options.rooms);
      kept.except = options.except && options.except.size > 0 ? new Set(options.except) : undefined;
      this.keep(kept);
    }
    super.apply(options, callback);
  }

  private keep(packet: KeptPacket): void {
    this.packets.push(packet);
    const oldest = packet.at - this.maxDisconnectionMs;
    while (
      this.head < this.packets.length &&
      (this.packets.length - this.head > this.maxPackets || this.packets[this.head]!.at < oldest)
    ) {
      this.packets[this.head++] = undefined as unknown as KeptPacket;
    }
    if (this.head > 1024 && this.head * 2 > this.packets.length) {
      this.packets.splice(0, this.head);
      this.head = 0;
    }
    this.forgetExpiredSessions(packet.at);
  }

  /** Sessions too old to come back: their rooms stop holding packets from Redis for this process. */
  private forgetExpiredSessions(now: number): void {
    for (const [pid, kept] of this.sessions) {
      if (kept.disconnectedAt + this.maxDisconnectionMs >= now) break; // in the order they were kept
      this.forget(pid);
    }
  }

  override hasRoom(room: string): boolean {
    return super.hasRoom(room) || this.sessionRooms.has(room);
  }

  override persistSession(session: SessionToPersist): void {
    const now = Date.now();
    this.forget(session.pid);
    this.sessions.set(session.pid, { session, disconnectedAt: now });
    for (const room of session.rooms) this.sessionRooms.set(room, (this.sessionRooms.get(room) ?? 0) + 1);
    this.forgetExpiredSessions(now);
  }

  private forget(pid: string): void {
    const kept = this.sessions.get(pid);
    if (!kept) return;
    this.sessions.delete(pid);
    for (const room of kept.session.rooms) {
      const left = (this.sessionRooms.get(room) ?? 1) - 1;
      if (left > 0) this.sessionRooms.set(room, left);
      else this.sessionRooms.delete(room);
    }
  }

  override restoreSession(pid: string, offset: string): Promise<Session | null> {
    const kept = this.sessions.get(pid);
    if (!kept) return Promise.resolve(null);
    this.forget(pid);
    if (kept.disconnectedAt + this.maxDisconnectionMs < Date.now()) return Promise.resolve(null);
    const [prefix, seqText] = offset.split(':');
    const seq = Number(seqText);
    if (prefix !== this.prefix || !Number.isInteger(seq)) return Promise.resolve(null);
    const first = this.packets[this.head]?.seq ?? this.nextSeq;
    // The packet the client saw last, or the one just before the oldest kept: otherwise something after it is gone.
    if (seq < first - 1 || seq >= this.nextSeq) return Promise.resolve(null);
    // The first kept packet after the offset (seqs increase along the array).
    let low = this.head;
    let high = this.packets.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.packets[middle]!.seq <= seq) low = middle + 1;
      else high = middle;
    }
    const rooms = kept.session.rooms;
    const missedPackets: EventData[] = [];
    for (let i = low; i < this.packets.length; i++) {
      const packet = this.packets[i]!;
      const included = packet.rooms.size === 0 || rooms.some((room) => packet.rooms.has(room));
      const excluded = packet.except !== undefined && rooms.some((room) => packet.except!.has(room));
      if (included && !excluded) missedPackets.push(argumentsOf(packet.data));
    }
    return Promise.resolve({ ...kept.session, missedPackets });
  }
}

/** The adapter for `io.adapter()`, as `createAdapter` of `@socket.io/redis-adapter` makes the plain one. */
export function createRecoverableAdapter(
  pubClient: unknown,
  subClient: unknown,
  opts: Partial<RedisAdapterOptions> & { maxDisconnectionMs: number; maxPackets?: number },
): (nsp: Namespace) => RedisAdapter {
  // Socket.IO calls it with `new`, so a plain function (an arrow function cannot be). It is a
  // RedisAdapter at run time; only its typing was widened above.
  return function recoverableAdapter(nsp: Namespace) {
    return new RecoverableRedisAdapter(nsp, pubClient, subClient, opts) as unknown as RedisAdapter;
  };
}
