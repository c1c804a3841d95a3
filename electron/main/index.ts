// The Electron main process: app wiring only. It registers the app:// protocol, the guards, the typed
// IPC handlers, the menu and the TrainerProcess, and opens the window. It never trains: training runs
// in the utility process (electron/worker), whose progress goes straight to the renderer over a port.
/// <reference types="electron-vite/node" />

import { app, BrowserWindow, dialog, ipcMain, Menu, MessageChannelMain, protocol, session, shell, utilityProcess, type WebContents } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isAllowedExternalUrl, type MenuCommand, type UiLanguage } from '../../common/contract';
import { CACHE_DIR_FLAG } from '../worker/parent-messages';
import workerPath from '../worker/index?modulePath';
import { installContentsGuards, installRequestGuard, installSessionGuards } from './guards';
import { createTypedIpc, IpcRefusedError, sendToRenderer, type IpcMainLike } from './ipc';
import { buildMenuTemplate } from './menu';
import { saveExportWithDialog } from './exports';
import { openModelWithDialog, saveModelWithDialog, type ModelDialogs } from './model-io';
import { APP_SCHEME, createAppProtocolHandler } from './protocol';
import { RunStore } from './run-store';
import { TrainerProcess, type PortTarget } from './trainer-process';
import { createWindowOptions, rendererUrl } from './window';

const here = dirname(fileURLToPath(import.meta.url)); // out/main
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

// Tests point the profile at a temporary folder so they never touch the user's data (development builds
// only: a packaged app always uses the user's own profile).
if (process.env.SOFTMAX_LAB_USER_DATA && !app.isPackaged) app.setPath('userData', process.env.SOFTMAX_LAB_USER_DATA);

// Every renderer sandboxed, whatever its options say (Electron's checklist).
app.enableSandbox();

// Must happen before 'ready': app:// behaves like https (standard, secure, fetch) for the renderer.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } }]);

const openExternal = async (url: string): Promise<void> => {
  if (isAllowedExternalUrl(url)) await shell.openExternal(url);
};

function dialogsFor(sender: unknown): ModelDialogs {
  const win = BrowserWindow.fromWebContents(sender as WebContents);
  return {
    showSaveDialog: (opts) => (win ? dialog.showSaveDialog(win, opts) : dialog.showSaveDialog(opts)),
    showOpenDialog: (opts) => (win ? dialog.showOpenDialog(win, opts) : dialog.showOpenDialog(opts)),
  };
}

async function main(): Promise<void> {
  // One instance: two would share the run history and the dataset cache.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win?.isMinimized()) win.restore();
    win?.focus();
  });
  await app.whenReady();
  const userData = app.getPath('userData');

  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(here, '../renderer')));
  installSessionGuards(session.defaultSession);
  installRequestGuard(session.defaultSession.webRequest, { devServerUrl }, (url) => console.warn(`[security] blocked a request for ${url}`));
  app.on('web-contents-created', (_event, contents) => installContentsGuards(contents, openExternal));

  const runs = new RunStore(join(userData, 'runs'));
  await runs.init();

  const trainer = new TrainerProcess({
    modulePath: workerPath,
    serviceName: 'softmax-lab-trainer',
    args: [`${CACHE_DIR_FLAG}${join(userData, 'datasets', 'fashion-mnist')}`],
    fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, { serviceName: options.serviceName, stdio: 'inherit' }),
    appEvents: app,
    createChannel: () => new MessageChannelMain(),
    log: (message) => console.warn(`[trainer] ${message}`),
  });

  // Run records come from the training process (and from TrainerProcess for a crashed run): store each,
  // then tell every window to list the history again.
  trainer.on('run', (record, weights) => {
    runs.save(record).then(() => (weights ? runs.saveWeights(record, weights) : undefined)).then(
      () => BrowserWindow.getAllWindows().forEach((w) => sendToRenderer(w.webContents, 'runs:changed', null)),
      (err: unknown) => console.warn(`[runs] could not store run ${record.id}: ${err instanceof Error ? err.message : String(err)}`),
    );
  });

  const ipc = createTypedIpc(ipcMain as unknown as IpcMainLike, { devServerUrl }, (channel, why) => console.warn(`[ipc] refused ${channel}: ${why}`));
  ipc.on('trainer:connect', ({ sender }) => trainer.connect(sender as PortTarget));
  ipc.handle('trainer:restart', () => trainer.restart());
  ipc.handle('dataset:pickFolder', async ({ sender }) => {
    const win = BrowserWindow.fromWebContents(sender as WebContents);
    const opts = { title: 'Folder with the Fashion-MNIST files', properties: ['openDirectory' as const] };
    const choice = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts);
    const path = choice.canceled ? undefined : choice.filePaths[0];
    return path ? { path, grant: trainer.grantFolder(path) } : null;
  });
  ipc.handle('model:save', ({ sender }, model) => saveModelWithDialog(dialogsFor(sender), model, join(app.getPath('documents'), 'softmax-lab-model.json')));
  ipc.handle('model:open', ({ sender }) => openModelWithDialog(dialogsFor(sender)));
  ipc.handle('export:save', ({ sender }, file) => saveExportWithDialog(dialogsFor(sender), file, app.getPath('documents')));
  ipc.handle('runs:list', () => runs.list());
  ipc.handle('runs:delete', (_ctx, id) => runs.delete(id));
  ipc.handle('runs:openWeights', async (_ctx, id) => {
    try {
      return { opened: true, path: `${id}.model.json`, model: await runs.readWeights(id) };
    } catch (err) {
      return { opened: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
    }
  });
  ipc.handle('shell:openExternal', async (_ctx, url) => {
    if (!isAllowedExternalUrl(url)) throw new IpcRefusedError('shell:openExternal: only allow-listed https links are opened');
    await shell.openExternal(url);
  });

  const sendMenu = (command: MenuCommand): void => {
    const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
    if (win) sendToRenderer(win.webContents, 'menu:command', command);
  };
  const setMenu = (language: UiLanguage): void =>
    Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate({ send: sendMenu, openExternal: (url) => void openExternal(url), quit: () => app.quit() }, process.platform, language, !app.isPackaged)));
  setMenu('en');
  ipc.on('ui:language', (_ctx, language) => setMenu(language));

  const createWindow = (): void => {
    const win = new BrowserWindow(createWindowOptions({ preloadPath: join(here, '../preload/index.cjs') }));
    win.once('ready-to-show', () => win.show());
    void win.loadURL(rendererUrl(devServerUrl, app.isPackaged));
  };
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });

  // Stop the trainer cleanly (with its kill timeout) before quitting.
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void trainer.dispose().finally(() => app.quit());
  });
}

app.on('window-all-closed', () => app.quit());

main().catch((err: unknown) => {
  console.error('Softmax Lab failed to start:', err);
  app.exit(1);
});
