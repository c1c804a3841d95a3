// Builds the web page once before the end-to-end tests, into a folder of its own (so a concurrent
// `npm run build:web` cannot swap files under the running tests), with vite's JS entry run by this Node
// (never npx). The folder is handed to the tests with provide('webDir') and removed at the end.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

declare module 'vitest' {
  export interface ProvidedContext {
    /** Absolute path of the built web page the preview server serves. */
    webDir: string;
  }
}

/** Runs `vite build` into a fresh folder and provides its path; returns the teardown that removes it. */
export default function setup(project: TestProject): () => void {
  const base = join(ROOT, 'out', 'e2e');
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(join(base, 'web-'));
  const vite = join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js');
  // SOFTMAX_LAB_E2E_NO_MINIFY=1 keeps function names readable in long-task reports.
  const minify = process.env.SOFTMAX_LAB_E2E_NO_MINIFY === '1' ? ['--minify', 'false'] : [];
  const res = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.web.config.ts', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn', ...minify], {
    cwd: ROOT,
    encoding: 'utf8',
    // NODE_ENV=production: vitest sets NODE_ENV=test, which vite would pass on to the bundle, so the tests
    // would drive React's development build (two to three times slower) instead of the page users get.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    timeout: 170_000,
  });
  if (res.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`web build failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
  }
  // The page under test is the one users get: React's production build (its development build carries
  // warnings such as 'Each child in a list should have a unique "key" prop', and costs two to three
  // times the main thread's time).
  const assets = join(dir, 'assets');
  const dev = readdirSync(assets).filter((f) => f.endsWith('.js') && readFileSync(join(assets, f), 'utf8').includes('should have a unique "key" prop'));
  if (dev.length > 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the web build for the tests holds React's development build (${dev.join(', ')}): is NODE_ENV passed to vite something else than production?`);
  }
  project.provide('webDir', dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
