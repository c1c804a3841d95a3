// Types of electron-fuses.mjs (the afterPack hook is plain ESM so electron-builder can import it).
import type { FuseV1Options } from '@electron/fuses';

/** A fuse config keyed by FuseV1Options. */
export type AppFuses = Partial<Record<FuseV1Options, boolean>>;
/** The app's fuse settings. */
export declare const APP_FUSES: AppFuses;
/** The packed executable whose fuse wire is flipped. */
export declare function fuseBinaryPath(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }): string;
/** The fuses for a platform. */
export declare function fusesFor(platform: string): AppFuses;
/** The afterPack hook. */
export default function afterPack(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }): Promise<void>;
