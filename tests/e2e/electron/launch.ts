// Shared by the real desktop tests in tests/e2e/electron/: whether they can run here (an Electron binary,
// or the reason there is none), the app built with electron-vite when out/ is older than its sources, and
// the built app launched through playwright-core's _electron with a fresh profile, as a user starts it.
// Not a test file (no .e2e.test.ts): the files beside it import it.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronBinaryStatus } from '../../../node/tools/electron-binary';
import { writeFixtureDir, type FixtureDirOptions } from '../../fixtures/fashion-fixture';

export { readout, setNumberField, status, waitFor } from '../page-actions';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** The Electron binary, or why there is none (never downloads). */
export const binary = electronBinaryStatus(ROOT);

/** Why the desktop tests skip here ('' when they run). */
export const skipReason = binary.ok ? '' : `no Electron binary installed here: ${binary.reason}`;

/** A describe title that carries the reason when the block is skipped. */
export function titled(what: string, reason = skipReason): string {
  return reason ? `${what} (skipped: ${reason})` : what;
}

/** Says on the console, once per file, that its desktop tests are skipped and why. */
export function warnIfSkipped(file: string, reason = skipReason): void {
  if (reason) console.warn(`[electron e2e] ${file} SKIPPED: ${reason}`);
}

/** What electron-vite bundles into out/: a change in any of these makes out/ stale. */
const SOURCES = ['core', 'common', 'node', 'electron', 'renderer', 'electron.vite.config.ts', 'package.json'];
const OUTPUTS = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when out/ holds a build newer than every source file (as make decides). */
export function appBuildIsFresh(): boolean {
  const outputs = OUTPUTS.map((p) => join(ROOT, p));
  if (!outputs.every((p) => existsSync(p))) return false;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const changed = Math.max(...SOURCES.map((p) => join(ROOT, p)).filter((p) => existsSync(p)).map(newestMtime));
  return built > changed;
}

/**
 * Builds main, preload, worker and renderer with electron-vite's JS entry run by this Node, unless out/
 * is fresh (`npm run test:electron-e2e` has just built it). Throws with the build log.
 */
