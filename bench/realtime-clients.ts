import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';

/**
 * One load process of the realtime bench (bench/realtime.bench.ts starts several): it holds its
 * share of operator sockets (`/inbox`, signed in by session cookie) and widget sockets
 * (`/visitor`), so their memory and CPU are not the app's. Operator sockets behave as the inbox
 * does: they reconnect after a disconnect and count on connection-state recovery for what they
 * missed meanwhile. It reports over IPC: `ready` once all are connected, `sent` with the widget's
 * answer to each bench message, and on `report` what each operator socket saw.
 */
const configSchema = z.object({
  url: z.string(),
  origin: z.string(),
  channelId: z.string(),
  sessions: z.array(z.string()),
  visitors: z.number().int().min(0),
});

const commandSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('send'), seq: z.number().int() }),
  z.object({ type: z.literal('drop'), count: z.number().int().min(0) }),
  z.object({ type: z.literal('progress'), stored: z.array(z.number().int()) }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('close') }),
]);

/** What one operator socket lived through: the bench's messages it saw, and its disconnects. */
export interface OperatorSocketReport {
  /** Every arrival of a bench message: its sequence number, latency in ms and arrival (epoch ms); a repeat shows twice. */
  seen: [seq: number, latencyMs: number, arrivedAt: number][];
  /** Why the socket lost its connection, once per disconnect (socket.io's reason). */
  disconnects: string[];
  /** Reconnections, and how many of them restored the session with the missed packets. */
  reconnects: number;
  recovered: number;
  connected: boolean;
}

export interface ClientsReport {
  operators: OperatorSocketReport[];
  /** Why widget sockets lost their connection, counted (they reconnect, as the widget does). */
  visitorDisconnects: Record<string, number>;
}

const config = configSchema.parse(JSON.parse(process.env.REALTIME_CLIENTS ?? '{}'));
const CONNECT_AT_ONCE = 50;
const operators: { socket: Socket; report: OperatorSocketReport }[] = [];
const widgets: Socket[] = [];
const visitorDisconnects: Record<string, number> = {};

function now(): number {
  return performance.timeOrigin + performance.now();
}

function opened(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    // A refused handshake (the middleware said no) is final; a transport error is retried by the client.
    socket.on('connect_error', (error) => {
      if (!socket.active) reject(error);
    });
  });
}

function operator(session: string): Socket {
  const socket = connect(`${config.url}/inbox`, {
    transports: ['websocket'],
    forceNew: true,
    // As the inbox does: a lost connection comes back, and recovery replays what it missed.
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    // The app answers 11,000 handshakes while the machine runs other things too: wait for it.
    timeout: 300_000,
    extraHeaders: { cookie: `sid=${session}` },
  });
  const report: OperatorSocketReport = { seen: [], disconnects: [], reconnects: 0, recovered: 0, connected: false };
  let connectedBefore = false;
  socket.on('connect', () => {
    report.connected = true;
    if (connectedBefore) {
      report.reconnects++;
      if (socket.recovered) report.recovered++;
    }
    connectedBefore = true;
  });
  socket.on('disconnect', (reason) => {
    report.connected = false;
    report.disconnects.push(reason);
  });
  socket.on('message.created', (payload: { message?: { content?: { text?: string } } }) => {
    const match = /^bench (\d+) (\d+(?:\.\d+)?)$/.exec(payload.message?.content?.text ?? '');
    if (!match) return;
    const arrivedAt = now();
    report.seen.push([Number(match[1]), arrivedAt - Number(match[2]), arrivedAt]);
  });
  operators.push({ socket, report });
  return socket;
}

function visitor(): Socket {
  const socket = connect(`${config.url}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    // As the widget does: a message written while the connection is down goes out when it is back.
    reconnection: true,
    reconnectionDelay: 1000,
    reconnectionDelayMax: 5000,
    timeout: 300_000,
    extraHeaders: { origin: config.origin },
    auth: { channelId: config.channelId, locale: 'ru' },
  });
  socket.on('disconnect', (reason) => {
    visitorDisconnects[reason] = (visitorDisconnects[reason] ?? 0) + 1;
  });
  widgets.push(socket);
  return socket;
}

async function connectAll(): Promise<void> {
  const makers = [...config.sessions.map((session) => () => operator(session))];
  for (let i = 0; i < config.visitors; i++) makers.push(visitor);
  for (let i = 0; i < makers.length; i += CONNECT_AT_ONCE) {
    const batch = makers.slice(i, i + CONNECT_AT_ONCE).map((make) => make());
    await Promise.all(batch.map(opened));
  }
}

/**
 * A visitor writes; each message comes from another widget socket (the widget limits a socket's
 * rate). The widget's answer says whether the message was stored: one that was not is no
 * delivery the operators owe.
 */
function send(seq: number): void {
  const socket = widgets[seq % widgets.length];
  if (!socket) throw new Error('this process holds no widget sockets');
  socket
    .timeout(600_000)
    .emitWithAck('message', { clientMessageId: `bench-${process.pid}-${seq}`, text: `bench ${seq} ${now()}` })
    .then(
      (answer: { ok?: boolean; error?: { code?: string } }) =>
        process.send?.({ type: 'sent', seq, ok: answer.ok === true, error: answer.error?.code }),
      (error: unknown) =>
        process.send?.({ type: 'sent', seq, ok: false, error: error instanceof Error ? error.message : String(error) }),
    );
}

process.on('message', (raw: unknown) => {
  const command = commandSchema.parse(raw);
  switch (command.type) {
    case 'send':
      send(command.seq);
      return;
    case 'drop':
      // A brief network loss: the connection is cut under the socket, which reconnects by itself.
      for (const { socket } of operators.slice(0, command.count)) socket.io.engine?.close();
      return;
    case 'progress': {
      // The stored bench messages seen, each once per socket, summed over this process's operator sockets.
      const stored = new Set(command.stored);
      const distinct = operators.reduce(
        (sum, o) => sum + new Set(o.report.seen.map(([seq]) => seq).filter((seq) => stored.has(seq))).size,
        0,
      );
      process.send?.({ type: 'progress', distinct });
      return;
    }
    case 'report': {
      const report: ClientsReport = { operators: operators.map((o) => o.report), visitorDisconnects };
      process.send?.({ type: 'report', report });
      return;
    }
    case 'close':
      for (const { socket } of operators) socket.disconnect();
      for (const socket of widgets) socket.disconnect();
      process.exit(0);
  }
});

connectAll().then(
  () => process.send?.({ type: 'ready', sockets: operators.length + widgets.length }),
  (error: unknown) => {
    console.error(`connecting failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
