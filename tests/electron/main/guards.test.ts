// Navigation, window.open, permissions and the IPC sender check, each item of Electron's checklist.

import { describe, expect, it, vi } from 'vitest';
import { denyPermissionCheck, handleNavigation, handleWindowOpen, installContentsGuards, installRequestGuard, installSessionGuards, isAllowedRequestUrl, isTrustedSenderFrame } from '../../../electron/main/guards';
import { FakeNavigationEvent, FakeSession, FakeWebContents } from '../../mocks/electron';

describe('navigation and window.open', () => {
  it('denies every new window, opening only allow-listed https links externally', async () => {
    const open = vi.fn();
    expect(handleWindowOpen('https://d2l.ai/chapter_linear-classification/softmax-regression-scratch.html', open)).toEqual({ action: 'deny' });
    expect(handleWindowOpen('https://evil.example/', open)).toEqual({ action: 'deny' });
    expect(handleWindowOpen('http://d2l.ai/', open)).toEqual({ action: 'deny' });
    expect(handleWindowOpen('javascript:alert(1)', open)).toEqual({ action: 'deny' });
    expect(handleWindowOpen('file:///etc/passwd', open)).toEqual({ action: 'deny' });
    await Promise.resolve();
    expect(open).toHaveBeenCalledTimes(1);
    expect(open).toHaveBeenCalledWith('https://d2l.ai/chapter_linear-classification/softmax-regression-scratch.html');
  });

  it('prevents every navigation; an allow-listed link goes to the browser', () => {
    const open = vi.fn();
    const e1 = new FakeNavigationEvent();
    expect(handleNavigation(e1, 'https://evil.example/phish', open)).toBe(false);
    expect(e1.defaultPrevented).toBe(true);
    const e2 = new FakeNavigationEvent();
    expect(handleNavigation(e2, 'https://github.com/zalandoresearch/fashion-mnist', open)).toBe(true);
    expect(e2.defaultPrevented).toBe(true);
    const e3 = new FakeNavigationEvent();
    handleNavigation(e3, 'https://user:pw@d2l.ai/', open);
    expect(open).toHaveBeenCalledTimes(1);
  });

  it('installs the guards on a WebContents', () => {
    const wc = new FakeWebContents();
    const open = vi.fn();
    installContentsGuards(wc, open);
    const nav = new FakeNavigationEvent();
    wc.emit('will-navigate', nav, 'https://evil.example/');
    expect(nav.defaultPrevented).toBe(true);
    const redirect = new FakeNavigationEvent();
    wc.emit('will-redirect', redirect, 'https://evil.example/');
    expect(redirect.defaultPrevented).toBe(true);
    const webview = new FakeNavigationEvent();
    wc.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(open).not.toHaveBeenCalled();
  });
});

describe('permissions', () => {
  it('denies every permission request and check', () => {
    const session = new FakeSession();
    installSessionGuards(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen']) {
      const cb = vi.fn();
      session.requestHandler?.({}, permission, cb);
      expect(cb).toHaveBeenCalledWith(false);
      expect(session.checkHandler?.({}, permission)).toBe(false);
    }
    expect(denyPermissionCheck()).toBe(false);
  });
});

describe('isTrustedSenderFrame', () => {
  it('trusts our app:// page', () => {
    expect(isTrustedSenderFrame({ url: 'app://renderer/index.html' })).toBe(true);
    expect(isTrustedSenderFrame({ url: 'app://renderer/index.html#/runs', parent: null })).toBe(true);
  });
  it('trusts the local dev server only when it is configured', () => {
    expect(isTrustedSenderFrame({ url: 'http://localhost:5173/' })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'http://localhost:5173/' }, { devServerUrl: 'http://localhost:5173' })).toBe(true);
    expect(isTrustedSenderFrame({ url: 'http://localhost:5174/' }, { devServerUrl: 'http://localhost:5173' })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'https://evil.example/' }, { devServerUrl: 'https://evil.example/' })).toBe(false);
  });
  it('refuses other origins, subframes and missing frames', () => {
    expect(isTrustedSenderFrame({ url: 'https://evil.example/' })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'file:///app/index.html' })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'app://evil/index.html' })).toBe(false);
    expect(isTrustedSenderFrame({ url: 'app://renderer/index.html', parent: { url: 'app://renderer/' } })).toBe(false);
    expect(isTrustedSenderFrame(null)).toBe(false);
    expect(isTrustedSenderFrame({ url: 'garbage' })).toBe(false);
  });
});

describe('no remote content', () => {
  it('allows only the app, its data/blob URLs and devtools', () => {
    for (const ok of ['app://renderer/index.html', 'app://renderer/assets/a.js', 'data:image/png;base64,AA==', 'blob:app://renderer/1234', 'devtools://devtools/bundled/x.html']) expect(isAllowedRequestUrl(ok)).toBe(true);
    for (const bad of ['https://d2l.ai/', 'http://localhost:5173/', 'ws://localhost:5173/', 'file:///etc/passwd', 'https://cdn.example/x.js', 'ftp://x/', 'nonsense']) expect(isAllowedRequestUrl(bad)).toBe(false);
  });
  it('allows the local dev server (http and its websocket) only in development', () => {
    const dev = { devServerUrl: 'http://localhost:5173/' };
    expect(isAllowedRequestUrl('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequestUrl('ws://localhost:5173/', dev)).toBe(true);
    expect(isAllowedRequestUrl('http://localhost:8080/', dev)).toBe(false);
    expect(isAllowedRequestUrl('https://evil.example/', dev)).toBe(false);
  });
  it('cancels blocked requests through webRequest', () => {
    let listener: ((d: { url: string }, cb: (r: { cancel: boolean }) => void) => void) | null = null;
    const blocked: string[] = [];
    installRequestGuard({ onBeforeRequest: (_filter, l) => (listener = l) }, {}, (url) => blocked.push(url));
    const answers: boolean[] = [];
    listener!({ url: 'https://tracker.example/pixel.gif' }, (r) => answers.push(r.cancel));
    listener!({ url: 'app://renderer/index.html' }, (r) => answers.push(r.cancel));
    expect(answers).toEqual([true, false]);
    expect(blocked).toEqual(['https://tracker.example/pixel.gif']);
  });
});
