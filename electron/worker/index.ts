// The training utility process's entry (forked by TrainerProcess via utilityProcess.fork, bundled by
// electron-vite through `?modulePath`). It only wires process.parentPort and argv to the host adapter;
// all logic is in host.ts so it is tested under plain Node.

import { startWorkerHost, type ParentPortLike } from './host';
import { cacheDirFromArgv } from './parent-messages';

const parentPort = (process as NodeJS.Process & { parentPort?: ParentPortLike }).parentPort;
if (!parentPort) {
  console.error('electron/worker must run as an Electron utility process (process.parentPort is missing)');
  process.exit(2);
}

startWorkerHost({ parentPort, cacheDir: cacheDirFromArgv(process.argv), exit: (code) => process.exit(code) });
