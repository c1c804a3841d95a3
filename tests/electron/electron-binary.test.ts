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
    expect(electronBinaryStatus(fakeInstall({}), {})).toMatchObject({ ok: false, reason: expect.stringMatching(/not been downloaded yet/) });
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
  const run = (env: Record<string, string>) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node', 'tools', 'electron-binary.ts'), 'start'], { cwd: ROOT, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  const oneLine = (stderr: string): string => {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('tries the first-launch download, then prints one line pointing to npm run web when it fails', () => {
    const status = electronBinaryStatus(ROOT);
    const res = run({});
    if (status.ok) {
      expect(res.status).toBe(0);
      return;
    }
    // This machine cannot reach Electron's download host: the download is attempted and explained.
    if (electronBinaryStatus(ROOT).ok) return; // a machine that could download now has the binary
    expect(res.status).toBe(1);
    expect(res.stdout).toMatch(/Downloading the Electron binary/);
    expect(oneLine(res.stderr)).toMatch(/could not be downloaded .*npm run web/);
  });

  it('does not download with SOFTMAX_LAB_NO_DOWNLOAD=1', () => {
    if (electronBinaryStatus(ROOT).ok) return;
    const res = run({ SOFTMAX_LAB_NO_DOWNLOAD: '1' });
    expect(res.status).toBe(1);
    expect(res.stdout).toBe('');
    expect(oneLine(res.stderr)).toMatch(/not been downloaded yet.*npm run web/);
  });
});
