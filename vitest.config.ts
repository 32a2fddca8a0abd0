import { defineConfig } from 'vitest/config';

// Unit, simulator, property and kernel-differential tests. The end-to-end suite (which needs a built
// site) has its own config, vitest.e2e.config.ts, and runs after `astro build` in scripts/test.ts.
export default defineConfig({
  test: {
    include: ['tests/{unit,sim,kernel,content}/**/*.test.ts', 'tests/unit/**/*.test.tsx'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
