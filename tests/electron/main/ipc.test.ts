// The typed IPC wrappers: messages from untrusted frames are dropped, arguments are validated with the
// contract's schemas before any handler runs, and handlers see typed, parsed values.

import { describe, expect, it, vi } from 'vitest';
import { encodeModelFile } from '../../../core/model-file';
import { NUM_PARAMS } from '../../../core/shapes';
import { DEFAULT_CONFIG } from '../../../core/train';
import { createTypedIpc, invokeArgSchemas } from '../../../electron/main/ipc';
import { FakeIpcMain, fakeIpcEvent } from '../../mocks/electron';

const app = fakeIpcEvent('app://renderer/index.html');
const evil = fakeIpcEvent('https://evil.example/');

function setup() {
  const ipcMain = new FakeIpcMain();
  const refused = vi.fn();
  const ipc = createTypedIpc(ipcMain, {}, refused);
  return { ipcMain, refused, ipc };
}

describe('createTypedIpc().handle', () => {
  it('runs the handler for our page with parsed arguments', async () => {
    const { ipcMain, ipc } = setup();
    const del = vi.fn(async (_ctx: unknown, id: string) => void id);
    ipc.handle('runs:delete', del);
    await ipcMain.invoke(app, 'runs:delete', 'run-1');
    expect(del).toHaveBeenCalledWith({ sender: app.sender }, 'run-1');
  });

  it('drops calls from an untrusted frame before the handler runs', async () => {
    const { ipcMain, ipc, refused } = setup();
    const list = vi.fn(() => []);
    ipc.handle('runs:list', list);
    await expect(ipcMain.invoke(evil, 'runs:list')).rejects.toThrow(/untrusted sender/);
    await expect(ipcMain.invoke(fakeIpcEvent(null), 'runs:list')).rejects.toThrow(/untrusted sender/);
    await expect(ipcMain.invoke(fakeIpcEvent('app://renderer/x', { parent: {} }), 'runs:list')).rejects.toThrow(/untrusted sender/);
    expect(list).not.toHaveBeenCalled();
    expect(refused).toHaveBeenCalledWith('runs:list', 'untrusted sender');
  });

  it('refuses invalid payloads with a reason, before the handler runs', async () => {
    const { ipcMain, ipc } = setup();
    const del = vi.fn();
    ipc.handle('runs:delete', del);
    await expect(ipcMain.invoke(app, 'runs:delete', '../../etc/passwd')).rejects.toThrow(/invalid arguments/);
    await expect(ipcMain.invoke(app, 'runs:delete')).rejects.toThrow(/invalid arguments/);
    await expect(ipcMain.invoke(app, 'runs:delete', 'a', 'extra')).rejects.toThrow(/invalid arguments/);
    expect(del).not.toHaveBeenCalled();
    const open = vi.fn();
    ipc.handle('shell:openExternal', open);
    await expect(ipcMain.invoke(app, 'shell:openExternal', 'x'.repeat(5000))).rejects.toThrow(/invalid arguments/);
    await expect(ipcMain.invoke(app, 'shell:openExternal', 42)).rejects.toThrow(/invalid arguments/);
    expect(open).not.toHaveBeenCalled();
  });

  it('validates a model with the model-file schema (a diverged model never reaches the handler)', async () => {
    const { ipcMain, ipc } = setup();
    const saveModel = vi.fn(() => ({ saved: false as const, reason: 'cancelled' as const }));
    ipc.handle('model:save', saveModel);
    const model = encodeModelFile(new Float32Array(NUM_PARAMS).fill(0.01), { ...DEFAULT_CONFIG }, null, '2026-11-25T10:00:00Z');
    await ipcMain.invoke(app, 'model:save', model);
    expect(saveModel).toHaveBeenCalledTimes(1);
    const W = [...model.W];
    W[3] = Number.NaN;
    await expect(ipcMain.invoke(app, 'model:save', { ...model, W })).rejects.toThrow(/invalid arguments/);
    await expect(ipcMain.invoke(app, 'model:save', { ...model, W: W.slice(0, 10) })).rejects.toThrow(/invalid arguments/);
    expect(saveModel).toHaveBeenCalledTimes(1);
  });

  it('checks an export is what it claims to be before the handler runs', async () => {
    const { ipcMain, ipc } = setup();
    const saveExport = vi.fn(() => ({ saved: false as const, reason: 'cancelled' as const }));
    ipc.handle('export:save', saveExport);
    await ipcMain.invoke(app, 'export:save', { format: 'csv', name: 'curves.csv', data: 'a,b\r\n' });
    await ipcMain.invoke(app, 'export:save', { format: 'npz', name: 'model.npz', data: new Uint8Array([0x50, 0x4b, 3, 4, 0]) });
    expect(saveExport).toHaveBeenCalledTimes(2);
    for (const bad of [
      { format: 'csv', name: '../../.bashrc.csv', data: 'x' }, // a path, not a name
      { format: 'csv', name: 'curves.txt', data: 'x' }, // the wrong extension
      { format: 'npz', name: 'model.npz', data: 'PK' }, // text where bytes belong
      { format: 'npz', name: 'model.npz', data: new Uint8Array([1, 2, 3, 4]) }, // not a ZIP
      { format: 'onnx', name: 'model.onnx', data: new Uint8Array([0x50, 0x4b]) }, // not a ModelProto
      { format: 'report', name: 'report.html', data: '<script>alert(1)</script>' }, // not a report
      { format: 'exe', name: 'x.exe', data: 'MZ' },
      { format: 'csv', name: 'a.csv', data: 'x', path: '/etc/passwd' }, // no extra fields
    ]) await expect(ipcMain.invoke(app, 'export:save', bad), JSON.stringify(bad)).rejects.toThrow(/invalid arguments/);
    expect(saveExport).toHaveBeenCalledTimes(2);
  });

  it('has a schema for every invoke channel of the contract', () => {
    expect(Object.keys(invokeArgSchemas).sort()).toEqual(['dataset:pickFolder', 'export:save', 'model:open', 'model:save', 'runs:delete', 'runs:list', 'runs:openWeights', 'shell:openExternal', 'trainer:restart']);
    expect(invokeArgSchemas['shell:openExternal'].safeParse(['x'.repeat(5000)]).success).toBe(false);
  });
});

describe('createTypedIpc().on', () => {
  it('delivers sends from our page and drops the rest', () => {
    const { ipcMain, ipc, refused } = setup();
    const connect = vi.fn();
    ipc.on('trainer:connect', connect);
    ipcMain.send(app, 'trainer:connect');
    ipcMain.send(evil, 'trainer:connect');
    ipcMain.send(app, 'trainer:connect', 'unexpected');
    expect(connect).toHaveBeenCalledTimes(1);
    expect(refused).toHaveBeenCalledTimes(2);
  });
});

describe('ui:language', () => {
  it('accepts the two UI languages and refuses anything else', () => {
    const { ipcMain, ipc, refused } = setup();
    const setLanguage = vi.fn();
    ipc.on('ui:language', setLanguage);
    ipcMain.send(app, 'ui:language', 'zh');
    ipcMain.send(app, 'ui:language', 'fr');
    ipcMain.send(app, 'ui:language');
    expect(setLanguage.mock.calls).toEqual([[{ sender: app.sender }, 'zh']]);
    expect(refused).toHaveBeenCalledTimes(2);
  });
});