export function ensureAppBuilt(): void {
  if (appBuildIsFresh()) return;
  const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000, env: { ...process.env, NODE_ENV: 'production' } }); // not vitest's NODE_ENV=test: React's production build, as users get it
  if (res.status !== 0) throw new Error(`electron-vite build failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
}

/** A running desktop app and its first window. */
export interface DesktopApp {
  app: ElectronApplication;
  page: Page;
  /** The userData folder it runs with (SOFTMAX_LAB_USER_DATA). */
  profile: string;
  /** Errors thrown in the page so far. */
  pageErrors: string[];
  /** Quits through app.quit() (the trainer is stopped first) and resolves with the exit code. */
  quit(): Promise<number | null>;
}

/** Options of {@link launchApp}. */
export interface LaunchOptions {
  /** userData folder (SOFTMAX_LAB_USER_DATA); a fresh one is made under `tmp` when omitted. */
  profile?: string;
  /** FASHION_MNIST_DIR for the trainer; unset (the app's own search and download) when null. */
  dataDir: string | null;
}

/**
 * Launches the built app (`electron .` with out/main/index.js) with its own profile, as a user starts it:
 * no dev server, no ELECTRON_RUN_AS_NODE, FASHION_MNIST_DIR only when a data folder is given.
 */
export async function launchApp(tmp: string, opts: LaunchOptions): Promise<DesktopApp> {
  if (!binary.ok) throw new Error(skipReason);
  const profile = opts.profile ?? mkdtempSync(join(tmp, 'profile-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !['FASHION_MNIST_DIR', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_RENDERER_URL'].includes(k)) env[k] = v;
  env.SOFTMAX_LAB_USER_DATA = profile;
  if (opts.dataDir) env.FASHION_MNIST_DIR = opts.dataDir;
  const app = await electron.launch({ executablePath: binary.path, args: [ROOT], cwd: ROOT, env, timeout: 60_000 });
  const pageErrors: string[] = [];
  try {
    const page = await app.firstWindow();
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.waitForLoadState('domcontentloaded');
    const quit = async (): Promise<number | null> => {
      const proc = app.process();
      if (proc.exitCode !== null) return proc.exitCode;
      const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
      await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
      return exited;
    };
    return { app, page, profile, pageErrors, quit };
  } catch (err) {
    await app.close().catch(() => undefined);
    throw err;
  }
}

/** Closes an app if it still runs (after a failed test), then removes `tmp` (when one was made). */
export async function cleanUp(desktop: DesktopApp | undefined, tmp: string): Promise<void> {
  if (desktop && desktop.app.process().exitCode === null) await desktop.app.close().catch(() => undefined);
  if (tmp) rmSync(tmp, { recursive: true, force: true });
}

/** The app of one describe block and its temporary folder (read them in tests, after beforeAll ran). */
export interface DesktopFixture {
  readonly app: DesktopApp;
  readonly tmp: string;
}

/**
 * One desktop app for the calling describe block: built if need be and launched in beforeAll on the
 * fixture dataset of `data` images (the dataset loaded before the tests unless `waitForDataset` is
 * false); closed, and its folder removed, in afterAll.
 */
export function useDesktopApp(data: FixtureDirOptions = { train: 2048, test: 256 }, opts: { waitForDataset?: boolean } = {}): DesktopFixture {
  let tmp = '';
  let desktop: DesktopApp | undefined;
  beforeAll(async () => {
    tmp = tempDir();
    ensureAppBuilt();
    desktop = await launchApp(tmp, { dataDir: fixtureData(tmp, data) });
    if (opts.waitForDataset !== false) await datasetReady(desktop.page);
  });
  afterAll(() => cleanUp(desktop, tmp));
  return {
    get app(): DesktopApp {
      if (!desktop) throw new Error('the desktop app is not running (its beforeAll failed or has not run)');
      return desktop;
    },
    get tmp(): string {
      return tmp;
    },
  };
}

/** The notice under the batch readout ("Saved to …", "Opened …"). */
export function notice(page: Page): Promise<string> {
  return page.locator('.readout-notice').innerText().catch(() => '');
}

/** A temporary folder for one test file (profiles, data, model files); make it in beforeAll, so a skipped file makes none. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'softmax-lab-electron-e2e-'));
}

/** Writes the separable fixture dataset (tests/fixtures/fashion-fixture.ts) into `tmp`/data; returns the folder. */
export function fixtureData(tmp: string, opts: FixtureDirOptions = { train: 2048, test: 256 }): string {
  const dir = join(tmp, 'data');
  writeFixtureDir(dir, opts);
  return dir;
}

/** Waits until the Dataset region says the dataset is ready (data-status="ready"). */
export async function datasetReady(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.locator('section.dataset[data-status="ready"]').waitFor({ timeout: timeoutMs });
}

/** The service name main gives the training utility process (electron/main/index.ts). */
export const TRAINER_SERVICE = 'softmax-lab-trainer';

/** The pid of the training utility process, read from app.getAppMetrics() in main. */
export async function trainerPid(app: ElectronApplication): Promise<number> {
  const metrics = await app.evaluate(({ app: electronApp }) => electronApp.getAppMetrics().map((m) => ({ pid: m.pid, type: m.type, name: m.name ?? '', serviceName: m.serviceName ?? '' })));
  const trainers = metrics.filter((m) => m.type === 'Utility' && (m.name === TRAINER_SERVICE || m.serviceName === TRAINER_SERVICE));
  if (trainers.length !== 1) throw new Error(`expected one ${TRAINER_SERVICE} utility process, found ${trainers.length}: ${JSON.stringify(metrics)}`);
  return trainers[0].pid;
}
