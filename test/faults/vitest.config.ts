import { defineConfig } from 'vitest/config';

/**
 * The fault suites (`npm run test:faults`): each starts the app as separate processes and kills
 * them, so they run one file at a time, after `npm test` (whose config leaves this folder out).
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/faults/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
