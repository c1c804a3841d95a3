// The utility-process entry (electron/worker/index.ts) as a real separate Node process (process.execPath
// + tsx's loader) with a process.parentPort shim over Node's IPC, as Electron runs it: a port from main's
// 'connect', the dataset from a folder through node/data, a short run, its record posted back to main,
// and a clean exit on 'shutdown'.

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';
import { driveChild, forkEntry, trainOneEpoch } from './drive-child';

const entry = fileURLToPath(new URL('../../../electron/worker/index.ts', import.meta.url));
let child: ChildProcess | null = null;

afterEach(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  child = null;
});

describe('the utility-process entry in a real child process', () => {
  it('loads, trains, streams progress, sends its run record to main and exits 0 on shutdown', async () => {
    const root = mkdtempSync(join(tmpdir(), 'worker-proc-'));
    writeFixtureDir(join(root, 'data'), { train: 64, test: 20 });
    child = forkEntry(entry, join(root, 'cache'), ['--import', 'tsx']);
    const c = await driveChild(child);
    expect(await trainOneEpoch(c, join(root, 'data'))).toMatchObject({ kind: 'ready', trainCount: 64, testCount: 20 });
    expect(c.received.find((m) => m.kind === 'done')).toMatchObject({ kind: 'done', epochs: 1 });
    const weights = c.received.find((m) => m.kind === 'weights');
    expect(weights && weights.kind === 'weights' && weights.weights instanceof Float32Array).toBe(true);
    await vi.waitFor(() => expect(c.toMain).toContainEqual(expect.objectContaining({ type: 'run', final: true, record: expect.objectContaining({ outcome: 'done', batchesDone: 4 }) })));
    c.toParent({ type: 'shutdown' });
    expect(await c.exited).toBe(0);
  });
});
