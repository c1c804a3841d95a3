// Loaded with --import before the utility-process entry (electron/worker/index.ts, or its built bundle)
// under plain Node: installs a process.parentPort (what Electron gives a utility process) over Node's IPC
// channel. Envelopes: {to:'parent'} is main, {to:'port'} a renderer; what the entry posts to its port
// comes back as {from:'port'}, what it posts to main as {from:'parent'}.

import { EventEmitter } from 'node:events';
import process from 'node:process';
import { setImmediate } from 'node:timers';

class IpcPort extends EventEmitter {
  postMessage(message) {
    process.send?.({ from: 'port', data: message });
  }
  start() {}
  close() {
    this.emit('close');
  }
}

// Like Electron's parentPort, messages are queued until the entry adds its 'message' listener (the
// bundle is still loading when the first messages arrive).
const parentPort = new EventEmitter();
parentPort.postMessage = (message) => process.send?.({ from: 'parent', data: message });
const queued = [];
let listening = false;
parentPort.on('newListener', (event) => {
  if (event !== 'message' || listening) return;
  listening = true;
  setImmediate(() => queued.splice(0).forEach(deliver));
});
let port = null;
process.parentPort = parentPort;
function deliver(env) {
  if (env.to === 'parent') {
    const isConnect = env.data?.type === 'connect';
    if (isConnect) port = new IpcPort();
    parentPort.emit('message', { data: env.data, ports: isConnect ? [port] : [] });
  } else if (port) {
    port.emit('message', { data: env.data });
  }
}
process.on('message', (env) => {
  if (listening && queued.length === 0) deliver(env);
  else queued.push(env);
});
process.send?.({ from: 'child', data: 'up' });
