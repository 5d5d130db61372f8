import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../server/db/connect-database.js';

describe('connectDatabase', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'connect-db-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('should start the embedded store when no URI is given and keep data across restarts', async () => {
    const first = await connectDatabase({ dataDir, dbName: 'app' });
    expect(first.store).toBeDefined();
    expect(first.uri).toMatch(/^mongodb:\/\/127\.0\.0\.1:\d+\/app$/);
    const Lead = first.mongoose.model('Lead', new first.mongoose.Schema({ name: { type: String, required: true } }));
    await Lead.create({ name: 'Анна' });
    await first.close();

    const second = await connectDatabase({ dataDir, dbName: 'app' });
    const LeadAgain = second.mongoose.model('Lead', new second.mongoose.Schema({ name: String }));
    expect((await LeadAgain.find().lean()).map((l) => l.name)).toEqual(['Анна']);
    await second.close();
  });

  it('should connect to the given URI without starting a store', async () => {
    const embedded = await connectDatabase({ dataDir, dbName: 'probe' });
    const direct = await connectDatabase({ uri: `${embedded.store!.uri}/direct` });
    expect(direct.store).toBeUndefined();
    expect(direct.mongoose.connection.readyState).toBe(1);
    await direct.close();
    await embedded.close();
  });
});
