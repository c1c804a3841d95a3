// Runs the worker host as a real Node child process (forked with process.execPath and tsx's loader),
// with a parentPort built over Node's IPC channel: {to:'parent'} messages are main's, {to:'port'}
// messages are a renderer's; everything the host posts to the port comes back as {from:'port'}.

import { EventEmitter } from 'node:events';
import { startWorkerHost, type ParentPortLike, type PortLike } from '../../../electron/worker/host';
import { cacheDirFromArgv } from '../../../electron/worker/parent-messages';

type Envelope = { to: 'parent'; data: unknown } | { to: 'port'; data: unknown };

class IpcPort extends EventEmitter implements PortLike {
  postMessage(message: unknown): void {
    process.send?.({ from: 'port', data: message });
  }
  start(): void {}
  close(): void {
    this.emit('close');
  }
}

const parentPort = new EventEmitter() as EventEmitter & ParentPortLike;
let port: IpcPort | null = null;
process.on('message', (raw) => {
  const env = raw as Envelope;
  if (env.to === 'parent') {
    const isConnect = (env.data as { type?: string }).type === 'connect';
    if (isConnect) port = new IpcPort();
    parentPort.emit('message', { data: env.data, ports: isConnect && port ? [port] : [] });
  } else if (port) {
    port.emit('message', { data: env.data });
  }
});

startWorkerHost({
  parentPort,
  cacheDir: cacheDirFromArgv(process.argv),
  session: { sliceMs: 4 },
  exit: (code) => {
    process.disconnect?.();
    process.exit(code);
  },
});
process.send?.({ from: 'child', data: 'up' });
