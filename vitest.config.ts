import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/build-once.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // One file at a time: the end-to-end files start several bot processes each and measure
    // takeovers and lateness against the clock; on a 2-core machine, files running side by side
    // starve each other (and running them in parallel saved little: the suite is CPU-bound).
    fileParallelism: false,
  },
});
