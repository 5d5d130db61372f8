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
  'test/e2e/inbox-virtual-lists.test.ts',
  'test/broadcasts/broadcast-delivery.test.ts',
  'test/e2e/inbox-deals.test.ts',
  'test/broadcasts/broadcast-controls.test.ts',
  'test/backup/backup-restore.test.ts',
  'test/e2e/inbox-conversations.test.ts',
  'test/e2e/inbox-admin-pages.test.ts',
  'test/e2e/widget-app.test.ts',
  'test/e2e/inbox-login.test.ts',
  'test/e2e/inbox-two-operators.test.ts',
  // Long where it builds the server, the inbox and the widget; short after `npm install` built them.
  'test/boot/npm-start.test.ts',
  'test/e2e/widget-demo.test.ts',
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
  'test/channels/outbound-order.test.ts',
  'test/fuzz/webhooks-fuzz.test.ts',
  'test/channels/voice-channel.test.ts',
  'test/e2e/reports.test.ts',
  'test/reports/report-routes-demo.test.ts',
];

class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(spec.project.config.root, spec.moduleId));
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // A stable sort keeps vitest's order among the files not listed.
    return sorted
      .map((spec, position) => ({ spec, position }))
      .sort((a, b) => rank(a.spec) - rank(b.spec) || a.position - b.position)
      .map(({ spec }) => spec);
  }
}

/**
 * Suites that time what a person would see (a push reaching two operators' pages within a second).
 * They run alone, after the rest: beside another suite and three browser pages, two cores starve
 * the pages' renderers, and the figure measured was the machine's queue, not the product's path.
 */
const TIMED_ALONE = ['test/e2e/inbox-two-operators.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Suites start servers and child processes; two cores run two forks well. Each file keeps its
    // own process: sharing one per worker (isolate: false) cut the summed module loading from 381 s
    // to 188 s in one full run, but a Redis subscriber some suite leaves open reconnected into a
    // later suite as an unhandled rejection; that leak comes first.
    pool: 'forks',
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'suites',
          include: ['test/**/*.test.ts'],
          // The fault and scale-out suites start (and kill) processes for minutes: `npm run test:faults`
          // runs them one at a time, after this.
          exclude: [...configDefaults.exclude, 'test/faults/**', 'test/scale/**', ...TIMED_ALONE],
          maxWorkers: 2,
        },
      },
      {
        extends: true,
        test: { name: 'timed-alone', include: TIMED_ALONE, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
    ],
  },
});
