import { createServer, request as httpRequest } from 'node:http';

export interface FileGate {
  apiRoot: string;
  /** Stalls file downloads until the returned release is called. */
  holdDownloads(): () => void;
  close(): Promise<void>;
}

/**
 * A plain pass-through in front of the Telegram Bot API stand-in (what the app gets as
 * TELEGRAM_API_ROOT) that can stall file downloads, `/file/bot<token>/<file_path>`
 * (https://core.telegram.org/bots/api#getfile): a test then sees an inbound file while it is
 * still on its way, however fast the media worker is.
 */
export async function startFileGate(upstream: string): Promise<FileGate> {
  let held: Promise<void> | undefined;
  const server = createServer((req, res) => {
    const forward = () => {
      const outgoing = httpRequest(
        `${upstream}${req.url ?? '/'}`,
        { method: req.method, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      outgoing.on('error', () => res.destroy());
      // A caller that hangs up (a stopped long poll) hangs up on the stand-in too.
      res.on('close', () => outgoing.destroy());
      req.pipe(outgoing);
    };
    if (held && req.url?.startsWith('/file/')) void held.then(forward);
    else forward();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || address === null) throw new Error('The file gate has no TCP address');
  return {
    apiRoot: `http://127.0.0.1:${address.port}`,
    holdDownloads() {
      let release = () => {};
      held = new Promise<void>((resolve) => (release = resolve));
      return () => {
        held = undefined;
        release();
      };
    },
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
