import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/real/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    // Every temporary folder a test makes goes under one folder per run, removed when it ends.
    globalSetup: ['test/isolated-tmpdir.ts'],
    projects: [
      { extends: true, test: { name: 'unit', exclude: ['test/site/**'] } },
      // The site's tests share sites built once by the global setup (several pipeline runs and builds).
      {
        extends: false,
        test: {
          name: 'site',
          include: ['test/site/**/*.test.ts'],
          globalSetup: ['test/isolated-tmpdir.ts', 'test/site/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
