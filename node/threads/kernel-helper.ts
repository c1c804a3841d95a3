// A helper thread of the fast kernels in Node (worker_threads): the CLI, the bench and the Electron
// utility process start it through node/threads/kernel-threads.ts. It only hands the message it is sent
// to core's runKernelHelper, which instantiates the kernels on the shared memory and runs units until
// the pool stops it.

import { parentPort } from 'node:worker_threads';
import { runKernelHelper, type HelperStart } from '../../core/kernels/pool';

parentPort?.once('message', (start: HelperStart) => runKernelHelper(start));
