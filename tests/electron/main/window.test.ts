// Electron's security checklist for the window: isolation, sandbox, no Node, web security on.

import { describe, expect, it } from 'vitest';
import { createWindowOptions, isLocalDevServer, rendererUrl } from '../../../electron/main/window';

describe('createWindowOptions', () => {
  const opts = createWindowOptions({ preloadPath: '/app/out/preload/index.cjs' });
  const wp = opts.webPreferences ?? {};

  it('isolates and sandboxes the renderer, without Node', () => {
    expect(wp.contextIsolation).toBe(true);
    expect(wp.sandbox).toBe(true);
    expect(wp.nodeIntegration).toBe(false);
    expect(wp.nodeIntegrationInWorker).toBe(false);
    expect(wp.nodeIntegrationInSubFrames).toBe(false);
  });

  it('keeps web security on and webviews off', () => {
    expect(wp.webSecurity).toBe(true);
    expect(wp.allowRunningInsecureContent).toBe(false);
    expect(wp.webviewTag).toBe(false);
    expect(wp.experimentalFeatures).toBe(false);
  });

  it('sets exactly the checklist webPreferences: nothing added (enableBlinkFeatures, …), nothing left out', () => {
    expect(wp).toEqual({
      preload: '/app/out/preload/index.cjs',
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
    });
  });

  it('uses the CommonJS preload it is given', () => {
    expect(wp.preload).toBe('/app/out/preload/index.cjs');
  });
});

describe('rendererUrl', () => {
  it('loads app:// in production, even when a dev URL is set', () => {
    expect(rendererUrl(undefined, false)).toBe('app://renderer/index.html');
    expect(rendererUrl('http://localhost:5173', true)).toBe('app://renderer/index.html');
  });
  it('loads the local dev server in development only', () => {
    expect(rendererUrl('http://localhost:5173/', false)).toBe('http://localhost:5173/');
    expect(rendererUrl('https://evil.example/', false)).toBe('app://renderer/index.html');
    expect(isLocalDevServer('http://127.0.0.1:5173')).toBe(true);
    expect(isLocalDevServer('http://192.168.1.2:5173')).toBe(false);
  });
});
