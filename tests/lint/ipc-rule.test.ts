// The lint rules that keep IPC behind the typed wrappers and the layers apart (eslint.config.js): raw
// ipcMain / ipcRenderer / webContents.send are errors outside electron/main/ipc.ts, and the renderer and
// common/ may not import Electron-side or Node code. Linted through ESLint's API on snippets.

import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('IPC lint rules', () => {
  it('refuses raw ipcMain, ipcRenderer and webContents.send outside the wrappers', async () => {
    expect(await ruleIds("import { ipcMain } from 'electron';\nipcMain.handle('x', () => 1);\n", 'electron/main/menu.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds("import { ipcRenderer } from 'electron';\nipcRenderer.send('x');\n", 'electron/preload/index.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds("declare const win: { webContents: { send(c: string): void } };\nwin.webContents.send('menu:command');\n", 'electron/main/index.ts')).toContain('no-restricted-syntax');
    expect(await ruleIds("declare const contents: { send(c: string): void };\ncontents.send('x');\n", 'electron/main/guards.ts')).toContain('no-restricted-syntax');
  });

  it('allows them in electron/main/ipc.ts, the wrappers themselves', async () => {
    expect(await ruleIds("declare const target: { send(c: string): void };\nexport const f = (): void => target.send('x');\n", 'electron/main/ipc.ts')).toEqual([]);
  });

  it('keeps common/ and the renderer away from Electron-side and Node code', async () => {
    expect(await ruleIds("import { x } from '../electron/main/ipc';\nexport { x };\n", 'common/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { readFileSync } from 'node:fs';\nexport { readFileSync };\n", 'common/x.ts')).toContain('no-restricted-imports');
    expect(await ruleIds("import { x } from '../../electron/preload/api';\nexport { x };\n", 'renderer/store/x.ts')).toContain('no-restricted-imports');
  });
});
