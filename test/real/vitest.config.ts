import { defineConfig } from 'vitest/config';

/** `npm run test:real`: the opt-in suite over the saved pages in ../shared/data (not shipped here). */
export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    testTimeout: 120_000,
  },
});
