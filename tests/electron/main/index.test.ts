// The main process's wiring (electron/main/index.ts) run under Node against a fake 'electron' module:
// the app:// scheme and handler, the guards, a handler for every invoke channel (with the sender
// check), the trainer connected on request, the sandboxed window on app://, the menu, a clean quit.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { FakeApp, FakeIpcMain, FakeSession, FakeWebContents, fakeChannelFactory, fakeFork, fakeIpcEvent } from '../../mocks/electron';

const fakes = vi.hoisted(() => {
  // A packaged app must ignore the test-only profile override: set it, and expect it to be ignored.
  process.env.SOFTMAX_LAB_USER_DATA = '/tmp/should-not-be-used';
  return { state: {} as Record<string, unknown> };
});

vi.mock('../../../electron/worker/index?modulePath', () => ({ default: '/built/main/chunks/worker.js' }));

vi.mock('electron', () => {
  const userData = mkdtempSync(join(tmpdir(), 'main-wiring-'));
  const app = Object.assign(new FakeApp(), {
    isPackaged: true,
    whenReady: () => Promise.resolve(),
    enableSandbox: vi.fn(),
    requestSingleInstanceLock: vi.fn(() => true),
    getPath: (name: string) => join(userData, name === 'userData' ? '' : name),
    setPath: vi.fn(),
    quit: vi.fn(),
    exit: vi.fn(),
  });
  const ipcMain = new FakeIpcMain();
  const session = Object.assign(new FakeSession(), { webRequest: { onBeforeRequest: vi.fn() } });
  const forks = fakeFork();
  const windows: FakeWindow[] = [];
  class FakeWindow {
    readonly webContents = new FakeWebContents();
    readonly loaded: string[] = [];
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this);
    }
    once(): void {}
    loadURL(url: string): Promise<void> {
      this.loaded.push(url);
      return Promise.resolve();
    }
    static fromWebContents(): FakeWindow | null {
      return windows[0] ?? null;
    }
    static getFocusedWindow(): FakeWindow | null {
      return windows[0] ?? null;
    }
    static getAllWindows(): FakeWindow[] {
      return windows;
    }
  }
  const protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
  const menu = { buildFromTemplate: vi.fn((t: unknown) => ({ template: t })), setApplicationMenu: vi.fn() };
  const channels = fakeChannelFactory();
  Object.assign(fakes.state, { app, ipcMain, session, forks, windows, protocol, menu, userData });
  return {
    app,
    ipcMain,
    BrowserWindow: FakeWindow,
    dialog: { showOpenDialog: vi.fn(), showSaveDialog: vi.fn() },
    Menu: menu,
    MessageChannelMain: function MessageChannelMain() {
      return channels.create();
    },
    protocol,
    session: { defaultSession: session },
    shell: { openExternal: vi.fn() },
    utilityProcess: { fork: forks.fork },
  };
});

type State = {
  app: FakeApp & { quit: ReturnType<typeof vi.fn> };
  ipcMain: FakeIpcMain;
  session: FakeSession & { webRequest: { onBeforeRequest: ReturnType<typeof vi.fn> } };
  forks: ReturnType<typeof fakeFork>;
  windows: { options: { webPreferences: Record<string, unknown> }; loaded: string[]; webContents: FakeWebContents }[];
  protocol: { registerSchemesAsPrivileged: ReturnType<typeof vi.fn>; handle: ReturnType<typeof vi.fn> };
  menu: { setApplicationMenu: ReturnType<typeof vi.fn> };
};

