// The application menu as a plain template: File (open/save model, quit), Training (start/pause, step,
// reset) and Help (d2l). Items that act on the run send `menu:command` to the renderer, which owns the
// run's state; main only relays.

import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../shared/contract';

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

/** Builds the menu template (macOS gets the usual app menu first). */
export function buildMenuTemplate(actions: MenuActions, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      { id: 'open-model', label: 'Open model…', accelerator: 'CmdOrCtrl+O', click: () => actions.send('open-model') },
      { id: 'save-model', label: 'Save model…', accelerator: 'CmdOrCtrl+S', click: () => actions.send('save-model') },
      { type: 'separator' },
      { id: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => actions.quit() },
    ],
  };
  const training: MenuItemConstructorOptions = {
    label: 'Training',
    submenu: [
      // Shown, not registered: the page handles Space/S/R itself, and only when no text field has the
      // focus; a registered plain-key accelerator would also fire while typing "S" in the seed field.
      { id: 'start-pause', label: 'Start/Pause', accelerator: 'Space', registerAccelerator: false, click: () => actions.send('start-pause') },
      { id: 'step', label: 'Step', accelerator: 'S', registerAccelerator: false, click: () => actions.send('step') },
      { id: 'reset', label: 'Reset', accelerator: 'R', registerAccelerator: false, click: () => actions.send('reset') },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: 'View',
    submenu: [{ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' }, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, { type: 'separator' }, { role: 'togglefullscreen' }],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: 'Help',
    submenu: [{ id: 'd2l', label: 'Dive into Deep Learning: softmax regression', click: () => actions.openExternal(D2L_SOFTMAX_URL) }],
  };
  const template = [file, training, { role: 'editMenu' } as MenuItemConstructorOptions, view, help];
  if (platform === 'darwin') template.unshift({ role: 'appMenu' });
  return template;
}
