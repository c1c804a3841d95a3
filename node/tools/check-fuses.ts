// Compares the fuse wire of a packed Electron binary with the `electronFuses` block of electron-builder.yml
// (what `npm run dist` asked electron-builder to flip), fuse by fuse, and exits 1 when one differs. The
// desktop workflow (.github/workflows/desktop.yml) runs it on every packaged app. It reads; it never flips.
// Usage: tsx node/tools/check-fuses.ts <packed binary or .app> [--config electron-builder.yml]

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { FuseState, FuseV1Options, FuseVersion, getCurrentFuseWire, type FuseConfig } from '@electron/fuses';

// js-yaml is electron-builder's own YAML reader, so the file is read the way `npm run dist` reads it.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

/** The configured fuses: FuseV1Options → on (true) or off (false). Fuses not configured are absent. */
export type ConfiguredFuses = Partial<Record<FuseV1Options, boolean>>;

/** One configured fuse whose state in the binary is not the configured one. */
export interface FuseDifference {
  /** The fuse's name as @electron/fuses spells it (`RunAsNode`). */
  fuse: string;
  /** The state electron-builder.yml asks for. */
  expected: 'Enabled' | 'Disabled';
  /** The state read from the binary ('Absent' when the wire is too short to hold the fuse). */
  actual: 'Enabled' | 'Disabled' | 'Removed' | 'Inherited' | 'Absent';
}

/** Keys of electron-builder's electronFuses that are options of the flip, not fuses. */
const NOT_FUSES = new Set(['resetAdHocDarwinSignature', 'strictlyRequireAllFuses']);

/** The FuseV1Options number of an electron-builder fuse name (`runAsNode` → RunAsNode), or undefined. */
function fuseOption(name: string): FuseV1Options | undefined {
  const pascal = name.charAt(0).toUpperCase() + name.slice(1);
  const value = (FuseV1Options as unknown as Record<string, unknown>)[pascal];
  return typeof value === 'number' ? (value as FuseV1Options) : undefined;
}

/**
 * The `electronFuses` block of electron-builder.yml's text as FuseV1Options → boolean. Throws when the block
 * is missing or empty, names a fuse @electron/fuses does not know, or holds a value that is not true/false.
 */
export function configuredFuses(builderYml: string): ConfiguredFuses {
  const config = yaml.load(builderYml) as { electronFuses?: unknown } | null;
  const block = config?.electronFuses;
  if (!block || typeof block !== 'object' || Object.keys(block).length === 0) throw new Error('electron-builder.yml has no electronFuses block');
  const out: ConfiguredFuses = {};
  for (const [name, value] of Object.entries(block as Record<string, unknown>)) {
    if (NOT_FUSES.has(name)) continue;
    const option = fuseOption(name);
    if (option === undefined) throw new Error(`electronFuses.${name} is not a fuse @electron/fuses knows`);
    if (typeof value !== 'boolean') throw new Error(`electronFuses.${name} must be true or false, not ${JSON.stringify(value)}`);
    out[option] = value;
  }
  return out;
}

/** A fuse state in words, as `npx @electron/fuses read` prints it. */
function stateName(state: FuseState | undefined): FuseDifference['actual'] {
  switch (state) {
    case FuseState.ENABLE: return 'Enabled';
    case FuseState.DISABLE: return 'Disabled';
    case FuseState.REMOVED: return 'Removed';
    case FuseState.INHERIT: return 'Inherited';
    default: return 'Absent';
  }
}

/** Every configured fuse whose state in `wire` (from getCurrentFuseWire) is not the configured one. */
export function fuseDifferences(expected: ConfiguredFuses, wire: FuseConfig<FuseState>): FuseDifference[] {
  if (wire.version !== FuseVersion.V1) throw new Error(`unsupported fuse wire version ${String(wire.version)}`);
  const states = wire as unknown as Partial<Record<FuseV1Options, FuseState>>;
  const out: FuseDifference[] = [];
  for (const [key, on] of Object.entries(expected) as [string, boolean][]) {
    const option = Number(key) as FuseV1Options;
    const actual = stateName(states[option]);
    const want = on ? 'Enabled' : 'Disabled';
    if (actual !== want) out.push({ fuse: FuseV1Options[option], expected: want, actual });
  }
  return out;
}

/** Reads the fuse wire of `appPath` (a binary, or a macOS .app) and compares it with `configPath`'s electronFuses. */
export async function checkFuses(appPath: string, configPath: string): Promise<{ checked: number; differences: FuseDifference[] }> {
  const expected = configuredFuses(readFileSync(configPath, 'utf8'));
  const wire = await getCurrentFuseWire(appPath);
  return { checked: Object.keys(expected).length, differences: fuseDifferences(expected, wire) };
}

// CLI: prints one line per difference and exits 1, or one line saying that every configured fuse matches.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--config');
  const configPath = at >= 0 ? args.splice(at, 2)[1] : fileURLToPath(new URL('../../electron-builder.yml', import.meta.url));
  const [appPath] = args;
  if (!appPath || !configPath) {
    console.error('usage: tsx node/tools/check-fuses.ts <packed binary or .app> [--config electron-builder.yml]');
    process.exit(2);
  }
  checkFuses(appPath, configPath).then(
    ({ checked, differences }) => {
      for (const d of differences) console.error(`${d.fuse}: ${d.actual} in ${appPath}, but electron-builder.yml wants ${d.expected}`);
      if (differences.length > 0) process.exit(1);
      console.log(`electronFuses: ${checked}/${checked} fuses match ${appPath}`);
    },
    (err: unknown) => {
      console.error(`could not check the fuses of ${appPath}: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    },
  );
}
