// Electron fuses for the packaged app, flipped in electron-builder's afterPack hook. electron-builder
// 25.1.8 (the last release that runs on Node 20) has no `electronFuses` option (26 added it), so this
// hook does what @electron/fuses does, without a dependency: find the fuse wire and rewrite its bytes.

import { Buffer } from 'node:buffer';
import console from 'node:console';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The sentinel that precedes the fuse wire in every Electron binary (electron/fuses). */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Wire positions of the fuses (FuseV1Options, wire version 1). */
export const FUSE_INDEX = {
  runAsNode: 0,
  enableCookieEncryption: 1,
  enableNodeOptionsEnvironmentVariable: 2,
  enableNodeCliInspectArguments: 3,
  enableEmbeddedAsarIntegrityValidation: 4,
  onlyLoadAppFromAsar: 5,
  loadBrowserProcessSpecificV8Snapshot: 6,
  grantFileProtocolExtraPrivileges: 7,
};

/** The app's fuses, as issue 4 asks (the same keys electron-builder 26's `electronFuses` takes). */
export const APP_FUSES = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  onlyLoadAppFromAsar: true,
  enableEmbeddedAsarIntegrityValidation: true,
  enableCookieEncryption: true,
};

/**
 * Rewrites the fuse wire in `binary` (a Buffer) in place. Returns the wire's state after the change as
 * a string of '0'/'1'/'r' (removed). Throws when the sentinel is missing or a fuse is absent.
 */
export function flipFuses(binary, fuses) {
  const at = binary.indexOf(Buffer.from(FUSE_SENTINEL, 'ascii'));
  if (at < 0) throw new Error('fuse sentinel not found: not an Electron binary');
  if (binary.indexOf(Buffer.from(FUSE_SENTINEL, 'ascii'), at + 1) >= 0) throw new Error('fuse sentinel found twice');
  const version = binary[at + FUSE_SENTINEL.length];
  if (version !== 1) throw new Error(`unsupported fuse wire version ${version}`);
  const length = binary[at + FUSE_SENTINEL.length + 1];
  const start = at + FUSE_SENTINEL.length + 2;
  for (const [name, enabled] of Object.entries(fuses)) {
    const index = FUSE_INDEX[name];
    if (index === undefined) throw new Error(`unknown fuse ${name}`);
    if (index >= length) throw new Error(`fuse ${name} is not in this Electron's wire (length ${length})`);
    if (binary[start + index] === 0x72) throw new Error(`fuse ${name} was removed from this Electron`);
    binary[start + index] = enabled ? 0x31 : 0x30;
  }
  return binary.subarray(start, start + length).toString('ascii');
}

/** The file holding the fuse wire in a packed app (the framework on macOS, the executable elsewhere). */
export function fuseBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') {
    return join(appOutDir, `${product}.app`, 'Contents', 'Frameworks', 'Electron Framework.framework', 'Electron Framework');
  }
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, packager.executableName);
}

/**
 * The fuses for a platform. Windows: electron-builder 25 does not embed the asar integrity resource that
 * Electron checks on Windows, so integrity validation is left off there (26 embeds it); on macOS the
 * hash is in Info.plist, which electron-builder 25 writes; Linux has no embedded integrity check.
 */
export function fusesFor(platform) {
  if (platform === 'win32') return { ...APP_FUSES, enableEmbeddedAsarIntegrityValidation: false };
  return { ...APP_FUSES };
}

/** electron-builder's afterPack hook: flips the fuses before signing. */
export default async function afterPack(context) {
  const path = fuseBinaryPath(context);
  const binary = await readFile(path);
  const wire = flipFuses(binary, fusesFor(context.electronPlatformName));
  await writeFile(path, binary);
  console.log(`  • electron fuses  file=${path} wire=${wire}`);
}