describe('electron/main/index.ts wiring', async () => {
  await import('../../../electron/main/index');
  const s = fakes.state as unknown as State;
  await vi.waitFor(() => expect(s.windows).toHaveLength(1));

  it('sandboxes every renderer and keeps a single instance', () => {
    expect((s.app as unknown as { enableSandbox: ReturnType<typeof vi.fn> }).enableSandbox).toHaveBeenCalled();
    expect((s.app as unknown as { requestSingleInstanceLock: ReturnType<typeof vi.fn> }).requestSingleInstanceLock).toHaveBeenCalled();
  });

  it('registers app:// as a privileged scheme and serves it', () => {
    expect(s.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(s.protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('installs the permission and request guards', () => {
    expect(s.session.requestHandler).not.toBeNull();
    expect(s.session.checkHandler?.({}, 'media')).toBe(false);
    expect(s.session.webRequest.onBeforeRequest).toHaveBeenCalledWith({ urls: ['<all_urls>'] }, expect.any(Function));
  });

  it('attaches the navigation, new-window and webview guards to every web contents the app creates', () => {
    const contents = new FakeWebContents();
    s.app.emit('web-contents-created', {}, contents);
    // new windows: denied (an allow-listed https link goes to the system browser instead)
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    for (const event of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      expect(contents.listenerCount(event), event).toBeGreaterThan(0);
      const prevented = vi.fn();
      contents.emit(event, { preventDefault: prevented, url: 'https://evil.example/' }, 'https://evil.example/');
      expect(prevented, event).toHaveBeenCalled();
    }
  });

  it('a packaged app ignores SOFTMAX_LAB_USER_DATA and has no developer tools in its menu', () => {
    expect((s.app as unknown as { setPath: ReturnType<typeof vi.fn> }).setPath).not.toHaveBeenCalled();
    const template = JSON.stringify((s.menu as unknown as { buildFromTemplate: ReturnType<typeof vi.fn> }).buildFromTemplate.mock.calls.at(-1)?.[0]);
    expect(template).toContain('reload');
    expect(template).not.toContain('toggleDevTools');
  });

  it('opens one sandboxed window on app://', () => {
    const [win] = s.windows;
    expect(win.loaded).toEqual(['app://renderer/index.html']);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true });
    expect(String(win.options.webPreferences.preload)).toMatch(/preload[\\/]index\.cjs$/);
    expect(s.menu.setApplicationMenu).toHaveBeenCalled();
  });

  it('handles every invoke channel, refusing untrusted senders', async () => {
    expect([...s.ipcMain.handlers.keys()].sort()).toEqual(['dataset:pickFolder', 'export:save', 'model:open', 'model:save', 'runs:delete', 'runs:list', 'runs:openWeights', 'shell:openExternal', 'trainer:restart']);
    expect(await s.ipcMain.invoke(fakeIpcEvent('app://renderer/index.html'), 'runs:list')).toEqual([]);
    await expect(s.ipcMain.invoke(fakeIpcEvent('https://evil.example/'), 'runs:list')).rejects.toThrow(/untrusted/);
    await expect(s.ipcMain.invoke(fakeIpcEvent('app://renderer/index.html'), 'shell:openExternal', 'https://evil.example/')).rejects.toThrow(/allow-listed/);
  });

  it('starts the trainer with the userData cache and hands the renderer a port on trainer:connect', () => {
    const wc = s.windows[0].webContents;
    s.ipcMain.send(fakeIpcEvent('app://renderer/index.html', { sender: wc }), 'trainer:connect');
    const child = s.forks.children[0];
    expect(child.modulePath).toBe('/built/main/chunks/worker.js');
    expect(child.options.serviceName).toBe('softmax-lab-trainer');
    expect(child.args[0]).toMatch(/^--cache-dir=.*datasets[\\/]fashion-mnist$/);
    expect(child.messages[0].message).toEqual({ type: 'connect' });
    expect(wc.posted[0].channel).toBe('trainer:port');
  });

  it('stops the trainer before quitting', async () => {
    const child = s.forks.children[0];
    const event = { preventDefault: vi.fn() };
    s.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(s.app.quit).toHaveBeenCalled());
    expect(child.alive).toBe(false);
    expect(child.messages.map((m) => m.message.type)).toContain('shutdown');
  });
});
