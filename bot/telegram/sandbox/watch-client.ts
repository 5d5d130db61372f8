import type { IncomingMessage } from 'node:http';

/**
 * Calls `gone` once the client hangs up; returns the unsubscribe. Node keeps a socket half-open after
 * the client's FIN so a pending response can still go out, so the response's 'close' would come only
 * after we wrote to nobody: the socket's 'end' is the first sign.
 */
export function watchClient(req: IncomingMessage, gone: () => void): () => void {
  const { socket } = req;
  if (socket.readableEnded || socket.destroyed) {
    gone();
    return () => {};
  }
  socket.once('end', gone);
  socket.once('close', gone);
  return () => {
    socket.off('end', gone);
    socket.off('close', gone);
  };
}
