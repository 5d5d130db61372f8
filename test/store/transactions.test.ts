import { describe, expect, it } from 'vitest';
import { useTestDatabase } from './harness.js';

describe('transactions on a standalone server', () => {
  const t = useTestDatabase();

  it('should refuse a transaction instead of running its writes without atomicity', async () => {
    const coll = t.db.collection('ledger');
    const session = t.client.startSession();
    try {
      session.startTransaction();
      const error = (await coll.insertOne({ amount: 100 }, { session }).catch((e: unknown) => e)) as {
        code?: number;
        errorResponse?: { originalError?: { code?: number } };
      };
      // The driver wraps the server's IllegalOperation in its "does not support retryable writes".
      expect([error.code, error.errorResponse?.originalError?.code]).toContain(20);
    } finally {
      await session.endSession();
    }
    expect(await coll.countDocuments()).toBe(0);
  });

  it('should refuse raw transaction numbers with IllegalOperation', async () => {
    const reply = t.db.command({ insert: 'ledger', documents: [{ amount: 1 }], txnNumber: 1 });
    await expect(reply).rejects.toMatchObject({ code: 20, codeName: 'IllegalOperation' });
  });
});
