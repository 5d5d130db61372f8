import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start servers and child processes; two cores run two forks well.
    pool: 'forks',
    maxWorkers: 2,
  },
});
