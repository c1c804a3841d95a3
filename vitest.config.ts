import { defineConfig } from 'vitest/config';
import { watKernels } from './node/tools/wat-kernels-plugin';

// Unit tests run under Node by default; renderer specs opt into jsdom with a
// `// @vitest-environment jsdom` docblock. End-to-end specs (tests/e2e) have their own config.
// watKernels assembles core's WebAssembly kernels (kernels.wat) before the tests import them.
export default defineConfig({
  plugins: [watKernels()],
  test: {
    include: ['tests/**/*.test.ts', 'tests/**/*.test.tsx'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    environment: 'node',
    // Keep mock calls across tests (Vitest 5 clears them by default): the wiring tests assert calls made
    // once, when the module under test loads.
    clearMocks: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
