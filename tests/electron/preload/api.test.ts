// The preload's LabApi over a fake ipcRenderer and a real MessageChannel (Node's, same API as the DOM's):
// commands queue until the port arrives, requests resolve by id or time out, events reach subscribers
// (who can unsubscribe), crashes fail pending requests, and no IPC event object ever reaches a listener.

import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLabApi, type IpcRendererLike, type RendererPort } from '../../../electron/preload/api';
import type { LabEvent, ToTrainer } from '../../../common/contract';

class FakeIpcRenderer extends EventEmitter implements IpcRendererLike {
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  readonly sent: { channel: string; args: unknown[] }[] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve(channel === 'runs:list' ? [] : null);
  }
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  /** Main hands over a port (with an IpcRendererEvent-like first argument). */
  givePort(port: MessagePort): void {
    this.emit('trainer:port', { ports: [port as unknown as RendererPort], sender: this, secret: 'IpcRendererEvent' }, null);
  }
}

const ports: MessagePort[] = [];
afterEach(() => {
  for (const p of ports.splice(0)) p.close();
});

function setup(requestTimeoutMs = 2000) {
  const ipc = new FakeIpcRenderer();
  const api = createLabApi(ipc, { requestTimeoutMs });
  const channel = new MessageChannel();
  ports.push(channel.port1, channel.port2);
  const trainer = channel.port2; // the utility process's end
  const toTrainer: ToTrainer[] = [];
  trainer.on('message', (m: ToTrainer) => toTrainer.push(m));
  return { ipc, api, channel, trainer, toTrainer };
}

const until = (pred: () => boolean): Promise<void> => vi.waitFor(() => expect(pred()).toBe(true), { timeout: 2000 });

