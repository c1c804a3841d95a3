// Finds the Electron binary WITHOUT resolving require('electron') (whose index.js throws, and whose
// install script downloads): reads node_modules/electron/path.txt and checks the file under dist/ (or
// ELECTRON_OVERRIDE_DIST_PATH). Used by `npm start`/`npm run dist` and the Electron e2e test's skip.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the binary is, or why there is none. */
export type ElectronBinaryStatus = { ok: true; path: string } | { ok: false; reason: string };

/** Looks for the Electron binary installed under `root`/node_modules/electron. */
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
  if (!relative) return { ok: false, reason: "the Electron binary was never downloaded (node_modules/electron/path.txt is missing; its postinstall download was skipped)" };
  const path = join(pkgDir, 'dist', relative);
  if (!existsSync(path)) return { ok: false, reason: `the Electron binary is missing (${path} does not exist)` };
  return { ok: true, path };
}

const MESSAGES = {
  start: (why: string) => `Softmax Lab cannot start the desktop app: ${why}. Run \`npm run web\` to use the lab in your browser instead.`,
  dist: (why: string) => `npm run dist needs the Electron binary to pack installers, and ${why}. Install it on a machine with network access (npm install without ELECTRON_SKIP_BINARY_DOWNLOAD), or set ELECTRON_OVERRIDE_DIST_PATH.`,
};

// CLI: `tsx node/tools/electron-binary.ts start|dist` exits 1 with ONE line when there is no binary.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const mode = process.argv[2] === 'dist' ? 'dist' : 'start';
  const status = electronBinaryStatus(fileURLToPath(new URL('../..', import.meta.url)));
  if (!status.ok) {
    console.error(MESSAGES[mode](status.reason));
    process.exit(1);
  }
}
