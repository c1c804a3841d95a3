// The one trainer host (common/trainer-host.ts) over Node's MessageChannel with the utility process's real
// dataset loader (node/data): a run on a tiny IDX fixture (progress, epochs, done, its run record), the lr
// each batch used, replies to the asking view only, validation of every message, dataset errors with the
// places looked in, late-connecting views. The web page runs the same host (tests/e2e drive it in Chromium).

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FromTrainer, RunRecord } from '../../common/contract';
import { createTrainerHost, type TrainerHost, type TrainerPort } from '../../common/trainer-host';
import { createNodeDatasetLoader, NODE_DATASET_HELP } from '../../electron/worker/dataset';
import { separableSplit, splitToIdx, writeFixtureDir } from '../fixtures/fashion-fixture';
import { createKernelPool, type KernelPool } from '../../core/kernels/pool';
import { createKernels } from '../../core/kernels/registry';

type Kind = FromTrainer['kind'];

/** The view's end of a MessageChannel: what it sent and received. */
class View {
  readonly received: FromTrainer[] = [];
  constructor(readonly port: MessagePort) {
    port.on('message', (m: FromTrainer) => this.received.push(m));
  }
  send(msg: unknown): void {
    this.port.postMessage(msg);
  }
  kinds(): Kind[] {
    return this.received.map((m) => m.kind);
  }
  async next<K extends Kind>(kind: K, pred: (m: Extract<FromTrainer, { kind: K }>) => boolean = () => true): Promise<Extract<FromTrainer, { kind: K }>> {
    let found: Extract<FromTrainer, { kind: K }> | undefined;
    await vi.waitFor(() => {
      found = this.received.find((m): m is Extract<FromTrainer, { kind: K }> => m.kind === kind && pred(m as Extract<FromTrainer, { kind: K }>));
      expect(found, `waiting for ${kind}; got ${this.kinds().join(',')}`).toBeDefined();
    }, { timeout: 20_000, interval: 5 });
    return found as Extract<FromTrainer, { kind: K }>;
  }
}

/** The host's end, adapted the way the utility-process entry adapts a MessagePortMain. */
function adapt(port: MessagePort): TrainerPort {
  return {
    postMessage: (m, transfer) => port.postMessage(m, transfer ?? []),
    onMessage: (l) => void port.on('message', l),
    onClose: (l) => void port.on('close', l),
    close: () => port.close(),
  };
}

const hosts: TrainerHost[] = [];
const views: View[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) h.close();
  for (const v of views.splice(0)) v.port.close();
});

function setup(extra: Partial<Parameters<typeof createTrainerHost>[0]> = {}) {
  const root = mkdtempSync(join(tmpdir(), 'trainer-host-'));
  const dataDir = join(root, 'data');
  writeFixtureDir(dataDir, { train: 96, test: 40, gzip: true });
  const records: { record: RunRecord; final: boolean; weights: Float32Array }[] = [];
  // Folder grants as main issues them: the host reads only these folders.
  const grants = new Map<string, string>();
  const grant = (path: string): string => {
    const g = (grants.size + 1).toString(16).padStart(32, '0');
    grants.set(g, path);
    return g;
  };
  const host = createTrainerHost({
    loadDataset: createNodeDatasetLoader(join(root, 'cache'), (g) => grants.get(g) ?? null),
    datasetHelp: NODE_DATASET_HELP,
    schedule: (fn, ms) => (ms <= 0 ? setImmediate(fn) : setTimeout(fn, ms)),
    now: () => performance.now(),
    session: { sliceMs: 4 },
    onRunRecord: (record, final, weights) => records.push({ record, final, weights }),
    ...extra,
  });
  hosts.push(host);
  const connect = (): View => {
    const { port1, port2 } = new MessageChannel();
    host.connect(adapt(port1));
    const view = new View(port2);
    views.push(view);
    return view;
  };
  return { root, dataDir, host, connect, view: connect(), records, grant };
}

