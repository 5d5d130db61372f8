import { parentPort, workerData } from 'node:worker_threads';
import { StoreServer, type StoreServerOptions } from '../store/index.js';

/**
 * The embedded store's own thread: it answers the wire protocol on loopback while the app's
 * thread handles HTTP, so the two use both cores instead of taking turns on one.
 */
const options = workerData as StoreServerOptions;
const port = parentPort!;
try {
  const store = await StoreServer.start(options);
  port.postMessage({ type: 'ready', uri: store.uri });
  port.on('message', (message: unknown) => {
    if (message !== 'close') return;
    store.close().then(
      () => port.postMessage({ type: 'closed' }),
      (error: unknown) => port.postMessage({ type: 'closed', error: String(error) }),
    );
  });
} catch (error) {
  port.postMessage({ type: 'failed', error: error instanceof Error ? error.message : String(error) });
}
