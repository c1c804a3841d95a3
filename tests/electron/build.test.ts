// The electron-vite build, checked as shipped: built into a temp folder by this Node, then the preload
// bundle is run in a bare VM context with a require that knows only 'electron' (what a sandboxed
// preload gets), main is checked to contain no training code, and the BUILT utility-process bundle runs
// as a Node child with a process.parentPort shim: dataset, training, progress, clean exit.

import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabApi } from '../../common/contract';
import { writeFixtureDir } from '../fixtures/fashion-fixture';
import { driveChild, forkEntry, trainOneEpoch } from './worker/drive-child';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'electron-build-'));
let build: { status: number | null; stdout: string; stderr: string };
let child: ChildProcess | null = null;

beforeAll(() => {
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--outDir', out, '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
  build = { status: res.status, stdout: res.stdout, stderr: res.stderr };
}, 180_000);

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
});

describe('electron-vite build', () => {
  it('builds main, the worker, the CommonJS preload and the renderer', () => {
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(join(out, 'main', 'index.js'))).toBe(true);
    expect(existsSync(join(out, 'preload', 'index.cjs'))).toBe(true);
    if (existsSync(join(ROOT, 'renderer', 'index.html'))) expect(existsSync(join(out, 'renderer', 'index.html'))).toBe(true);
    expect(readdirSync(join(out, 'main', 'chunks')).some((f) => f.endsWith('.js'))).toBe(true);
  });

  it('keeps training out of the main process (the worker is a separate bundle)', () => {
    const main = readFileSync(join(out, 'main', 'index.js'), 'utf8');
    expect(main).not.toMatch(/class TrainingSession|batchGradient/);
    expect(main).toMatch(/utilityProcess\.fork/);
    expect(main).toMatch(/chunks\/[\w-]+\.js/);
  });

  it('preload: loads in a bare sandbox-like context needing only electron, and exposes window.api', () => {
    const code = readFileSync(join(out, 'preload', 'index.cjs'), 'utf8');
    expect(code).not.toMatch(/^\s*import\s/m);
    const exposed: Record<string, unknown> = {};
    const sent: string[] = [];
    const fakeElectron = {
      contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
      ipcRenderer: { on: () => undefined, send: (channel: string) => sent.push(channel), invoke: async () => null },
    };
    const requested: string[] = [];
    const sandboxRequire = (id: string): unknown => {
      requested.push(id);
      if (id === 'electron') return fakeElectron;
      throw new Error(`module not found in a sandboxed preload: ${id}`);
    };
    const module = { exports: {} };
    vm.runInNewContext(code, { require: sandboxRequire, module, exports: module.exports, console, setTimeout, clearTimeout, Error, Promise }, { filename: 'index.cjs' });
    expect(requested).toEqual(['electron']);
    const api = exposed.api as LabApi;
    expect(api.platform).toBe('electron');
    expect(typeof api.startTraining).toBe('function');
    expect(typeof api.onEvent).toBe('function');
    expect(sent).toEqual(['trainer:connect']);
  });

  it('the built utility-process bundle trains under a parentPort shim and exits cleanly', async () => {
    const chunk = readdirSync(join(out, 'main', 'chunks')).find((f) => f.endsWith('.js')) as string;
    const root = mkdtempSync(join(tmpdir(), 'built-worker-'));
    writeFixtureDir(join(root, 'data'), { train: 64, test: 20 });
    child = forkEntry(join(out, 'main', 'chunks', chunk), join(root, 'cache'));
    const c = await driveChild(child);
    const ready = await trainOneEpoch(c, join(root, 'data'));
    expect(ready).toMatchObject({ kind: 'ready', trainCount: 64 });
    console.log(`built worker: kernels ${ready.kernel}`);
    c.toParent({ type: 'shutdown' });
    expect(await c.exited).toBe(0);
    rmSync(root, { recursive: true, force: true });
  }, 60_000);
});
