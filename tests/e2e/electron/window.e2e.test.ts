// The desktop window as it runs: the security settings read at run time from its real webContents
// (context isolation, sandbox, no Node integration), window.api as the one key the preload adds to a page,
// and the native application menu following the UI's language switch to 简体中文 and back.
// Skipped, with the reason, when no Electron binary.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { screenshot } from '../harness';
import { binary, ROOT, titled, useDesktopApp, warnIfSkipped } from './launch';

warnIfSkipped('window.e2e.test.ts');

/** The web preferences Electron applied (`getLastWebPreferences` is on every WebContents, undocumented in its types). */
type LastPrefs = { contextIsolation?: boolean; sandbox?: boolean; nodeIntegration?: boolean; nodeIntegrationInWorker?: boolean; nodeIntegrationInSubFrames?: boolean; webSecurity?: boolean; webviewTag?: boolean; preload?: string };

/** What Node or Electron would leave on a page's window if they leaked into it. */
const LEAKS = ['require', 'process', 'module', 'exports', 'Buffer', 'global', 'ipcRenderer', 'electron', '__dirname', '__filename'];

describe.skipIf(!binary.ok)(titled('the desktop window'), () => {
  const fixture = useDesktopApp({ train: 256, test: 64 });

  it('runs with context isolation, the sandbox and no Node integration, as its webContents reports', async () => {
    const { app } = fixture.app;
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const contents = BrowserWindow.getAllWindows()[0].webContents as unknown as { getLastWebPreferences(): LastPrefs | null; getURL(): string };
      const p = contents.getLastWebPreferences();
      return { url: contents.getURL(), contextIsolation: p?.contextIsolation, sandbox: p?.sandbox, nodeIntegration: p?.nodeIntegration, nodeIntegrationInWorker: p?.nodeIntegrationInWorker, nodeIntegrationInSubFrames: p?.nodeIntegrationInSubFrames, webSecurity: p?.webSecurity, webviewTag: p?.webviewTag };
    });
    expect(prefs).toEqual({ url: 'app://renderer/index.html', contextIsolation: true, sandbox: true, nodeIntegration: false, nodeIntegrationInWorker: false, nodeIntegrationInSubFrames: false, webSecurity: true, webviewTag: false });
  });

  it('gives the page window.api and nothing of Node or Electron', async () => {
    const { page } = fixture.app;
    const seen = await page.evaluate((leaks) => {
      const names = Object.getOwnPropertyNames(window);
      const api = (window as unknown as { api: Record<string, unknown> }).api;
      return { hasApi: names.includes('api'), leaks: leaks.filter((n) => names.includes(n) || typeof (globalThis as Record<string, unknown>)[n] !== 'undefined'), platform: api.platform, members: Object.entries(api).map(([k, v]) => [k, typeof v]) };
    }, LEAKS);
    expect(seen.hasApi).toBe(true);
    expect(seen.leaks).toEqual([]);
    expect(seen.platform).toBe('electron');
    // Verbs only (and the platform's name): no channel names, no raw send/invoke.
    for (const [name, type] of seen.members) expect(type, name).toBe(name === 'platform' ? 'string' : 'function');
    expect(seen.members.map(([name]) => name)).not.toEqual(expect.arrayContaining(['send']));
    expect(seen.members.map(([name]) => name)).not.toEqual(expect.arrayContaining(['invoke']));
  });

  it("adds exactly one key, api, to a page's window: about:blank with the app's preload against about:blank without", async () => {
    const { app } = fixture.app;
    const preload = join(ROOT, 'out', 'preload', 'index.cjs');
    const [withPreload, without] = await app.evaluate(async ({ BrowserWindow }, preloadPath) => {
      const namesOn = async (withIt: boolean): Promise<string[]> => {
        const win = new BrowserWindow({ show: false, webPreferences: { sandbox: true, contextIsolation: true, nodeIntegration: false, ...(withIt ? { preload: preloadPath } : {}) } });
        try {
          await win.loadURL('about:blank');
          return (await win.webContents.executeJavaScript('Object.getOwnPropertyNames(window)')) as string[];
        } finally {
          win.destroy();
        }
      };
      return [await namesOn(true), await namesOn(false)];
    }, preload);
    const added = withPreload.filter((n) => !without.includes(n));
    expect(added, 'the keys the preload added to window (none at all: did the preload run in about:blank?)').toEqual(['api']);
    expect(without.filter((n) => !withPreload.includes(n))).toEqual([]);
  });

  it('switches the native menu to 简体中文 with the language switch, and back', async () => {
    const { app, page } = fixture.app;
    const menuLabels = (): Promise<{ top: string[]; file: string[] }> => app.evaluate(({ Menu }) => {
      const items = Menu.getApplicationMenu()?.items ?? [];
      const file = items.find((i) => i.submenu?.items.some((s) => s.id === 'save-model'));
      return { top: items.map((i) => i.label), file: (file?.submenu?.items ?? []).filter((s) => s.type !== 'separator').map((s) => s.label) };
    });
    const english = await menuLabels();
    expect(english.top).toEqual(expect.arrayContaining(['File', 'Training', 'View', 'Help']));
    expect(english.file).toEqual(['Open model…', 'Save model…', 'Quit']);

    await page.getByRole('combobox', { name: 'Language' }).selectOption('zh');
    await page.getByRole('button', { name: '开始' }).waitFor();
    await expect.poll(async () => (await menuLabels()).top, { timeout: 10_000 }).toEqual(expect.arrayContaining(['文件', '训练', '视图', '帮助']));
    const chinese = await menuLabels();
    expect(chinese.top).not.toContain('File');
    expect(chinese.file).toEqual(['打开模型…', '保存模型…', '退出']);
    await screenshot(page, 'electron-zh');

    await page.getByRole('combobox', { name: '语言' }).selectOption('en');
    await expect.poll(async () => (await menuLabels()).top, { timeout: 10_000 }).toEqual(expect.arrayContaining(['File', 'Training']));
    expect(fixture.app.pageErrors).toEqual([]);
  });
});
