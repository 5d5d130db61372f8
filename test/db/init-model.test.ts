import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose, { Schema } from 'mongoose';
import { afterAll, describe, expect, it } from 'vitest';
import { initModel } from '../../server/db/init-model.js';
import { freePort } from '../../server/free-port.js';
import { StoreServer } from '../../server/store/index.js';

/**
 * A model first used while the store is down must work once the store is back: mongoose keeps a
 * failed `init()` for good, which left a restarted worker refusing every flow event (issue 13's
 * fault suite found it).
 */
describe('initModel', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'init-model-'));
  let store: StoreServer | undefined;
  const connection = mongoose.createConnection();
  afterAll(async () => {
    await connection.close();
    await store?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('should build the indexes on the next use after an init that failed', async () => {
    const port = await freePort();
    store = await StoreServer.start({ dataDir, port });
    await connection.openUri(`mongodb://127.0.0.1:${port}/init`, { serverSelectionTimeoutMS: 500 });
    await store.close();
    store = undefined;
    const Thing = connection.model('Thing', new Schema({ key: { type: String, unique: true } }));
    await expect(initModel(Thing)).rejects.toThrow();

    store = await StoreServer.start({ dataDir, port });
    await expect
      .poll(
        () =>
          initModel(Thing).then(
            () => 'ready',
            () => 'down',
          ),
        { timeout: 20_000, interval: 500 },
      )
      .toBe('ready');
    await Thing.create({ key: 'a' });
    // The unique index exists: the duplicate is refused.
    await expect(Thing.create({ key: 'a' })).rejects.toThrow(/duplicate key/);
  }, 60_000);
});
