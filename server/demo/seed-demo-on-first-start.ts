import type { Connection } from 'mongoose';
import type { Logger } from '../observability/logger.js';
import { forgetAllKeptDays } from '../reports/daily/daily-counts.js';
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './demo-accounts.js';
import { seedDemoWorkspace } from './seed-demo-workspace.js';

/**
 * What `npm start` does with DEMO_DATA on: seeds the demo workspace when the store is empty and
 * says so in one line naming the accounts, so whoever started the app knows how to sign in.
 * An earlier seed that died half-way is reported, since its workspace is incomplete. True when it seeded.
 */
export async function seedDemoOnFirstStart(db: Connection, logger: Logger): Promise<boolean> {
  const result = await seedDemoWorkspace(db);
  if (result.seeded) {
    // The demo's months of history were written just now: any day a worker kept meanwhile is counted again.
    await forgetAllKeptDays(db);
    const accounts = DEMO_ACCOUNTS.map((account) => account.email).join(', ');
    logger.info(
      { ...result.counts, ms: result.ms },
      `demo workspace seeded: sign in as ${accounts} with password "${DEMO_PASSWORD}" (DEMO_DATA=false to skip)`,
    );
    return true;
  }
  if (result.reason === 'interrupted') {
    logger.warn('the demo seed of an earlier start did not finish; delete the data folder to seed a complete demo');
  }
  return false;
}
