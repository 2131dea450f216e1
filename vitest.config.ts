import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests next to the code, and cross-process end-to-end tests that
// start the real CLI. `npm test` runs both.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bin/**/*.test.ts', 'web/**/*.test.ts'],
          testTimeout: 20_000,
          // PGlite boots in 1-2 s alone, several times that when every suite starts at once.
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
