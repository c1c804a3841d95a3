// The packaging config: electron-builder.yml validated against electron-builder's own JSON schema
// (node_modules/app-builder-lib/scheme.json, with the ajv already installed for it), the icons it
// points at, and the `electronFuses` settings (their effect on a packed binary is tests/electron/dist.test.ts).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_FUSES } from '../fixtures/fuses';

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
  electronFuses: Record<string, boolean>;
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
    expect(validate({ ...config, electronFuses: { ...config.electronFuses, runAsNodeTypo: false } })).toBe(false);
    expect(validate({ ...config, afterPackk: 'x.mjs' })).toBe(false);
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

  it('sets every fuse the app relies on, and no afterPack hook', () => {
    expect(config.electronFuses).toEqual(APP_FUSES);
    expect(config).not.toHaveProperty('afterPack');
  });
});
