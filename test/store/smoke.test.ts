import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './harness.js';

describe('embedded store', () => {
  const t = useTestDatabase();

  it('should answer the handshake and a ping as a standalone MongoDB 7', async () => {
    const hello = await t.db.admin().command({ hello: 1 });
    expect(hello.isWritablePrimary).toBe(true);
    expect(hello.maxWireVersion).toBeGreaterThanOrEqual(21);
    expect(hello.setName).toBeUndefined();
    expect((await t.db.command({ ping: 1 })).ok).toBe(1);
  });

  it('should flush written data to the data file on fsync', async () => {
    await t.db.collection('flushed').insertMany(Array.from({ length: 500 }, (_, i) => ({ i, text: 'x'.repeat(200) })));
    expect((await t.db.admin().command({ fsync: 1 })).ok).toBe(1);
    if (!t.store) return;
    const wal = join(t.store.dataDir, 'store.sqlite-wal');
    expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0);
  });
});
