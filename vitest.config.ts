import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { configDefaults, defineConfig } from 'vitest/config';

/**
 * The longest files, longest first (measured on the 2-core machine). Two workers finish together
 * only if the long files start early; vitest's own order (the durations of the last run, which any
 * partial run overwrites, else file size; on CI always file size) can start an 80 s browser suite
 * last. A file missing here (new, renamed) runs after these, in vitest's own order.
 */
const LONGEST_FIRST = [
  // the isolated project's
  'test/e2e/inbox-virtual-lists.test.ts',
  'test/e2e/inbox-deals.test.ts',
  'test/e2e/inbox-conversations.test.ts',
  'test/e2e/inbox-admin-pages.test.ts',
  'test/e2e/widget-app.test.ts',
  'test/e2e/inbox-login.test.ts',
  'test/e2e/inbox-two-operators.test.ts',
  // Long where it builds the server, the inbox and the widget; short after `npm install` built them.
  'test/boot/npm-start.test.ts',
  'test/e2e/widget-demo.test.ts',
  // the shared project's
  'test/channels/email-restart.test.ts',
  'test/flows/flow-executor.test.ts',
  'test/api/demo-seed.test.ts',
  'test/flows/flow-timers.test.ts',
  'test/store/crash.test.ts',
  'test/api/conversation-actions.test.ts',
  'test/channels/email-channel.test.ts',
  'test/flows/flow-executor-steps.test.ts',
  'test/channels/telegram-channel.test.ts',
  'test/api/imports-api.test.ts',
  'test/channels/outbound-crash.test.ts',
  'test/channels/voice-channel.test.ts',
];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(spec.project.config.root, spec.moduleId));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Projects keep their order (the isolated one runs first); a stable sort keeps vitest's order otherwise.
    const projects = [...new Set(sorted.map((spec) => spec.project.name))];
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort(
        (a, b) =>
          projects.indexOf(a.spec.project.name) - projects.indexOf(b.spec.project.name) ||
          rank(a.spec) - rank(b.spec) ||
          a.position - b.position,
      )
      .map(({ spec }) => spec);
  }
}

/**
 * Suites that start browsers, child processes and whole apps from the command line run each in a
 * fresh process of its own, as before.
 */
const ISOLATED = ['test/e2e/**/*.test.ts', 'test/boot/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start servers and child processes; two cores run two forks well.
    pool: 'forks',
    maxWorkers: 2,
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
      {
        extends: true,
        // The other suites share a worker process one after another: loading the server's modules
        // (mongoose, bullmq, socket.io, express, the app's own) once per worker instead of once per
        // file saves 2-3 s of each of 130 files. Each suite still starts its own app, store and
        // stand-ins on fresh ports and folders and closes them in afterAll. A suite that changes
        // process-wide state (process.env, fake timers, globals) undoes it in its after hooks, or
        // goes in ISOLATED.
        test: {
          name: 'shared',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, ...ISOLATED],
          // Sharing one process per worker (isolate: false) saved ~150 s, but a Redis subscriber some
          // suite leaves open then reconnects into a later suite as an unhandled rejection; until that
          // leak is found each file keeps its own process.
          isolate: true,
        },
      },
    ],
  },
});
