// Types of electron-fuses.mjs (the afterPack hook is plain ESM so electron-builder can import it).

/** The sentinel that precedes the fuse wire. */
export declare const FUSE_SENTINEL: string;
/** Wire positions of the fuses. */
export declare const FUSE_INDEX: Record<FuseName, number>;
/** A fuse's name. */
export type FuseName = 'runAsNode' | 'enableCookieEncryption' | 'enableNodeOptionsEnvironmentVariable' | 'enableNodeCliInspectArguments' | 'enableEmbeddedAsarIntegrityValidation' | 'onlyLoadAppFromAsar' | 'loadBrowserProcessSpecificV8Snapshot' | 'grantFileProtocolExtraPrivileges';
/** The app's fuse settings. */
export declare const APP_FUSES: Partial<Record<FuseName, boolean>>;
/** Rewrites the fuse wire in place; returns the wire after the change. */
export declare function flipFuses(binary: Buffer, fuses: Partial<Record<FuseName, boolean>>): string;
/** The packed file holding the fuse wire. */
export declare function fuseBinaryPath(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }): string;
/** The fuses for a platform. */
export declare function fusesFor(platform: string): Partial<Record<FuseName, boolean>>;
/** The afterPack hook. */
export default function afterPack(context: { appOutDir: string; electronPlatformName: string; packager: { appInfo: { productFilename: string }; executableName?: string } }): Promise<void>;
