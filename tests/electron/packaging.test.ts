// The packaging config: electron-builder.yml validated against electron-builder's own JSON schema
// (node_modules/app-builder-lib/scheme.json, with the ajv already installed for it), the icons it
// points at, and the fuse hook that stands in for electron-builder 26's `electronFuses`.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { SENTINEL } from '@electron/fuses/dist/constants.js';
import { expectAppFuses } from '../fixtures/fuses';
import afterPack, { APP_FUSES, fuseBinaryPath, fusesFor } from '../../node/tools/electron-fuses.mjs';

const require = createRequire(import.meta.url);
const root = join(import.meta.dirname, '..', '..');
const yaml = require('js-yaml') as { load(text: string): unknown };
type AjvError = { dataPath: string; message: string };
const Ajv = require('ajv') as new (opts: object) => { compile(schema: object): ((data: unknown) => boolean) & { errors?: AjvError[] | null } };

const config = yaml.load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  linux: { target: string[]; icon: string };
  mac: { target: string[]; icon: string };
  win: { target: string[]; icon: string };
  files: string[];
  afterPack: string;
};

function pngSize(path: string): [number, number] {
  const b = readFileSync(path);
  expect(b.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [b.readUInt32BE(16), b.readUInt32BE(20)];
}

describe('electron-builder.yml', () => {
  it("is valid against electron-builder's own schema", () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, schemaId: 'auto' }).compile(schema);
    const ok = validate(config);
    expect(validate.errors?.map((e) => `${e.dataPath} ${e.message}`) ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it('rejects an unknown key (so the schema check has teeth)', () => {
    const schema = JSON.parse(readFileSync(join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8')) as object;
    const validate = new Ajv({ allErrors: true, schemaId: 'auto' }).compile(schema);
    expect(validate({ ...config, electronFuses: { runAsNode: false } })).toBe(false);
  });

  it('names the app and its targets', () => {
    expect(config.appId).toBe('ai.softmaxlab.app');
    expect(config.productName).toBe('Softmax Lab');
    expect(config.files).toEqual(expect.arrayContaining(['out/main/**', 'out/preload/**', 'out/renderer/**', '!node_modules/**']));
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.mac.target).toEqual(['dmg']);
    expect(config.win.target).toEqual(['nsis']);
  });

  it('points at real icons of the sizes each platform needs', () => {
    expect(pngSize(join(root, config.mac.icon))).toEqual([512, 512]);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(pngSize(join(root, config.linux.icon, `${size}x${size}.png`))).toEqual([size, size]);
    const ico = readFileSync(join(root, config.win.icon));
    expect(ico.readUInt16LE(2)).toBe(1);
    const count = ico.readUInt16LE(4);
    const widths = Array.from({ length: count }, (_, i) => ico[6 + 16 * i] || 256);
    expect(widths).toContain(256); // electron-builder requires a 256x256 entry
    expect(widths).toContain(16);
  });

  it('flips the fuses in an afterPack hook that exists', () => {
    expect(existsSync(join(root, config.afterPack))).toBe(true);
    expect(APP_FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    });
  });
});

describe('afterPack fuses (@electron/fuses on a stand-in binary)', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'fuses-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const fakeBinary = (): Buffer => Buffer.concat([Buffer.from('ELF....junk'), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, 8]), Buffer.from('10110011', 'ascii'), Buffer.from('more junk')]);
  const ctx = (platform: string, appOutDir = '/o') => ({ appOutDir, electronPlatformName: platform, packager: { appInfo: { productFilename: 'Softmax Lab' }, executableName: 'softmax-lab' } });

  it('rewrites the wire to the app fuses and leaves the rest of the file alone', async () => {
    const exe = join(tmp, 'softmax-lab');
    writeFileSync(exe, fakeBinary());
    await afterPack(ctx('linux', tmp));
    expectAppFuses(await getCurrentFuseWire(exe));
    const bytes = readFileSync(exe);
    expect(bytes.subarray(0, 11).toString()).toBe('ELF....junk');
    expect(bytes.length).toBe(fakeBinary().length);
  });

  it('refuses a file without a fuse wire', async () => {
    const exe = join(tmp, 'softmax-lab');
    writeFileSync(exe, Buffer.from('not electron'));
    await expect(afterPack(ctx('linux', tmp))).rejects.toThrow(/sentinel/);
  });

  it('finds the binary per platform, and leaves integrity off on Windows (builder 25 has no resource)', () => {
    expect(fuseBinaryPath(ctx('linux'))).toBe('/o/softmax-lab');
    expect(fuseBinaryPath(ctx('win32'))).toBe('/o/Softmax Lab.exe');
    expect(fuseBinaryPath(ctx('darwin'))).toBe('/o/Softmax Lab.app');
    expect(fusesFor('win32')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(false);
    expect(fusesFor('darwin')[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
  });
});
