// Drives the utility-process entry running in a Node child process over IPC (see parent-port-shim.mjs):
// waits for it, connects a port, and collects what the host posts to the port and to main.

import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FromTrainer } from '../../../common/contract';

/** A handle on the child's port traffic. */
export interface ChildDriver {
  received: FromTrainer[];
  /** What the entry posted to main over parentPort (run records). */
  toMain: unknown[];
  /** Sends a parentPort message (main's). */
  toParent(data: unknown): void;
  /** Sends a port message (a renderer's). */
  toPort(data: unknown): void;
  /** The first message (past or future) matching `pred`. */
  waitFor(pred: (m: FromTrainer) => boolean, what: string, timeoutMs?: number): Promise<FromTrainer>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/** Wraps a forked child (with an IPC channel and advanced serialization); resolves once it is up. */
export async function driveChild(proc: ChildProcess): Promise<ChildDriver> {
  const received: FromTrainer[] = [];
  const toMain: unknown[] = [];
  const waiters: { pred: (m: FromTrainer) => boolean; resolve: (m: FromTrainer) => void }[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const up = new Promise<void>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
    proc.on('message', (raw) => {
      const env = raw as { from: string; data: unknown };
      if (env.from === 'child') resolve();
      if (env.from === 'parent') toMain.push(env.data);
      if (env.from !== 'port') return;
      const msg = env.data as FromTrainer;
      received.push(msg);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i].pred(msg)) waiters.splice(i, 1)[0].resolve(msg);
      }
    });
  });
  await up;
  return {
    received,
    toMain,
    exited,
    toParent: (data) => proc.send({ to: 'parent', data }),
    toPort: (data) => proc.send({ to: 'port', data }),
    waitFor: (pred, what, timeoutMs = 30_000) =>
      new Promise((resolve, reject) => {
        const found = received.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${received.map((m) => m.kind).join(',')}`)), timeoutMs);
        waiters.push({ pred, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      }),
  };
}

/** The parentPort shim the utility-process entry runs under in these tests. */
export const PARENT_PORT_SHIM = fileURLToPath(new URL('./parent-port-shim.mjs', import.meta.url));

/** Forks a utility-process entry (source with tsx, or the built bundle) under the parentPort shim, as Electron would. */
export function forkEntry(entry: string, cacheDir: string, loader: string[] = []): ChildProcess {
  return fork(entry, [`--cache-dir=${cacheDir}`], {
    execPath: process.execPath,
    execArgv: [...loader, '--import', PARENT_PORT_SHIM],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/**
 * What main and a renderer do for one short run: connect a port, grant the fixture folder, load it,
 * train one epoch of batches of 16. Resolves with the 'ready' message once 'done' has arrived.
 */
export async function trainOneEpoch(c: ChildDriver, dataDir: string): Promise<Extract<FromTrainer, { kind: 'ready' }>> {
  c.toParent({ type: 'connect' });
  c.toParent({ type: 'grant', grant: 'a'.repeat(32), path: dataDir });
  c.toPort({ kind: 'loadDataset', source: { kind: 'dir', grant: 'a'.repeat(32) } });
  const ready = (await c.waitFor((m) => m.kind === 'ready', 'ready')) as Extract<FromTrainer, { kind: 'ready' }>;
  c.toPort({ kind: 'start', config: { epochs: 1, batchSize: 16 } });
  await c.waitFor((m) => m.kind === 'progress', 'progress');
  await c.waitFor((m) => m.kind === 'done', 'done');
  return ready;
}
