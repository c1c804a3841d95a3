// Detecting the Electron binary without require('electron'): path.txt + dist/, or the override env var;
// and `npm start`'s one-line refusal pointing to `npm run web` when it is missing.

import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { electronBinaryStatus } from '../../node/tools/electron-binary';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function fakeInstall(opts: { pathTxt?: string; binary?: boolean }): string {
  const root = mkdtempSync(join(tmpdir(), 'electron-bin-'));
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), '{"name":"electron"}');
  if (opts.pathTxt !== undefined) writeFileSync(join(pkg, 'path.txt'), opts.pathTxt);
  if (opts.binary) writeFileSync(join(pkg, 'dist', opts.pathTxt ?? 'electron'), '');
  return root;
}

describe('electronBinaryStatus', () => {
  it('finds an installed binary', () => {
    const root = fakeInstall({ pathTxt: 'electron', binary: true });
    expect(electronBinaryStatus(root, {})).toEqual({ ok: true, path: join(root, 'node_modules', 'electron', 'dist', 'electron') });
  });
  it('explains a skipped download, a missing file and a missing package', () => {
    expect(electronBinaryStatus(fakeInstall({}), {})).toMatchObject({ ok: false, reason: expect.stringMatching(/never downloaded/) });
    expect(electronBinaryStatus(fakeInstall({ pathTxt: 'electron' }), {})).toMatchObject({ ok: false, reason: expect.stringMatching(/does not exist/) });
    expect(electronBinaryStatus(mkdtempSync(join(tmpdir(), 'none-')), {})).toMatchObject({ ok: false, reason: expect.stringMatching(/not installed/) });
  });
  it('honours ELECTRON_OVERRIDE_DIST_PATH as electron/index.js does', () => {
    const dist = mkdtempSync(join(tmpdir(), 'dist-'));
    writeFileSync(join(dist, 'electron'), '');
    expect(electronBinaryStatus(fakeInstall({}), { ELECTRON_OVERRIDE_DIST_PATH: dist })).toEqual({ ok: true, path: join(dist, 'electron') });
  });
});

describe('the start check', () => {
  it('prints one line pointing to npm run web and exits non-zero when the binary is missing', () => {
    const status = electronBinaryStatus(ROOT);
    const res = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node', 'tools', 'electron-binary.ts'), 'start'], { cwd: ROOT, encoding: 'utf8' });
    if (status.ok) {
      expect(res.status).toBe(0);
      return;
    }
    expect(res.status).toBe(1);
    const lines = res.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/npm run web/);
    expect(res.stdout).toBe('');
  });
});
