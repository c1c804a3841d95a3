// Electron fuses for the packaged app, flipped in electron-builder's afterPack hook with @electron/fuses.
// electron-builder 25.1.8 (the last release that runs on Node 20) has no `electronFuses` option (26 added
// it), so the hook calls the same library 26 uses internally.

import console from 'node:console';
import { join } from 'node:path';
import fuses from '@electron/fuses';

const { flipFuses, FuseV1Options, FuseVersion } = fuses;

/** The app's fuses, as issue 4 asks. */
export const APP_FUSES = {
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
};

/** The packed Electron executable (the .app bundle on macOS; @electron/fuses finds the framework in it). */
export function fuseBinaryPath(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  const product = packager.appInfo.productFilename;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${product}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${product}.exe`);
  return join(appOutDir, packager.executableName);
}

/**
 * The fuses for a platform. Windows: electron-builder 25 does not embed the asar integrity resource that
 * Electron checks on Windows, so integrity validation is left off there (26 embeds it); on macOS the
 * hash is in Info.plist, which electron-builder 25 writes; Linux has no embedded integrity check.
 */
export function fusesFor(platform) {
  if (platform === 'win32') return { ...APP_FUSES, [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: false };
  return { ...APP_FUSES };
}

/** electron-builder's afterPack hook: flips the fuses before signing (ad-hoc signatures reset on macOS). */
export default async function afterPack(context) {
  const path = fuseBinaryPath(context);
  const darwin = context.electronPlatformName === 'darwin' || context.electronPlatformName === 'mas';
  const flipped = await flipFuses(path, { version: FuseVersion.V1, resetAdHocDarwinSignature: darwin, ...fusesFor(context.electronPlatformName) });
  console.log(`  • electron fuses  file=${path} changed=${flipped}`);
}
