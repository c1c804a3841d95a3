// node/tools/check-fuses.ts against stand-in Electron binaries (a fuse wire after FUSE_SENTINEL, as
// tests/electron/dist.test.ts builds one): electron-builder.yml's electronFuses are read as @electron/fuses
// names them, a wire flipped the way electron-builder flips it matches, and every other wire fails, by fuse,
// also through the CLI the desktop workflow runs (exit 0 or 1).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { flipFuses, FuseV1Options, FuseVersion, getCurrentFuseWire } from '@electron/fuses';
import { checkFuses, configuredFuses, fuseDifferences } from '../../../node/tools/check-fuses';
import { APP_FUSES, FUSE_SENTINEL } from '../../fixtures/fuses';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const BUILDER_YML = join(ROOT, 'electron-builder.yml');
const tmp = mkdtempSync(join(tmpdir(), 'check-fuses-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let count = 0;
/** A stand-in Electron executable whose v1 fuse wire is `states` ('1' on, '0' off, 'r' removed). */
function standIn(states: string): string {
  const path = join(tmp, `electron-${count++}`);
  writeFileSync(path, Buffer.concat([Buffer.from('\x7fELF stand-in '), Buffer.from(FUSE_SENTINEL), Buffer.from([1, states.length]), Buffer.from(states), Buffer.from(' end')]));
  return path;
}

/** A stand-in flipped from nine fuses all on with electron-builder.yml's electronFuses, as `npm run dist` does. */
async function packedStandIn(): Promise<string> {
  const path = standIn('111111111');
  await flipFuses(path, { version: FuseVersion.V1, ...configuredFuses(readFileSync(BUILDER_YML, 'utf8')) });
  return path;
}

describe('configuredFuses', () => {
  it("reads electron-builder.yml's electronFuses as FuseV1Options", () => {
    expect(configuredFuses(readFileSync(BUILDER_YML, 'utf8'))).toEqual({
      [FuseV1Options.RunAsNode]: APP_FUSES.runAsNode,
      [FuseV1Options.EnableCookieEncryption]: APP_FUSES.enableCookieEncryption,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: APP_FUSES.enableNodeOptionsEnvironmentVariable,
      [FuseV1Options.EnableNodeCliInspectArguments]: APP_FUSES.enableNodeCliInspectArguments,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: APP_FUSES.enableEmbeddedAsarIntegrityValidation,
      [FuseV1Options.OnlyLoadAppFromAsar]: APP_FUSES.onlyLoadAppFromAsar,
      [FuseV1Options.GrantFileProtocolExtraPrivileges]: APP_FUSES.grantFileProtocolExtraPrivileges,
    });
  });

  it('skips the options of the flip, and refuses what is not a fuse setting', () => {
    expect(configuredFuses('electronFuses:\n  runAsNode: false\n  resetAdHocDarwinSignature: true\n')).toEqual({ [FuseV1Options.RunAsNode]: false });
    expect(() => configuredFuses('appId: x\n')).toThrow(/no electronFuses block/);
    expect(() => configuredFuses('electronFuses: {}\n')).toThrow(/no electronFuses block/);
    expect(() => configuredFuses('electronFuses:\n  runAsNodeTypo: false\n')).toThrow(/electronFuses\.runAsNodeTypo is not a fuse/);
    expect(() => configuredFuses('electronFuses:\n  runAsNode: "no"\n')).toThrow(/must be true or false/);
  });
});

describe('fuseDifferences', () => {
  it('finds none in a binary flipped with the configuration', async () => {
    const wire = await getCurrentFuseWire(await packedStandIn());
    expect(fuseDifferences(configuredFuses(readFileSync(BUILDER_YML, 'utf8')), wire)).toEqual([]);
  });

  it('names each fuse that is on where it should be off, removed, or missing from a short wire', async () => {
    const expected = configuredFuses(readFileSync(BUILDER_YML, 'utf8'));
    // An unflipped binary: every fuse on, so each one configured off differs.
    expect(fuseDifferences(expected, await getCurrentFuseWire(standIn('111111111')))).toEqual([
      { fuse: 'RunAsNode', expected: 'Disabled', actual: 'Enabled' },
      { fuse: 'EnableNodeOptionsEnvironmentVariable', expected: 'Disabled', actual: 'Enabled' },
      { fuse: 'EnableNodeCliInspectArguments', expected: 'Disabled', actual: 'Enabled' },
      { fuse: 'GrantFileProtocolExtraPrivileges', expected: 'Disabled', actual: 'Enabled' },
    ]);
    // Cookie encryption removed, and a wire of six fuses (an older Electron) lacks GrantFileProtocolExtraPrivileges.
    expect(fuseDifferences(expected, await getCurrentFuseWire(standIn('0r0011')))).toEqual([
      { fuse: 'EnableCookieEncryption', expected: 'Enabled', actual: 'Removed' },
      { fuse: 'GrantFileProtocolExtraPrivileges', expected: 'Disabled', actual: 'Absent' },
    ]);
  });
});

describe('checkFuses and its CLI', () => {
  const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'node', 'tools', 'check-fuses.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });

  it('passes a packed binary (exit 0) and fails an unflipped one (exit 1), naming the fuse', async () => {
    const packed = await packedStandIn();
    expect(await checkFuses(packed, BUILDER_YML)).toEqual({ checked: 7, differences: [] });
    const ok = cli([packed]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^electronFuses: 7\/7 fuses match /);

    const bad = cli([standIn('111111111')]);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(/^RunAsNode: Enabled in .*, but electron-builder\.yml wants Disabled$/m);
    expect(bad.stderr).toMatch(/^GrantFileProtocolExtraPrivileges: Enabled in /m);
  }, 60_000);

  it('takes another config with --config, and fails on a file without a fuse wire', async () => {
    const config = join(tmp, 'only-cookies.yml');
    writeFileSync(config, 'electronFuses:\n  enableCookieEncryption: true\n');
    const onlyCookies = cli([standIn('111111111'), '--config', config]);
    expect(onlyCookies.status, onlyCookies.stderr).toBe(0);
    expect(onlyCookies.stdout).toMatch(/^electronFuses: 1\/1 fuses match /);

    const notElectron = join(tmp, 'not-electron');
    writeFileSync(notElectron, 'no sentinel here');
    const res = cli([notElectron]);
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/could not check the fuses of .*not-electron: Could not find sentinel/);
    expect(cli([]).status).toBe(2);
  }, 60_000);
});
