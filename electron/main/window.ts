// The main window's options and where it loads its page from, as plain functions so the security
// settings (Electron's checklist: isolation, sandbox, no Node, web security) are unit-tested.

import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_INDEX_URL } from './protocol';

/** Inputs of {@link createWindowOptions}. */
export interface WindowOptionsInput {
  /** Absolute path of the bundled preload (out/preload/index.cjs). */
  preloadPath: string;
  /** Window icon (Linux/Windows), optional. */
  iconPath?: string;
}

/**
 * The BrowserWindow options: a sandboxed, context-isolated renderer without Node, with web security on,
 * no webview tags, no spellcheck service calls, shown only once painted.
 */
export function createWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: 'Softmax Lab',
    show: false,
    backgroundColor: '#101418',
    ...(input.iconPath ? { icon: input.iconPath } : {}),
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
    },
  };
}

/**
 * The URL the window loads: the electron-vite dev server when it runs (ELECTRON_RENDERER_URL, only an
 * http://localhost-like URL is accepted), the app:// page otherwise.
 */
export function rendererUrl(devServerUrl: string | undefined, isPackaged: boolean): string {
  if (!isPackaged && devServerUrl && isLocalDevServer(devServerUrl)) return devServerUrl;
  return APP_INDEX_URL;
}

/** True for an http URL on the loopback interface (what electron-vite's dev server uses). */
export function isLocalDevServer(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1', '[::1]'].includes(u.hostname);
  } catch {
    return false;
  }
}
