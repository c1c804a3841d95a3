// A helper thread of the fast kernels on the web page: a module Web Worker started by kernel-threads.ts
// from the trainer's own Web Worker. It only hands the message it is sent to core's runKernelHelper, which
// instantiates the kernels on the shared memory and runs units until the pool stops it.

import { runKernelHelper, type HelperStart } from '../../core/kernels/pool';

const scope = self as unknown as { onmessage: ((ev: MessageEvent<HelperStart>) => void) | null };
scope.onmessage = (ev) => {
  scope.onmessage = null;
  runKernelHelper(ev.data);
};
