// The end-to-end harness: `vite preview` of the built page on a free port (started with this Node and
// vite's JS entry, always killed), and Debian's Chromium through playwright-core with a fresh profile
// (removed afterwards). Long tasks are recorded from page start by an init script.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { encodePng } from '../../core/export/png';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = join(ROOT, 'tests', 'e2e', 'screenshots');

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A running preview server. */
export interface PreviewServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** The page globalSetup built for this test run (out/web when run outside vitest, e.g. by hand). */
function webDir(): string {
  try {
    return inject('webDir');
  } catch {
    return join(ROOT, 'out', 'web');
  }
}

/** Starts `vite preview` of the built page on a free port and waits until it answers. */
export async function startPreview(env: Record<string, string> = {}): Promise<PreviewServer> {
  const port = await freePort();
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  const args = [vite, 'preview', '-c', 'vite.web.config.ts', '--outDir', webDir(), '--host', '127.0.0.1', '--port', String(port), '--strictPort'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => { output += d.toString(); });
  child.stderr?.on('data', (d: Buffer) => { output += d.toString(); });
  const url = `http://127.0.0.1:${port}/`;
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => { child.kill('SIGKILL'); }, 3000);
      child.once('exit', () => { clearTimeout(timer); resolve(); });
      child.kill('SIGTERM');
    });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`vite preview exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(url);
      if (res.ok) break;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`vite preview did not answer on ${url}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 150));
  }
  return { url, child, stop };
}

/** A browser with a fresh profile. */
export interface Lab {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * Records long tasks (buffered, from the start) into window.__longTasks, and long animation frames into
 * window.__longFrames with how much of each was script (and which) and how much was rendering, so a
 * failure says whose time it was.
 */
const LONG_TASK_OBSERVER = `
  window.__longTasks = [];
  window.__longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch (e) { window.__longTasks = null; }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        const scripts = (e.scripts || []).map((s) => ({ ms: Math.round(s.duration), what: [s.invoker, s.sourceFunctionName, String(s.sourceURL || '').split('/').pop() + ':' + s.sourceCharPosition].filter(Boolean).join(' ').slice(0, 120) }));
        const scriptMs = scripts.reduce((a, s) => a + s.ms, 0);
        const renderMs = e.renderStart ? Math.round(e.startTime + e.duration - e.renderStart) : 0;
        window.__longFrames.push({ start: Math.round(e.startTime), duration: Math.round(e.duration), scriptMs, renderMs, scripts: scripts.filter((s) => s.ms >= 5) });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch (e) { window.__longFrames = null; /* older Chromium: no attribution */ }
`;

/** Options of {@link openLab}. */
export interface OpenLabOptions {
  /** The window's size (default 1360x900). */
  viewport?: { width: number; height: number };
  /** Called with the page before it loads `url` (e.g. to record every response from the start). */
  beforeLoad?: (page: Page) => void;
}

/** Launches /usr/bin/chromium headless on a fresh user-data dir and opens `url`. */
export async function openLab(url: string, opts: OpenLabOptions = {}): Promise<Lab> {
  const profile = mkdtempSync(join(tmpdir(), 'softmax-lab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    viewport: opts.viewport ?? { width: 1360, height: 900 },
    acceptDownloads: true,
  });
  try {
    await context.addInitScript(LONG_TASK_OBSERVER);
    const page = context.pages()[0] ?? (await context.newPage());
    opts.beforeLoad?.(page);
    await page.goto(url);
    return {
      context,
      page,
      async close() {
        await context.close().catch(() => undefined);
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await context.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
    throw err;
  }
}

/** Saves a screenshot (the whole page, or with fullPage false the window) under tests/e2e/screenshots/<name>.png; returns its path. */
export async function screenshot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage: opts.fullPage ?? true });
  return path;
}

/** A grey-scale PNG (8-bit, no filter) of `grey` (height, width) 0..255, by core/export/png.ts. */
export function encodePngGrey(width: number, height: number, grey: Uint8Array): Buffer {
  return Buffer.from(encodePng(grey, width, height, 1));
}

/** Options of {@link useLabPage}: openLab's, the preview server's environment, and whether to wait for the dataset. */
export interface LabPageOptions extends OpenLabOptions {
  /** Environment of the preview server (e.g. FASHION_MNIST_DIR). */
  env?: Record<string, string>;
  /** Wait, before the file's tests, until the dataset is loaded (section.dataset ready). */
  ready?: boolean;
}

/** A test file's lab: its page (usable once the file's tests run), the page's uncaught errors so far, and its server and browser. */
export interface LabPage {
  /** The page; stands for the real one, which opens in beforeAll. */
  readonly page: Page;
  /** Uncaught errors of the page, from before it loaded. */
  readonly pageErrors: string[];
  readonly lab: Lab;
  readonly server: PreviewServer;
}

/**
 * Opens the lab for the test file that calls it (at its top level): a preview server and a Chromium page
 * on it before the file's tests (beforeAll), both closed after them (afterAll). The page it returns can be
 * named at once and used from the tests on.
 */
export function useLabPage(opts: LabPageOptions = {}): LabPage {
  let server: PreviewServer | undefined;
  let lab: Lab | undefined;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    server = await startPreview(opts.env);
    lab = await openLab(server.url, {
      ...(opts.viewport ? { viewport: opts.viewport } : {}),
      beforeLoad: (p) => {
        p.on('pageerror', (e) => pageErrors.push(e.message));
        opts.beforeLoad?.(p);
      },
    });
    if (opts.ready) await lab.page.locator('section.dataset[data-status="ready"]').waitFor({ timeout: 90_000 });
  });
  afterAll(async () => {
    await lab?.close();
    await server?.stop();
  });
  const opened = <T>(v: T | undefined, what: string): T => {
    if (v === undefined) throw new Error(`useLabPage: the ${what} opens in beforeAll; use it from the tests`);
    return v;
  };
  // Forwards to the page once it is open, so a file can hold `page` from its first line.
  const page = new Proxy({} as Page, {
    get(_, key) {
      const real = opened(lab, 'page').page;
      const v = Reflect.get(real, key, real) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(real) : v;
    },
  });
  return {
    page,
    pageErrors,
    get lab() {
      return opened(lab, 'browser');
    },
    get server() {
      return opened(server, 'server');
    },
  };
}
