// The window's guards as plain functions (Electron's security checklist): navigation and new windows
// are denied, except that allow-listed https links open in the system browser; every permission request
// is denied; IPC is accepted only from our own page's frame (app:// or the local dev server).

import { isAllowedExternalUrl } from '../../common/contract';
import { APP_ORIGIN } from './protocol';
import { isLocalDevServer } from './window';

/** Opens a URL in the system browser (shell.openExternal). */
export type OpenExternal = (url: string) => Promise<void> | void;

/** The subset of WebContents the guards attach to. */
export interface GuardedContents {
  on(event: 'will-navigate' | 'will-redirect' | 'will-frame-navigate', listener: (event: { preventDefault(): void; url?: string }, url?: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** The subset of Session the permission guards attach to. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string) => boolean) | null): void;
}

/**
 * Handles a link the page tries to open (window.open, target=_blank): never a new Electron window;
 * an allow-listed https link goes to the system browser. Returns what setWindowOpenHandler expects.
 */
export function handleWindowOpen(url: string, openExternal: OpenExternal): { action: 'deny' } {
  if (isAllowedExternalUrl(url)) void Promise.resolve(openExternal(url)).catch(() => undefined);
  return { action: 'deny' };
}

/**
 * Decides a navigation of the page itself: it is always prevented (the app is one page; in-page
 * hash changes do not fire will-navigate); an allow-listed https link is opened in the system browser.
 * Returns true when the link was handed to the browser.
 */
export function handleNavigation(event: { preventDefault(): void }, url: string, openExternal: OpenExternal): boolean {
  event.preventDefault();
  if (isAllowedExternalUrl(url)) {
    void Promise.resolve(openExternal(url)).catch(() => undefined);
    return true;
  }
  return false;
}

/** The permission request handler: every permission (camera, notifications, geolocation…) is denied. */
export function denyPermissionRequest(_webContents: unknown, _permission: string, callback: (granted: boolean) => void): void {
  callback(false);
}

/** The permission check handler: nothing is granted. */
export function denyPermissionCheck(): boolean {
  return false;
}

/** Attaches the navigation, window-open and webview guards to a window's contents. */
export function installContentsGuards(contents: GuardedContents, openExternal: OpenExternal): void {
  const onNavigate = (event: { preventDefault(): void; url?: string }, url?: string): void => {
    handleNavigation(event, url ?? event.url ?? '', openExternal);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => handleWindowOpen(url, openExternal));
}

/** Attaches the deny-all permission handlers to a session. */
export function installSessionGuards(session: GuardedSession): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
}

/**
 * True when the page may load `url`: only the app itself (app:, and data:/blob: it made), devtools, and
 * in development the local dev server (http and its websocket). No remote content, no file://.
 */
export function isAllowedRequestUrl(url: string, trusted: TrustedOrigins = {}): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  if (['app:', 'data:', 'blob:', 'devtools:'].includes(u.protocol)) return true;
  if (trusted.devServerUrl && isLocalDevServer(trusted.devServerUrl) && (u.protocol === 'http:' || u.protocol === 'ws:')) {
    return u.host === new URL(trusted.devServerUrl).host;
  }
  return false;
}

/** The subset of session.webRequest the request guard uses. */
export interface GuardedWebRequest {
  onBeforeRequest(filter: { urls: string[] }, listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void): void;
}

/** Cancels every request for remote content (http, https, ws, file…) the page or its workers make. */
export function installRequestGuard(webRequest: GuardedWebRequest, trusted: TrustedOrigins, onBlocked: (url: string) => void = () => undefined): void {
  webRequest.onBeforeRequest({ urls: ['<all_urls>'] }, (details, callback) => {
    const allowed = isAllowedRequestUrl(details.url, trusted);
    if (!allowed) onBlocked(details.url);
    callback({ cancel: !allowed });
  });
}

/** Where IPC may come from: our app:// origin, and in development the local dev server's origin. */
export interface TrustedOrigins {
  /** The electron-vite dev server URL, when running in development. */
  devServerUrl?: string;
}

/**
 * True when an IPC message comes from our own page: the sender frame exists, is a top-level frame, and
 * its URL has the app:// origin (or the local dev server's origin in development).
 */
export function isTrustedSenderFrame(frame: { url: string; parent?: unknown } | null | undefined, trusted: TrustedOrigins = {}): boolean {
  if (!frame || typeof frame.url !== 'string') return false;
  if (frame.parent) return false; // subframes never talk to main
  let url: URL;
  try {
    url = new URL(frame.url);
  } catch {
    return false;
  }
  if (`${url.protocol}//${url.host}` === APP_ORIGIN) return true;
  if (trusted.devServerUrl && isLocalDevServer(trusted.devServerUrl)) {
    return url.origin === new URL(trusted.devServerUrl).origin;
  }
  return false;
}