describe('trainer host', () => {
  it('loads a dataset folder and trains to the end, streaming progress, epochs and the run record', async () => {
    const { dataDir, view, records, grant } = setup();
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
    const ready = await view.next('ready');
    expect(ready).toMatchObject({ trainCount: 96, testCount: 40 });
    expect(ready.source).toContain(dataDir);
    expect(view.kinds()).toContain('datasetProgress');
    view.send({ kind: 'start', config: { epochs: 2, batchSize: 16, lr: 0.5, seed: 3 } });
    const done = await view.next('done');
    expect(done.epochs).toBe(2);
    const epochs = view.received.filter((m) => m.kind === 'epoch');
    expect(epochs.map((e) => (e.kind === 'epoch' ? e.epoch : 0))).toEqual([1, 2]);
    const batches = view.received.flatMap((m) => (m.kind === 'progress' ? m.batches : []));
    expect(batches).toHaveLength(2 * 6);
    expect(batches.every((b) => b.lr === 0.5 && Number.isFinite(b.loss))).toBe(true);
    expect(view.received.some((m) => m.kind === 'weights' && m.weights instanceof Float32Array && m.weights.length === 7850)).toBe(true);
    // The record: a checkpoint per epoch, then the final one, to the views and to onRunRecord alike.
    const final = await view.next('run', (m) => m.final);
    expect(final.record).toMatchObject({ outcome: 'done', batchesDone: 12, config: { epochs: 2, batchSize: 16, lr: 0.5, seed: 3 } });
    expect(final.record.epochs).toHaveLength(2);
    expect(final.record.final?.testAcc).toBe(epochs[1]?.kind === 'epoch' ? epochs[1].testAcc : NaN);
    expect(records.map((r) => [r.record.outcome, r.final])).toEqual([['running', false], ['running', false], ['done', true]]);
    const last = view.received.filter((m) => m.kind === 'weights').at(-1);
    expect(records[2]!.weights).toEqual(last?.kind === 'weights' ? last.weights : null); // the weights the run ended with
  });

  it('applies a learning-rate change from the next batch, and records it', async () => {
    const { dataDir, view, grant } = setup();
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
    await view.next('ready');
    view.send({ kind: 'configure', patch: { epochs: 1, batchSize: 8 } });
    view.send({ kind: 'step' });
    view.send({ kind: 'setLearningRate', lr: 0.05 });
    view.send({ kind: 'step' });
    const lrs = (): number[] => view.received.flatMap((m) => (m.kind === 'progress' ? m.batches.map((b) => b.lr) : []));
    await vi.waitFor(() => expect(lrs()).toHaveLength(2));
    expect(lrs()).toEqual([0.1, 0.05]);
    view.send({ kind: 'stop' });
    const run = await view.next('run', (m) => m.final);
    expect(run.record).toMatchObject({ outcome: 'stopped', note: 'stopped by the user', batchesDone: 2 });
    expect(run.record.lrChanges).toEqual([{ batchesDone: 1, epochProgress: 1 / 12, from: 0.1, to: 0.05 }]);
    expect((await view.next('state', (m) => m.state === 'stopped')).config.lr).toBe(0.05);
  });

  it('answers a request on the asking view only, with its buffers', async () => {
    const { dataDir, view, connect, grant } = setup();
    const other = connect();
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
    await view.next('ready');
    view.send({ kind: 'request', id: 7, request: { kind: 'predict', x: new Float32Array(784 * 2), n: 2 } });
    const reply = await view.next('reply', (m) => m.id === 7);
    expect(reply.ok).toBe(true);
    if (reply.ok) expect((reply.result as { probs: Float32Array }).probs).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 20));
    expect(other.kinds()).not.toContain('reply');
  });

  it('validates every message: bad ones get an error, bad requests a failed reply, on the sender only', async () => {
    const { view, connect } = setup();
    const other = connect();
    view.send({ kind: 'setLearningRate', lr: Number.NaN });
    view.send({ kind: 'setLearningRate', lr: 5000 });
    view.send({ kind: 'start', config: { epochs: 2, evil: true } });
    view.send({ kind: 'launchMissiles' });
    view.send('not even an object');
    view.send({ kind: 'loadDataset', source: { kind: 'bytes', files: { 'train-images-idx3-ubyte': 'text' } } });
    view.send({ kind: 'request', id: 3, request: { kind: 'predict', x: [1, 2, 3], n: 1 } });
    const reply = await view.next('reply', (m) => m.id === 3);
    expect(reply.ok).toBe(false);
    const errors = view.received.filter((m) => m.kind === 'error');
    expect(errors).toHaveLength(6);
    for (const e of errors) if (e.kind === 'error') expect(e.message).toMatch(/refused an invalid message to the trainer/);
    expect(other.kinds()).toEqual([]);
  });

  it('reports a missing dataset with every place looked in and how to get the files', async () => {
    const { root, view, grant } = setup();
    const empty = join(root, 'empty');
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(empty) } });
    const err = await view.next('datasetError');
    expect(err.code).toBe('not-found');
    expect(err.lookedIn).toContain(empty);
    expect(err.help).toMatch(/apt install dataset-fashion-mnist/);
    expect(err.message).toContain(empty);
  });

  it('reads a folder only by a grant main issued: any other string is refused, the same way whatever it names', async () => {
    const { dataDir, view } = setup();
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: 'f'.repeat(32) } });
    const err = await view.next('datasetError');
    expect(err).toMatchObject({ code: 'unsupported', lookedIn: [] });
    expect(err.message).not.toContain(dataDir);
    view.send({ kind: 'loadDataset', source: { kind: 'dir', path: dataDir } });
    await view.next('error', (m) => /refused an invalid message/.test(m.message));
  });

  it('loads picked bytes (gzipped or not) through the same decoder, naming missing files', async () => {
    const { dataDir, view } = setup();
    const { readFileSync } = await import('node:fs');
    const files = Object.fromEntries(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte'].map((n) => [n, new Uint8Array(readFileSync(join(dataDir, `${n}.gz`)))]));
    view.send({ kind: 'loadDataset', source: { kind: 'bytes', files } });
    const err = await view.next('datasetError');
    expect(err.message).toBe('missing t10k-labels-idx1-ubyte');
    files['t10k-labels-idx1-ubyte'] = new Uint8Array(readFileSync(join(dataDir, 't10k-labels-idx1-ubyte.gz')));
    view.send({ kind: 'loadDataset', source: { kind: 'bytes', files } });
    expect(await view.next('ready')).toMatchObject({ trainCount: 96, source: 'the files you picked' });
  });

  it('loads the images into the kernels\' memory when given allocate, trains to the same numbers, and keeps that dataset when a later load fails', async () => {
    const run = async (inMemory: boolean): Promise<{ loss: number; asked: number[]; placed: number }> => {
      const pool = createKernelPool(null, { datasets: true }) as KernelPool;
      const asked: number[] = [];
      let placed = 0;
      const { dataDir, view, grant } = setup(inMemory ? {
        kernelMemory: () => ({
          allocate: (bytes: number) => {
            asked.push(bytes);
            const b = pool.allocate(bytes);
            if (b) placed++;
            return b;
          },
          addressOf: (bytes: Uint8Array) => pool.addressOf(bytes),
        }),
        createKernels: (n) => createKernels('fast', n, pool),
      } : { createKernels: (n) => createKernels('fast', n, pool) });
      view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
      await view.next('ready');
      if (inMemory) expect([asked.length, placed]).toEqual([2, 2]); // the two images files, in the memory
      if (inMemory) {
        // A second load that fails (a truncated gzip) after its first images file went into the memory:
        // the error is told, and the dataset in use is the first one still.
        const [trI, trL] = splitToIdx(separableSplit(20, 5));
        const [teI, teL] = splitToIdx(separableSplit(8, 6));
        view.send({ kind: 'loadDataset', source: { kind: 'bytes', files: { 'train-images-idx3-ubyte': gzipSync(trI), 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': gzipSync(teI).subarray(0, 30), 't10k-labels-idx1-ubyte': teL } } });
        expect((await view.next('datasetError')).code).toBe('truncated');
      }
      view.send({ kind: 'start', config: { epochs: 2, batchSize: 16, lr: 0.5, seed: 3 } });
      const done = await view.next('done');
      const last = view.received.filter((m) => m.kind === 'epoch').pop();
      expect(done.epochs).toBe(2);
      return { loss: last?.kind === 'epoch' ? last.trainLoss : NaN, asked, placed };
    };
    const copied = await run(false);
    const there = await run(true);
    // The failed load asked for its two images files: its train images no longer fit (the memory holds
    // one dataset; they would have gone to an ordinary buffer), its test images got a region of their own.
    expect([there.asked.length, there.placed]).toEqual([4, 3]);
    expect(there.loss).toBe(copied.loss); // bit for bit: the 96 training rows, not the failed load's 20
  });

  it('a dataset that loads into ordinary buffers over one in the kernels\' memory takes over its region: one dataset held, the new numbers', async () => {
    const trainAt = async (extra: Parameters<typeof setup>[0], files: Record<string, Uint8Array>, first: boolean, check?: () => void): Promise<number> => {
      const { dataDir, view, grant } = setup(extra);
      if (first) {
        view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
        await view.next('ready');
      }
      view.send({ kind: 'loadDataset', source: { kind: 'bytes', files } });
      await view.next('ready', (m) => m.source === 'the files you picked');
      check?.();
      view.send({ kind: 'start', config: { epochs: 2, batchSize: 16, lr: 0.5, seed: 3 } });
      await view.next('done');
      const last = view.received.filter((m) => m.kind === 'epoch').pop();
      return last?.kind === 'epoch' ? last.trainLoss : NaN;
    };
    // A second dataset of the first one's sizes (96 and 40 images), given as picked files.
    const train = separableSplit(96, 11);
    const test = separableSplit(40, 12);
    const [trI, trL] = splitToIdx(train);
    const [teI, teL] = splitToIdx(test);
    const files = { 'train-images-idx3-ubyte': gzipSync(trI), 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': teI, 't10k-labels-idx1-ubyte': teL };
    const pool = createKernelPool(null, { datasets: true }) as KernelPool;
    let regions = 0;
    const first: Uint8Array[] = [];
    const memory = {
      // room for one dataset, as the 64 MiB are for Fashion-MNIST's
      allocate: (bytes: number) => {
        if (regions === 2) return null;
        regions++;
        const b = pool.allocate(bytes);
        if (b) first.push(b);
        return b;
      },
      addressOf: (bytes: Uint8Array) => pool.addressOf(bytes),
    };
    const kernelMemory = () => memory;
    const there = await trainAt({ kernelMemory, createKernels: (n) => createKernels('fast', n, pool) }, files, true, () => {
      // the first dataset's regions (train images, then test images, each after its IDX file's 16-byte
      // header) now hold the second one's images
      expect(first).toHaveLength(2);
      expect(Buffer.from(first[0].subarray(16, 16 + 96 * 784)).equals(Buffer.from(train.images))).toBe(true);
      expect(Buffer.from(first[1].subarray(16, 16 + 40 * 784)).equals(Buffer.from(test.images))).toBe(true);
    });
    const alone = await trainAt({ createKernels: (n) => createKernels('fast', n, createKernelPool(null, { datasets: true })) }, files, false);
    expect(there).toBe(alone); // bit for bit: the second dataset's run, read from the first one's region
  });

  it('tells a view that connects late (or reloads) where things stand', async () => {
    const { dataDir, view, connect, host, grant } = setup();
    view.send({ kind: 'loadDataset', source: { kind: 'dir', grant: grant(dataDir) } });
    await view.next('ready');
    const late = connect();
    expect(host.portCount).toBe(2);
    await vi.waitFor(() => expect(late.kinds()).toEqual(['ready', 'state', 'weights']));
    view.port.close();
    await vi.waitFor(() => expect(host.portCount).toBe(1));
  });
});
