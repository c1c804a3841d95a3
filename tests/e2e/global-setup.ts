// Builds the web page once before the end-to-end tests (vite's JS entry run by this Node, never npx).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs `vite build -c vite.web.config.ts` and throws with its output when it fails. */
export default function setup(): void {
  if (process.env.SOFTMAX_LAB_E2E_SKIP_BUILD === '1') return;
  const vite = fileURLToPath(new URL('../../node_modules/vite/bin/vite.js', import.meta.url));
  const res = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.web.config.ts', '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
    timeout: 170_000,
  });
  if (res.status !== 0) throw new Error(`web build failed (${res.status ?? res.signal}):\n${res.stdout}\n${res.stderr}`);
}
