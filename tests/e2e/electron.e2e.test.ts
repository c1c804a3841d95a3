// The real desktop app through playwright-core's _electron: the window opens (sandboxed, no Node in the
// page), the dataset loads from a tiny fixture folder, training starts, a progress event arrives from
// the utility process, and the app quits cleanly. Skipped, with the reason, when no Electron binary.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { LabApi, LabEvent } from '../../common/contract';
import { electronBinaryStatus } from '../../node/tools/electron-binary';
import { writeFixtureDir } from '../fixtures/fashion-fixture';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const binary = electronBinaryStatus(ROOT);
const skipReason = binary.ok ? '' : `no Electron binary installed here: ${binary.reason}`;
if (!binary.ok) console.warn(`[electron e2e] SKIPPED: ${skipReason}`);

describe.skipIf(!binary.ok)(`the desktop app${binary.ok ? '' : ` (skipped: ${skipReason})`}`, () => {
  it('opens a window, trains, streams progress from the utility process and quits cleanly', async () => {
    if (!binary.ok) return;
    // Build main, preload, worker and renderer with electron-vite's JS entry run by this Node.
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    expect(build.status, build.stderr).toBe(0);

    const tmp = mkdtempSync(join(tmpdir(), 'softmax-lab-e2e-'));
    const dataDir = join(tmp, 'data');
    writeFixtureDir(dataDir, { train: 256, test: 64 });
    const app = await electron.launch({
      executablePath: binary.path,
      args: [ROOT],
      cwd: ROOT,
      env: { ...process.env, SOFTMAX_LAB_USER_DATA: join(tmp, 'profile'), FASHION_MNIST_DIR: dataDir, ELECTRON_RENDERER_URL: '' },
      timeout: 60_000,
    });
    try {
      const page = await app.firstWindow();
      await page.waitForLoadState('domcontentloaded');
      expect(page.url()).toBe('app://renderer/index.html');

      // The page is sandboxed: no Node, only the bridge.
      const globals = await page.evaluate(() => ({ require: typeof (globalThis as { require?: unknown }).require, process: typeof (globalThis as { process?: unknown }).process, api: typeof (window as unknown as { api?: LabApi }).api }));
      expect(globals).toEqual({ require: 'undefined', process: 'undefined', api: 'object' });

      const first = await page.evaluate(
        () =>
          new Promise<{ kind: string; batches: number; lr: number }>((resolve, reject) => {
            const api = (window as unknown as { api: LabApi }).api;
            const timer = setTimeout(() => reject(new Error('no progress event within 60 s')), 60_000);
            const off = api.onEvent((e: LabEvent) => {
              if (e.kind === 'ready') api.startTraining({ epochs: 1, batchSize: 16, lr: 0.1 });
              if (e.kind === 'datasetError' || e.kind === 'crashed') {
                clearTimeout(timer);
                off();
                reject(new Error(`${e.kind}: ${'message' in e ? e.message : e.reason}`));
              }
              if (e.kind === 'progress' && e.batches.length > 0) {
                clearTimeout(timer);
                off();
                resolve({ kind: e.kind, batches: e.batches.length, lr: e.batches[0].lr });
              }
            });
            api.loadDataset();
          }),
      );
      expect(first.kind).toBe('progress');
      expect(first.batches).toBeGreaterThan(0);
      expect(first.lr).toBe(0.1);

      mkdirSync(join(ROOT, 'tests', 'e2e', 'screenshots'), { recursive: true });
      await page.screenshot({ path: join(ROOT, 'tests', 'e2e', 'screenshots', 'electron-training.png') });

      const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
      await app.evaluate(({ app: electronApp }) => electronApp.quit());
      expect(await exited).toBe(0);
    } finally {
      if (app.process().exitCode === null) await app.close().catch(() => undefined);
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

it.skipIf(binary.ok)('explains why the desktop e2e test is skipped', () => {
  expect(skipReason).toMatch(/Electron binary/);
});
