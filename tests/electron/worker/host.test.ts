// The utility-process host under plain Node with a fake parentPort: a run on a tiny synthetic dataset
// (progress, epochs, done, the lr each batch used), validation of every incoming message, dataset
// errors with the places looked in, late-connecting renderers, shutdown.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startWorkerHost, type WorkerHost } from '../../../electron/worker/host';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';
import { FakeParentPort, FakeRendererPort } from './fake-ports';

const hosts: WorkerHost[] = [];
afterEach(() => {
  for (const h of hosts.splice(0)) h.close();
});

function setup() {
  const root = mkdtempSync(join(tmpdir(), 'worker-host-'));
  const dataDir = join(root, 'data');
  writeFixtureDir(dataDir, { train: 96, test: 40 });
  const parent = new FakeParentPort();
  const exit = vi.fn();
  const host = startWorkerHost({ parentPort: parent, cacheDir: join(root, 'cache'), exit, session: { sliceMs: 4 } });
  hosts.push(host);
  const port = new FakeRendererPort();
  parent.connect(port);
  return { root, dataDir, parent, host, port, exit };
}

describe('worker host', () => {
  it('loads a dataset folder and trains to the end, streaming progress and epochs', async () => {
    const { dataDir, port } = setup();
    expect(port.started).toBe(true);
    port.send({ kind: 'loadDataset', source: { kind: 'dir', path: dataDir } });
    const ready = await port.next('ready');
    expect(ready.trainCount).toBe(96);
    expect(ready.testCount).toBe(40);
    expect(ready.source).toContain(dataDir);
    expect(port.kinds()).toContain('datasetProgress');
    port.send({ kind: 'start', config: { epochs: 2, batchSize: 16, lr: 0.5, seed: 3 } });
    const done = await port.next('done');
    expect(done.epochs).toBe(2);
    const epochs = port.received.filter((m) => m.kind === 'epoch');
    expect(epochs.map((e) => (e.kind === 'epoch' ? e.epoch : 0))).toEqual([1, 2]);
    const batches = port.received.flatMap((m) => (m.kind === 'progress' ? m.batches : []));
    expect(batches).toHaveLength(2 * 6);
    expect(batches.every((b) => b.lr === 0.5 && Number.isFinite(b.loss))).toBe(true);
    expect(port.received.some((m) => m.kind === 'weights' && m.weights instanceof Float32Array && m.weights.length === 7850)).toBe(true);
  });

  it('applies a learning-rate change from the next batch and reports it per batch', async () => {
    const { dataDir, port } = setup();
    port.send({ kind: 'loadDataset', source: { kind: 'dir', path: dataDir } });
    await port.next('ready');
    port.send({ kind: 'configure', patch: { epochs: 1, batchSize: 8 } });
    port.send({ kind: 'step' });
    port.send({ kind: 'setLearningRate', lr: 0.05 });
    port.send({ kind: 'step' });
    const lrs = (): number[] => port.received.flatMap((m) => (m.kind === 'progress' ? m.batches.map((b) => b.lr) : []));
    await vi.waitFor(() => expect(lrs()).toHaveLength(2));
    expect(lrs()).toEqual([0.1, 0.05]);
  });

  it('answers requests on the asking port', async () => {
    const { dataDir, port } = setup();
    port.send({ kind: 'loadDataset', source: { kind: 'dir', path: dataDir } });
    await port.next('ready');
    port.send({ kind: 'request', id: 7, request: { kind: 'predict', x: new Float32Array(784 * 2), n: 2 } });
    const reply = await port.next('reply', (m) => m.id === 7);
    expect(reply.ok).toBe(true);
    if (reply.ok) expect((reply.result as { probs: Float32Array }).probs).toHaveLength(20);
  });

  it('validates every message: bad ones get an error, bad requests a failed reply', async () => {
    const { port } = setup();
    port.send({ kind: 'setLearningRate', lr: Number.NaN });
    port.send({ kind: 'start', config: { epochs: 2, evil: true } });
    port.send({ kind: 'launchMissiles' });
    port.send('not even an object');
    port.send({ kind: 'request', id: 3, request: { kind: 'predict', x: [1, 2, 3], n: 1 } });
    const errors = port.received.filter((m) => m.kind === 'error');
    expect(errors).toHaveLength(4);
    for (const e of errors) if (e.kind === 'error') expect(e.message).toMatch(/invalid message to the trainer/);
    const reply = await port.next('reply', (m) => m.id === 3);
    expect(reply.ok).toBe(false);
  });

  it('reports a missing dataset with every place looked in and how to get the files', async () => {
    const { root, port } = setup();
    const empty = join(root, 'empty');
    port.send({ kind: 'loadDataset', source: { kind: 'dir', path: empty } });
    const err = await port.next('datasetError');
    expect(err.code).toBe('not-found');
    expect(err.lookedIn).toContain(empty);
    expect(err.help).toMatch(/apt install dataset-fashion-mnist/);
    expect(err.message).toContain(empty);
  });

  it('tells a renderer that connects late (or reloads) where things stand', async () => {
    const { dataDir, port, parent, host } = setup();
    port.send({ kind: 'loadDataset', source: { kind: 'dir', path: dataDir } });
    await port.next('ready');
    const late = new FakeRendererPort();
    parent.connect(late);
    expect(host.portCount).toBe(2);
    expect(late.kinds()).toEqual(['ready', 'state', 'weights']);
    port.close();
    expect(host.portCount).toBe(1);
  });

  it('exits cleanly on shutdown, closing its ports', () => {
    const { parent, port, exit } = setup();
    parent.shutdown();
    expect(exit).toHaveBeenCalledWith(0);
    expect(port.closed).toBe(true);
  });
});
