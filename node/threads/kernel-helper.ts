// A helper thread of the fast kernels in Node (worker_threads): the CLI and the bench start it through
// node/threads/kernel-threads.ts. It hands the HelperStart it was given as workerData to core's
// runKernelHelper, which instantiates the kernels on the shared memory and runs units until the pool stops
// it. (The Electron utility process starts its own bundled entry the same way: electron/worker/index.ts.)

import { workerData } from 'node:worker_threads';
import { runKernelHelper, type HelperStart } from '../../core/kernels/pool';

runKernelHelper(workerData as HelperStart);