describe('createLabApi', () => {
  it('asks main for a port at once, and queues commands until it arrives', async () => {
    const { ipc, api, channel, toTrainer } = setup();
    expect(ipc.sent).toEqual([{ channel: 'trainer:connect', args: [] }]);
    expect(api.platform).toBe('electron');
    api.loadDataset();
    api.startTraining({ epochs: 3 });
    api.setLearningRate(0.2);
    ipc.givePort(channel.port1);
    api.pause();
    await until(() => toTrainer.length === 4);
    expect(toTrainer).toEqual([
      { kind: 'loadDataset', source: { kind: 'default' } },
      { kind: 'start', config: { epochs: 3 } },
      { kind: 'setLearningRate', lr: 0.2 },
      { kind: 'pause' },
    ]);
  });

  it('maps every verb to its trainer message', async () => {
    const { ipc, api, channel, toTrainer } = setup();
    ipc.givePort(channel.port1);
    api.startTraining();
    api.resume();
    api.step();
    api.stop();
    api.reset(5);
    api.reset();
    api.configure({ batchSize: 64 });
    api.setPace(null);
    api.loadDataset({ kind: 'dir', grant: 'b'.repeat(32) });
    api.runSweep({ learningRates: [0.01, 0.1], epochs: 3 });
    api.stopSweep();
    await until(() => toTrainer.length === 11);
    expect(toTrainer.map((m) => m.kind)).toEqual(['start', 'resume', 'step', 'stop', 'reset', 'reset', 'configure', 'setPace', 'loadDataset', 'sweep', 'stopSweep']);
    expect(toTrainer[9]).toEqual({ kind: 'sweep', learningRates: [0.01, 0.1], epochs: 3 });
    expect(toTrainer[4]).toEqual({ kind: 'reset', seed: 5 });
    expect(toTrainer[5]).toEqual({ kind: 'reset' });
  });

  it('delivers trainer events (plain data only) until unsubscribed', async () => {
    const { ipc, api, channel, trainer } = setup();
    ipc.givePort(channel.port1);
    const events: unknown[][] = [];
    const off = api.onEvent((...args: unknown[]) => events.push(args));
    trainer.postMessage({ kind: 'progress', batches: [] });
    await until(() => events.length === 1);
    expect(events[0]).toEqual([{ kind: 'progress', batches: [] }]); // one argument, no IPC event
    off();
    trainer.postMessage({ kind: 'done', epochs: 1, trainLoss: 1, trainAcc: 1, testAcc: 1 });
    await new Promise((r) => setTimeout(r, 30));
    expect(events).toHaveLength(1);
  });

  it('resolves and rejects requests by id, and times out', async () => {
    const { ipc, api, channel, trainer, toTrainer } = setup(150);
    ipc.givePort(channel.port1);
    trainer.on('message', (m: ToTrainer) => {
      if (m.kind !== 'request') return;
      if (m.request.kind === 'getWeights') trainer.postMessage({ kind: 'reply', id: m.id, ok: true, result: { weights: new Float32Array(7850) } });
      if (m.request.kind === 'runSummary') trainer.postMessage({ kind: 'reply', id: m.id, ok: false, error: 'the dataset is not loaded yet' });
    });
    const w = await api.request({ kind: 'getWeights' });
    expect(w.weights).toBeInstanceOf(Float32Array);
    await expect(api.request({ kind: 'runSummary' })).rejects.toThrow('the dataset is not loaded yet');
    await expect(api.request({ kind: 'testPredictions' })).rejects.toThrow(/did not answer 'testPredictions'/);
    const ids = toTrainer.filter((m) => m.kind === 'request').map((m) => (m.kind === 'request' ? m.id : -1));
    expect(new Set(ids).size).toBe(3);
  });

  it('reports a crash as an event and fails pending requests', async () => {
    const { ipc, api, channel } = setup();
    ipc.givePort(channel.port1);
    const events: LabEvent[] = [];
    api.onEvent((e) => events.push(e));
    const pending = api.request({ kind: 'getWeights' });
    ipc.emit('trainer:crashed', { sender: 'IpcRendererEvent' }, { kind: 'crashed', reason: 'the training process crashed (exit code 139)', exitCode: 139 });
    await expect(pending).rejects.toThrow(/crashed/);
    expect(events).toEqual([{ kind: 'crashed', reason: 'the training process crashed (exit code 139)', exitCode: 139 }]);
  });

  it('uses typed invokes for files, dialogs and restarts', async () => {
    const { ipc, api } = setup();
    await api.listRuns();
    await api.deleteRun('r1');
    await api.openExternal('https://d2l.ai/');
    await api.restartTrainer();
    await api.pickDatasetFolder();
    const file = { format: 'csv' as const, name: 'curves.csv', data: 'a\r\n' };
    await api.saveExport(file);
    expect(ipc.invoked.map((i) => [i.channel, ...i.args])).toEqual([['runs:list'], ['runs:delete', 'r1'], ['shell:openExternal', 'https://d2l.ai/'], ['trainer:restart'], ['dataset:pickFolder'], ['export:save', file]]);
  });

  it('relays menu commands without the IPC event', () => {
    const { ipc, api } = setup();
    const cmds: unknown[][] = [];
    const off = api.onMenuCommand((...args: unknown[]) => cmds.push(args));
    ipc.emit('menu:command', { sender: 'IpcRendererEvent' }, 'step');
    off();
    ipc.emit('menu:command', { sender: 'IpcRendererEvent' }, 'reset');
    expect(cmds).toEqual([['step']]);
  });

  it('tells main the UI language so the native menu follows it', () => {
    const { ipc, api } = setup();
    api.setLanguage('zh');
    expect(ipc.sent.at(-1)).toEqual({ channel: 'ui:language', args: ['zh'] });
  });

  it('keeps events that arrive before the first listener and hands them to it, once', async () => {
    const { ipc, api, channel, trainer } = setup();
    ipc.givePort(channel.port1);
    trainer.postMessage({ kind: 'datasetProgress', progress: { phase: 'locating' } });
    trainer.postMessage({ kind: 'error', message: 'early' });
    await new Promise((r) => setTimeout(r, 30));
    const first: string[] = [];
    api.onEvent((e) => first.push(e.kind));
    await until(() => first.length === 2);
    expect(first).toEqual(['datasetProgress', 'error']);
    const second: string[] = [];
    api.onEvent((e) => second.push(e.kind));
    trainer.postMessage({ kind: 'error', message: 'later' });
    await until(() => second.length === 1);
    expect(first).toEqual(['datasetProgress', 'error', 'error']);
  });
});
