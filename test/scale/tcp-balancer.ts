import { connect, createServer, type Socket } from 'node:net';

export interface TcpBalancer {
  /** e.g. http://127.0.0.1:41234: what clients and providers are given instead of a process's own port. */
  url: string;
  /** The backend port each accepted connection went to, in order (0: no backend took it). */
  routed(): number[];
  /** Request lines (`POST /bot…/sendMessage`) seen going through, per backend: who did the work. */
  requestLines(): string[];
  close(): Promise<void>;
}

/**
 * A load balancer in front of processes, at the TCP level: each connection goes to the first
 * backend in `order()` that accepts it, and to the next one when it refuses (a process stopping
 * for a deploy closes its listening socket first), as nginx's `proxy_next_upstream error` does.
 * A fixed order is nginx's `ip_hash` for one client; a rotating one is round robin. A WebSocket
 * is one TCP connection, so it stays on the process it reached until that process closes it.
 */
export async function startTcpBalancer(order: () => number[]): Promise<TcpBalancer> {
  const routed: number[] = [];
  const lines: string[] = [];
  const open = new Set<Socket>();

  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  };

  const forward = (client: Socket, backends: number[]) => {
    const [port, ...rest] = backends;
    if (port === undefined) {
      routed.push(0);
      return void client.destroy();
    }
    const upstream = connect(port, '127.0.0.1');
    track(upstream);
    let connected = false;
    // Refused before it connected: the next backend; after, the client just sees its connection end.
    upstream.on('error', () => (connected ? client.destroy() : forward(client, rest)));
    upstream.once('connect', () => {
      connected = true;
      routed.push(port);
      client.on('error', () => upstream.destroy());
      client.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString('latin1').match(/^(?:GET|POST|PUT|PATCH|DELETE) \S+/gm) ?? []) {
          lines.push(line);
        }
      });
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    track(client);
    client.on('error', () => undefined);
    forward(client, order());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The balancer has no TCP address');

  return {
    url: `http://127.0.0.1:${address.port}`,
    routed: () => [...routed],
    requestLines: () => [...lines],
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      await closed;
    },
  };
}
