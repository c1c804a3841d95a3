// The worker host as a real separate Node process (process.execPath + tsx's loader), exchanging
// messages over IPC as the utility process does over its ports: dataset, a short run, shutdown.

import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import type { FromTrainer } from '../../../electron/shared/contract';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';

const childPath = fileURLToPath(new URL('./host-child.ts', import.meta.url));
let child: ChildProcess | null = null;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

describe('worker host in a real child process', () => {
  it('loads, trains, streams progress and exits 0 on shutdown', async () => {
    const root = mkdtempSync(join(tmpdir(), 'worker-proc-'));
    writeFixtureDir(join(root, 'data'), { train: 64, test: 20 });
    const proc = fork(childPath, [`--cache-dir=${join(root, 'cache')}`], {
      execPath: process.execPath,
      execArgv: ['--import', 'tsx'],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = proc;
    const received: FromTrainer[] = [];
    const waitFor = (pred: (m: FromTrainer) => boolean, what: string): Promise<FromTrainer> =>
      new Promise((resolve, reject) => {
        const found = received.find(pred);
        if (found) return resolve(found);
        const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; got ${received.map((m) => m.kind).join(',')}`)), 20_000);
        const onMsg = (raw: unknown): void => {
          const env = raw as { from: string; data: FromTrainer };
          if (env.from === 'port' && pred(env.data)) {
            clearTimeout(timer);
            proc.off('message', onMsg);
            resolve(env.data);
          }
        };
        proc.on('message', onMsg);
      });
    proc.on('message', (raw) => {
      const env = raw as { from: string; data: FromTrainer };
      if (env.from === 'port') received.push(env.data);
    });
    await new Promise<void>((resolve) => proc.once('message', () => resolve()));

    proc.send({ to: 'parent', data: { type: 'connect' } });
    proc.send({ to: 'port', data: { kind: 'loadDataset', source: { kind: 'dir', path: join(root, 'data') } } });
    const ready = await waitFor((m) => m.kind === 'ready', 'ready');
    expect(ready).toMatchObject({ kind: 'ready', trainCount: 64, testCount: 20 });
    proc.send({ to: 'port', data: { kind: 'start', config: { epochs: 1, batchSize: 16 } } });
    await waitFor((m) => m.kind === 'progress', 'progress');
    const done = await waitFor((m) => m.kind === 'done', 'done');
    expect(done).toMatchObject({ kind: 'done', epochs: 1 });
    const weights = received.find((m) => m.kind === 'weights');
    expect(weights && weights.kind === 'weights' && weights.weights instanceof Float32Array).toBe(true);

    const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
    proc.send({ to: 'parent', data: { type: 'shutdown' } });
    expect(await exited).toBe(0);
  });
});
