// The menu: File / Training / Help with the accelerators the lab documents, sending menu:command.

import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, D2L_SOFTMAX_URL } from '../../../electron/main/menu';
import { isAllowedExternalUrl } from '../../../common/contract';

function item(template: MenuItemConstructorOptions[], id: string): MenuItemConstructorOptions {
  for (const top of template) {
    for (const sub of (top.submenu as MenuItemConstructorOptions[] | undefined) ?? []) if (sub.id === id) return sub;
  }
  throw new Error(`no menu item ${id}`);
}

describe('buildMenuTemplate', () => {
  const actions = { send: vi.fn(), openExternal: vi.fn(), quit: vi.fn() };
  const template = buildMenuTemplate(actions, 'linux');
  const click = (id: string): void => (item(template, id).click as () => void)();

  it('has File, Training and Help', () => {
    expect(template.map((t) => t.label ?? t.role)).toEqual(['File', 'Training', 'editMenu', 'View', 'Help']);
    expect(buildMenuTemplate(actions, 'darwin')[0].role).toBe('appMenu');
  });

  it('binds Space, S and R to the training commands', () => {
    expect(item(template, 'start-pause').accelerator).toBe('Space');
    expect(item(template, 'step').accelerator).toBe('S');
    expect(item(template, 'reset').accelerator).toBe('R');
    // plain keys are shown but left to the page, which ignores them while a text field has the focus
    for (const id of ['start-pause', 'step', 'reset']) expect(item(template, id).registerAccelerator).toBe(false);
    expect(item(template, 'open-model').registerAccelerator).toBeUndefined();
    click('start-pause');
    click('step');
    click('reset');
    click('open-model');
    click('save-model');
    expect(actions.send.mock.calls.map((c) => c[0])).toEqual(['start-pause', 'step', 'reset', 'open-model', 'save-model']);
  });

  it('quits and opens the d2l chapter (an allow-listed link)', () => {
    click('quit');
    expect(actions.quit).toHaveBeenCalled();
    click('d2l');
    expect(actions.openExternal).toHaveBeenCalledWith(D2L_SOFTMAX_URL);
    expect(isAllowedExternalUrl(D2L_SOFTMAX_URL)).toBe(true);
  });
});

describe('menu language', () => {
  it('follows the UI language (简体中文)', () => {
    const zh = buildMenuTemplate({ send: vi.fn(), openExternal: vi.fn(), quit: vi.fn() }, 'linux', 'zh');
    expect(zh.map((t) => t.label ?? t.role)).toEqual(['文件', '训练', 'editMenu', '视图', '帮助']);
    expect(item(zh, 'step').label).toBe('单步');
    expect(item(zh, 'open-model').label).toBe('打开模型…');
  });

  it('offers the developer tools only when asked (development builds), never by default', () => {
    const actions = { send: () => undefined, openExternal: () => undefined, quit: () => undefined };
    expect(JSON.stringify(buildMenuTemplate(actions, 'linux', 'en'))).not.toContain('toggleDevTools');
    expect(JSON.stringify(buildMenuTemplate(actions, 'linux', 'en', true))).toContain('toggleDevTools');
  });
});
