// @vitest-environment jsdom
// The web bridge with a fake Worker: commands become validated ToTrainer messages, valid trainer messages
// become events (invalid ones are dropped), requests get their validated replies, a worker crash becomes a
// 'crashed' event (pending requests fail, the run under way is stored as crashed) and Restart makes a new
// worker and reloads the dataset; run records the session sends are stored in localStorage.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createRunStorage, createWebBridge, MAX_STORED_RUNS, MAX_STORED_WEIGHTS, RUNS_STORAGE_KEY, runKey, weightsKey } from '../../../renderer/bridge/web-bridge';
import { toTrainerSchema, type LabEvent } from '../../../common/contract';
import { makeRunRecord } from '../../fixtures/run-record';
import { runModelFile, stringifyModelFile } from '../../../core/model-file';

class FakeWorker {
  sent: unknown[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: ErrorEvent) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  constructor(readonly datasetBase: string) {}
  postMessage(msg: unknown): void {
    this.sent.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
}

let workers: FakeWorker[];
// Storage work is deferred to a task of its own; `later` queues it here, and flush() runs it.
let deferred: (() => void)[] = [];
const flush = (): void => deferred.splice(0).forEach((fn) => fn());
const make = () => createWebBridge({ createWorker: (base) => { const w = new FakeWorker(base); workers.push(w); return w as unknown as Worker; }, later: (fn) => deferred.push(fn) });

beforeEach(() => {
  workers = [];
  deferred = [];
  localStorage.clear();
});

const RUN = makeRunRecord();
const W = new Float32Array(7850).fill(0.01);
const W2 = new Float32Array(7850).fill(-0.02);
const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('web bridge', () => {
  it('sends valid trainer messages and passes trainer events on', () => {
    const api = make();
    expect(api.platform).toBe('web');
    expect(workers[0].datasetBase).toMatch(/\/dataset\/$/);
    const events: LabEvent[] = [];
    api.onEvent((e) => events.push(e));
    api.loadDataset();
    api.startTraining();
    api.setLearningRate(0.5);
    api.configure({ epochs: 2, lr: 0.2 });
    api.setPace(60);
    api.pause();
    api.reset(3);
    for (const m of workers[0].sent) expect(toTrainerSchema.safeParse(m).success, JSON.stringify(m)).toBe(true);
    expect(workers[0].sent).toContainEqual({ kind: 'configure', patch: { epochs: 2, lr: 0.2 } });
    workers[0].reply({ kind: 'error', message: 'nope' });
    workers[0].reply({ kind: 'weights', weights: new Float32Array(3), epochProgress: 0 }); // wrong size: dropped
    workers[0].reply({ kind: 'launch' });
    expect(events).toEqual([{ kind: 'error', message: 'nope' }]);
  });

  it('runs and stops sweeps in the worker, and offers exports as downloads after the same checks main makes', async () => {
    const api = make();
    api.runSweep({ learningRates: [0.01, 0.1], epochs: 3 });
    api.stopSweep();
    expect(workers[0].sent.slice(-2)).toEqual([{ kind: 'sweep', learningRates: [0.01, 0.1], epochs: 3 }, { kind: 'stopSweep' }]);
    const clicked: { name: string; blob: Blob }[] = [];
    const blobs = new Map<string, Blob>();
    URL.createObjectURL = vi.fn((blob: Blob) => {
      const url = `blob:${blobs.size}`;
      blobs.set(url, blob);
      return url;
    });
    URL.revokeObjectURL = vi.fn();
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ name: this.download, blob: blobs.get(this.href) as Blob });
    });
    try {
      expect(await api.saveExport({ format: 'csv', name: 'curves.csv', data: 'a,b\r\n1,2\r\n' })).toEqual({ saved: true, path: 'curves.csv' });
      expect(await api.saveExport({ format: 'npz', name: 'm.npz', data: new Uint8Array([0x50, 0x4b, 3, 4, 9]) })).toEqual({ saved: true, path: 'm.npz' });
      expect(clicked.map((c) => [c.name, c.blob.type, c.blob.size])).toEqual([['curves.csv', 'text/csv;charset=utf-8', 10], ['m.npz', 'application/zip', 5]]);
      expect(new Uint8Array(await clicked[1].blob.arrayBuffer())).toEqual(new Uint8Array([0x50, 0x4b, 3, 4, 9]));
      const refused = await api.saveExport({ format: 'report', name: 'r.html', data: 'not html' });
      expect(refused).toMatchObject({ saved: false, reason: 'error' });
      expect(clicked).toHaveLength(2);
    } finally {
      click.mockRestore();
    }
  });

  it('answers requests with their replies, and fails them when the worker crashes', async () => {
    const api = make();
    const events: LabEvent[] = [];
    api.onEvent((e) => events.push(e));
    const p1 = api.request({ kind: 'getWeights' });
    const sent = workers[0].sent[0] as { id: number };
    workers[0].reply({ kind: 'reply', id: sent.id, ok: true, result: { weights: new Float32Array(7850) } });
    await expect(p1).resolves.toEqual({ weights: new Float32Array(7850) });
    const p0 = api.request({ kind: 'getWeights' });
    workers[0].reply({ kind: 'reply', id: (workers[0].sent[1] as { id: number }).id, ok: true, result: { weights: 'nope' } });
    await expect(p0).rejects.toThrow(/invalid result/);
    const p2 = api.request({ kind: 'getWeights' });
    let prevented = false;
    workers[0].onerror?.({ message: 'Uncaught RangeError: out of memory', preventDefault: () => { prevented = true; } } as ErrorEvent);
    await expect(p2).rejects.toThrow(/out of memory/);
    expect(prevented).toBe(true);
    expect(workers[0].terminated).toBe(true);
    expect(events).toEqual([{ kind: 'crashed', reason: 'the trainer worker crashed: Uncaught RangeError: out of memory', exitCode: null }]);
    await expect(api.request({ kind: 'getWeights' })).rejects.toThrow(/not running/);
    await tick();
    expect(events).toHaveLength(1);
  });

  it('Restart makes a new worker and loads the dataset from the same source again', async () => {
    const api = make();
    const files = { 'train-labels-idx1-ubyte': new Uint8Array([1, 2]) };
    api.loadDataset({ kind: 'bytes', files });
    workers[0].onerror?.({ message: 'x', preventDefault: () => undefined } as ErrorEvent);
    await api.restartTrainer();
    expect(workers).toHaveLength(2);
    expect(workers[1].sent).toEqual([{ kind: 'loadDataset', source: { kind: 'bytes', files } }]);
  });

  it('stores a run when it ends, after the message (never inside it), and a run cut by a crash as crashed', async () => {
    const api = make();
    const events: LabEvent[] = [];
    api.onEvent((e) => events.push(e));
    workers[0].reply({ kind: 'run', record: RUN, final: true, weights: W });
    workers[0].reply({ kind: 'run', record: { ...RUN, id: 'run-2', outcome: 'running', endedAt: null }, final: false, weights: W2 });
    expect(await api.listRuns()).toEqual([]); // nothing written inside the message handlers
    flush();
    await tick();
    expect(events.filter((e) => e.kind === 'historyChanged')).toHaveLength(1);
    // The checkpoint of the run under way stays in memory: only the finished run is stored.
    expect((await api.listRuns()).map((e) => (e.ok ? [e.run.id, e.run.outcome] : e.id))).toEqual([['run-1', 'done']]);
    workers[0].onerror?.({ message: 'boom', preventDefault: () => undefined } as ErrorEvent);
    flush();
    const cut = (await api.listRuns()).find((e) => e.ok && e.run.id === 'run-2');
    expect(cut).toMatchObject({ ok: true, hasWeights: true, run: { outcome: 'crashed', note: 'the trainer worker crashed: boom' } });
    // Its last weights can be opened again, as a validated model file.
    const opened = await api.openRunWeights('run-2');
    expect(opened.opened && opened.model.W.every((v) => Math.abs(v + 0.02) < 1e-9)).toBe(true);
    expect(await api.openRunWeights('nope')).toMatchObject({ opened: false, message: expect.stringMatching(/no weights/) });
  });

  it("stores the worker's model-file text for a finished run as it came, and the record, weights and refresh in three tasks", async () => {
    const api = make();
    const events: LabEvent[] = [];
    api.onEvent((e) => events.push(e));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const text = stringifyModelFile(runModelFile(RUN, W2, '2026-11-25T10:00:09.000Z'));
    workers[0].reply({ type: 'runModelFile', id: RUN.id, text }); // not a protocol message: not the client's
    workers[0].reply({ kind: 'run', record: RUN, final: true, weights: W });
    expect(deferred).toHaveLength(3);
    deferred.shift()?.();
    expect(localStorage.getItem(runKey(RUN.id))).not.toBeNull();
    expect(localStorage.getItem(weightsKey(RUN.id))).toBeNull();
    deferred.shift()?.();
    expect(localStorage.getItem(weightsKey(RUN.id))).toBe(text); // the worker's text, not one made here from W
    expect(events.some((e) => e.kind === 'historyChanged')).toBe(false);
    deferred.shift()?.();
    expect(events.filter((e) => e.kind === 'historyChanged')).toHaveLength(1);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    // A run the worker could not make a file for (text null) keeps no weights.
    workers[0].reply({ type: 'runModelFile', id: 'run-3', text: null });
    workers[0].reply({ kind: 'run', record: { ...RUN, id: 'run-3' }, final: true, weights: W });
    expect(deferred).toHaveLength(2);
    flush();
    expect(localStorage.getItem(weightsKey('run-3'))).toBeNull();
  });

  it('parses a stored record again only when its text changed', async () => {
    const runs = createRunStorage(localStorage);
    runs.save(RUN);
    runs.save({ ...RUN, id: 'run-2' });
    const first = runs.list();
    const second = runs.list();
    expect(second[0].ok && first[0].ok && second[0].run).toBe(first[0].ok && first[0].run); // the same parsed object
    runs.save({ ...RUN, id: 'run-2', note: 'changed' });
    const third = runs.list();
    expect(third.find((e) => e.ok && e.run.id === 'run-2')).toMatchObject({ ok: true, run: { note: 'changed' } });
    runs.saveWeights(RUN, W);
    expect(runs.list().find((e) => e.ok && e.run.id === RUN.id)).toMatchObject({ hasWeights: true });
  });

  it('lists the stored history newest first, unreadable entries as such, and deletes', async () => {
    const api = make();
    workers[0].reply({ kind: 'run', record: RUN, final: true, weights: W });
    workers[0].reply({ kind: 'run', record: { ...RUN, id: 'run-2' }, final: true, weights: W });
    flush();
    expect((await api.listRuns()).map((e) => (e.ok ? e.run.id : e.id))).toEqual(['run-2', 'run-1']);
    localStorage.setItem(RUNS_STORAGE_KEY, JSON.stringify([...JSON.parse(localStorage.getItem(RUNS_STORAGE_KEY) ?? '[]'), 'broken']));
    localStorage.setItem(runKey('broken'), JSON.stringify({ id: 'broken', config: 3 }));
    const listed = await api.listRuns();
    expect(listed[2]).toMatchObject({ ok: false, id: 'broken' });
    await api.deleteRun('run-2');
    expect((await api.listRuns()).map((e) => (e.ok ? e.run.id : e.id))).toEqual(['run-1', 'broken']);
    await expect(api.deleteRun('../etc')).rejects.toThrow();
    expect(await api.pickDatasetFolder()).toBeNull();
  });

  it('keeps at most MAX_STORED_RUNS runs and the weights of the newest MAX_STORED_WEIGHTS, and makes room when the storage is full', () => {
    const runs = createRunStorage(localStorage);
    for (let i = 0; i < MAX_STORED_RUNS + 3; i++) {
      const rec = { ...RUN, id: `r${i}` };
      runs.save(rec);
      runs.saveWeights(rec, W);
    }
    const ids = runs.list().map((e) => (e.ok ? e.run.id : e.id));
    expect(ids).toHaveLength(MAX_STORED_RUNS);
    expect(ids[0]).toBe(`r${MAX_STORED_RUNS + 2}`);
    expect(localStorage.getItem(runKey('r0'))).toBeNull();
    expect(runs.list().filter((e) => e.ok && e.hasWeights)).toHaveLength(MAX_STORED_WEIGHTS);
    // A full storage: the oldest runs go until the new one fits.
    const full = localStorage;
    const realSet = full.setItem.bind(full);
    let refusals = 2;
    const spy = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (this: Storage, k: string, v: string) {
      if (k === runKey('big') && refusals-- > 0) throw new DOMException('full', 'QuotaExceededError');
      realSet(k, v);
    });
    try {
      runs.save({ ...RUN, id: 'big' });
    } finally {
      spy.mockRestore();
    }
    const after = runs.list().map((e) => (e.ok ? e.run.id : e.id));
    expect(after[0]).toBe('big');
    expect(after).toHaveLength(MAX_STORED_RUNS - 1);
    expect(localStorage.getItem(weightsKey('big'))).toBeNull();
  });
});
