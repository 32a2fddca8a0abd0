import { defineConfig } from 'vitest/config';

// End-to-end tests against built sites (dist/ and dist-sub/), driven in Debian's headless Chromium.
// scripts/test.ts builds both before running this.
export default defineConfig({
  test: {
    include: ['tests/e2e/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Each file starts its own Chromium; two cores do not gain from running several at once.
    fileParallelism: false,
  },
});
