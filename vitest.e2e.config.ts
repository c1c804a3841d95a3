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
    // What the page shows after an action may come late on this shared, sometimes overloaded machine (a
    // stroke's classification once the views around it have rendered): polls wait up to 10 s, not 1 s, and
    // still end as soon as the page shows it.
    expect: { poll: { timeout: 10_000 } },
  },
});
