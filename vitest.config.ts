import { defineConfig } from 'vitest/config';

/**
 * Suites that start the bot's entry points as processes (and a crash test that kills one): each run
 * pays for a Node start and a knowledge load, and they suffer most when the machine is busy. They
 * form their own project, run after the others, with timeouts that allow for a loaded machine.
 * `npm test` (vitest run) runs both projects.
 */
const PROCESSES = ['test/bin/providers.test.ts', 'test/bin/eval.test.ts', 'test/bin/ask.test.ts', 'test/bin/main.test.ts', 'test/bin/main-startup.test.ts', 'test/store/crash.test.ts', 'test/store/migration-race.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/helpers/global-setup.ts'],
    pool: 'forks',
    // the suites start real servers on loopback ports and native addons; two workers match this machine
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: PROCESSES, testTimeout: 60_000, hookTimeout: 120_000 } },
      { extends: true, test: { name: 'processes', include: PROCESSES, testTimeout: 180_000, hookTimeout: 180_000, sequence: { groupOrder: 1 } } },
    ],
  },
});
