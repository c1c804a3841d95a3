// `npm run dist` minus the real Electron: electron-builder packs the built app for Linux (dir target)
// around a stand-in Electron binary that carries a fuse wire, so the config loads, the asar holds only
// the built app, and its `electronFuses` step flips the fuses, all as a real packaging run would.

import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { getCurrentFuseWire } from '@electron/fuses';
import { expectAppFuses, FUSE_SENTINEL } from '../fixtures/fuses';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as { listPackage(path: string, opts?: object): string[] };
const tmp = mkdtempSync(join(tmpdir(), 'dist-'));
// electron-builder logs nothing when it sees VITEST in the environment; the test reads its log.
const builderEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST')));

afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('electron-builder packaging (stand-in Electron)', () => {
  it('packs out/{main,preload,renderer} into app.asar and flips the fuses in the executable', async () => {
    const vite = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build', '--logLevel', 'error'], { cwd: ROOT, encoding: 'utf8', timeout: 170_000 });
    expect(vite.status, vite.stderr).toBe(0);

    // A stand-in for the Electron distribution: an "executable" with a v1 fuse wire of 9 fuses, all on.
    const dist = join(tmp, 'electron-dist');
    mkdirSync(join(dist, 'resources'), { recursive: true });
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('\x7fELF stand-in '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 9]), Buffer.from('111111111'), Buffer.from(' end')]));
    chmodSync(join(dist, 'electron'), 0o755);
    writeFileSync(join(dist, 'version'), 'v45.5.0');

    const output = join(tmp, 'release');
    const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--linux', 'dir', '--config', 'electron-builder.yml', `-c.electronDist=${dist}`, '-c.electronVersion=45.5.0', `-c.directories.output=${output}`, '--publish', 'never'], { cwd: ROOT, env: builderEnv, encoding: 'utf8', timeout: 170_000 });
    expect(res.status, `${res.stdout}\n${res.stderr}`).toBe(0);
    expect(res.stdout).toMatch(/loaded configuration\s+file=.*electron-builder\.yml/);

    const app = join(output, 'linux-unpacked');
    const files = asar.listPackage(join(app, 'resources', 'app.asar')).map((f) => f.replace(/\\/g, '/'));
    expect(files).toEqual(expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/preload/index.cjs', '/out/renderer/index.html']));
    expect(files.filter((f) => f.startsWith('/node_modules') || f.startsWith('/out/web') || f.startsWith('/out/e2e') || f.endsWith('.map'))).toEqual([]);

    const wire = await getCurrentFuseWire(join(app, 'softmax-lab'));
    expectAppFuses(wire);
    console.log(`packed ${files.length} entries; fuse wire ${JSON.stringify(wire)}`);
  }, 240_000);
});
