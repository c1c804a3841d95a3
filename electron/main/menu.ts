// The application menu as a plain template: File (open/save model, quit), Training (start/pause, step,
// reset) and Help (d2l). Items that act on the run send `menu:command` to the renderer, which owns the
// run's state; main only relays.

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand, UiLanguage } from '../../common/contract';

/** What the menu's items do. */
export interface MenuActions {
  /** Sends a command to the focused window's renderer. */
  send(command: MenuCommand): void;
  /** Opens an allow-listed link in the system browser. */
  openExternal(url: string): void;
  /** Quits the app. */
  quit(): void;
}

/** The chapter of Dive into Deep Learning this lab follows. */
export const D2L_SOFTMAX_URL = 'https://d2l.ai/chapter_linear-classification/softmax-regression-scratch.html';

/** The menu's labels in each UI language (the renderer's language switch chooses). */
export const MENU_LABELS: Record<UiLanguage, Record<'file' | 'openModel' | 'saveModel' | 'quit' | 'training' | 'startPause' | 'step' | 'reset' | 'view' | 'help' | 'd2l', string>> = {
  en: {
    file: 'File', openModel: 'Open model…', saveModel: 'Save model…', quit: 'Quit',
    training: 'Training', startPause: 'Start/Pause', step: 'Step', reset: 'Reset',
    view: 'View', help: 'Help', d2l: 'Dive into Deep Learning: softmax regression',
  },
  zh: {
    file: '文件', openModel: '打开模型…', saveModel: '保存模型…', quit: '退出',
    training: '训练', startPause: '开始/暂停', step: '单步', reset: '重置',
    view: '视图', help: '帮助', d2l: '动手学深度学习：softmax 回归',
  },
};

/**
 * Builds the menu template (macOS gets the usual app menu first), labelled in `language`. `devTools`
 * adds the developer tools item: development builds only, never a packaged app.
 */
export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform = process.platform, language: UiLanguage = 'en', devTools = false): MenuItemConstructorOptions[] {
  const L = MENU_LABELS[language];
  const file: MenuItemConstructorOptions = {
    label: L.file,
    submenu: [
      { id: 'open-model', label: L.openModel, accelerator: 'CmdOrCtrl+O', click: () => actions.send('open-model') },
      { id: 'save-model', label: L.saveModel, accelerator: 'CmdOrCtrl+S', click: () => actions.send('save-model') },
      { type: 'separator' },
      { id: 'quit', label: L.quit, accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  };
  const training: MenuItemConstructorOptions = {
    label: L.training,
    submenu: [
      // Shown, not registered: the page handles Space/S/R itself, and only when no text field has the
      // focus; a registered plain-key accelerator would also fire while typing "S" in the seed field.
      { id: 'start-pause', label: L.startPause, accelerator: 'Space', registerAccelerator: false, click: () => actions.send('start-pause') },
      { id: 'step', label: L.step, accelerator: 'S', registerAccelerator: false, click: () => actions.send('step') },
      { id: 'reset', label: L.reset, accelerator: 'R', registerAccelerator: false, click: () => actions.send('reset') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: L.view,
    submenu: [{ role: 'reload' }, ...(devTools ? [{ role: 'toggleDevTools' } as const] : []), { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: L.help,
    submenu: [{ id: 'd2l', label: L.d2l, click: () => actions.openExternal(D2L_SOFTMAX_URL) }],
  };
  const template = [file, training, { role: 'editMenu' } as MenuItemConstructorOptions, view, help];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}
