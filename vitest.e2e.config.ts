// End-to-end tests: the built web page in Debian's Chromium via playwright-core. One file at a time in
// one process (a browser and a preview server each), long timeouts; globalSetup builds the page once.

import { defineConfig } from 'vitest/config';
import { watKernels } from './node/tools/wat-kernels-plugin';

export default defineConfig({
  plugins: [watKernels()], // core's WebAssembly kernels, assembled from kernels.wat
  test: {
    include: ['tests/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['tests/e2e/global-setup.ts'],
    fileParallelism: false,
    pool: 'forks',
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
