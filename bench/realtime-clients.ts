import { io as connect, type Socket } from 'socket.io-client';
import { z } from 'zod';

/**
 * One load process of the realtime bench (bench/realtime.bench.ts starts several): it holds its
 * share of operator sockets (`/inbox`, signed in by session cookie) and widget sockets
 * (`/visitor`), so their memory and CPU are not the app's. It reports over IPC: `ready` once all
 * are connected, and for each bench message the delivery latencies its operators saw.
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
  z.object({ type: z.literal('report'), seq: z.number().int() }),
  z.object({ type: z.literal('close') }),
]);

const config = configSchema.parse(JSON.parse(process.env.REALTIME_CLIENTS ?? '{}'));
const CONNECT_AT_ONCE = 50;
const sockets: Socket[] = [];
/** Latencies seen per bench message, in ms: the text carries the send time. */
const latencies = new Map<number, number[]>();

function now(): number {
  return performance.timeOrigin + performance.now();
}

function opened(socket: Socket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

function operator(session: string): Socket {
  const socket = connect(`${config.url}/inbox`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    // The app answers 11,000 handshakes while the machine runs other things too: wait for it.
    timeout: 300_000,
    extraHeaders: { cookie: `sid=${session}` },
  });
  socket.on('message.created', (payload: { message?: { content?: { text?: string } } }) => {
    const match = /^bench (\d+) (\d+(?:\.\d+)?)$/.exec(payload.message?.content?.text ?? '');
    if (!match) return;
    const seq = Number(match[1]);
    const seen = latencies.get(seq) ?? [];
    seen.push(now() - Number(match[2]));
    latencies.set(seq, seen);
  });
  return socket;
}

function visitor(): Socket {
  return connect(`${config.url}/visitor`, {
    transports: ['websocket'],
    forceNew: true,
    reconnection: false,
    timeout: 300_000,
    extraHeaders: { origin: config.origin },
    auth: { channelId: config.channelId, locale: 'ru' },
  });
}

async function connectAll(): Promise<void> {
  const makers = [...config.sessions.map((session) => () => operator(session))];
  for (let i = 0; i < config.visitors; i++) makers.push(visitor);
  for (let i = 0; i < makers.length; i += CONNECT_AT_ONCE) {
    const batch = makers.slice(i, i + CONNECT_AT_ONCE).map((make) => make());
    sockets.push(...batch);
    await Promise.all(batch.map(opened));
  }
}

/** A visitor writes; each message comes from another widget socket (the widget limits a socket's rate). */
function send(seq: number): void {
  const widgets = sockets.slice(config.sessions.length);
  const socket = widgets[seq % widgets.length];
  if (!socket) throw new Error('this process holds no widget sockets');
  socket.emit('message', { clientMessageId: `bench-${process.pid}-${seq}`, text: `bench ${seq} ${now()}` });
}

process.on('message', (raw: unknown) => {
  const command = commandSchema.parse(raw);
  switch (command.type) {
    case 'send':
      send(command.seq);
      return;
    case 'report':
      process.send?.({ type: 'latencies', seq: command.seq, values: latencies.get(command.seq) ?? [] });
      return;
    case 'close':
      for (const socket of sockets) socket.disconnect();
      process.exit(0);
  }
});

connectAll().then(
  () => process.send?.({ type: 'ready', sockets: sockets.length }),
  (error: unknown) => {
    console.error(`connecting failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
