import { defineConfig } from 'vitest/config';

/**
 * The process suites (`npm run test:faults`): the fault suites start the app as separate processes
 * and kill them, the scale-out suite runs two web processes and two workers. They run one file at a
 * time, after `npm test` (whose config leaves these folders out): beside the browser suites on two
 * cores their cold starts took long enough to make both flaky.
 */
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['test/faults/**/*.test.ts', 'test/scale/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
