import { defineConfig } from 'vitest/config';

// Unit tests run under Node by default; renderer specs opt into jsdom with a
// `// @vitest-environment jsdom` docblock. End-to-end specs (tests/e2e) have their own config.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
