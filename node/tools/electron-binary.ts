// Finds the Electron binary WITHOUT resolving require('electron') (whose index.js downloads the binary when
// it is missing): reads node_modules/electron/path.txt and checks the file under dist/ (or
// ELECTRON_OVERRIDE_DIST_PATH). Electron 45's package downloads nothing at install time; `npm start` fetches
// the binary here, once, with a message, and refuses in one line when it cannot. `npm run dist` and the
// Electron e2e test only check (they never download).

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the binary is, or why there is none. */
export type ElectronBinaryStatus = { ok: true; path: string } | { ok: false; reason: string };

/** Looks for the Electron binary installed under `root`/node_modules/electron. Never downloads. */
export function electronBinaryStatus(root: string, env: Record<string, string | undefined> = process.env): ElectronBinaryStatus {
  const pkgDir = join(root, 'node_modules', 'electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { ok: false, reason: 'the electron package is not installed (node_modules/electron is missing)' };
  const pathFile = join(pkgDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, relative || (process.platform === 'win32' ? 'electron.exe' : 'electron'));
    return existsSync(path) ? { ok: true, path } : { ok: false, reason: `ELECTRON_OVERRIDE_DIST_PATH is set but ${path} does not exist` };
  }
  if (!relative) return { ok: false, reason: 'the Electron binary has not been downloaded yet (Electron fetches it at first launch; node_modules/electron/path.txt is missing)' };
  const path = join(pkgDir, 'dist', relative);
  if (!existsSync(path)) return { ok: false, reason: `the Electron binary is missing (${path} does not exist)` };
  return { ok: true, path };
}

/**
 * Runs Electron's own installer (node_modules/electron/install.js, what its index.js would run at first
 * launch) with this Node, its output shown, and reports the binary's status afterwards.
 */
export function downloadElectronBinary(root: string, timeoutMs = 300_000): ElectronBinaryStatus {
  const installer = join(root, 'node_modules', 'electron', 'install.js');
  if (!existsSync(installer)) return electronBinaryStatus(root);
  const res = spawnSync(process.execPath, [installer], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', timeout: timeoutMs });
  const status = electronBinaryStatus(root);
  if (status.ok) return status;
  const firstError = (res.stderr ?? '').split('\n').map((l) => l.trim()).find((l) => /error/i.test(l)) ?? (res.error?.message ?? `the installer exited with ${res.status ?? res.signal}`);
  return { ok: false, reason: `the Electron binary could not be downloaded (${firstError})` };
}

const MESSAGES = {
  start: (why: string) => `Softmax Lab cannot start the desktop app: ${why}. Run \`npm run web\` to use the lab in your browser instead.`,
  dist: (why: string) => `npm run dist needs the Electron binary to pack installers, and ${why}. Run \`npm start\` once on a machine with network access (it downloads the binary), or set ELECTRON_OVERRIDE_DIST_PATH.`,
};

// CLI: `tsx node/tools/electron-binary.ts start|dist`. `start` downloads a missing binary first (unless
// SOFTMAX_LAB_NO_DOWNLOAD=1); both exit 1 with ONE line on stderr when there is still no binary.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mode = process.argv[2] === 'dist' ? 'dist' : 'start';
  const root = fileURLToPath(new URL('../..', import.meta.url));
  let status = electronBinaryStatus(root);
  if (!status.ok && mode === 'start' && process.env.SOFTMAX_LAB_NO_DOWNLOAD !== '1') {
    console.log('Downloading the Electron binary (first launch only)…');
    status = downloadElectronBinary(root);
  }
  if (!status.ok) {
    console.error(MESSAGES[mode](status.reason));
    process.exit(1);
  }
}
