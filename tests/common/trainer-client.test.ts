// The one trainer client (common/trainer-client.ts), as the preload and the web bridge use it: commands
// queued until a port arrives, events kept for the first listener, every message validated (a diverging
// run's NaN loss is a valid number; a wrong-sized weight snapshot is not), replies matched to requests and
// their results validated, timeouts, a crash failing what is in flight, and a replacement process given
// the configuration the crashed one reported.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LabEvent, ToTrainer } from '../../common/contract';
import { TrainerClient } from '../../common/trainer-client';

const CONFIG = { epochs: 3, batchSize: 64, lr: 0.3, seed: 7, softmax: 'naive' as const, weightDecay: 0.002 };
const position = { epoch: 1, batch: 0, batchesPerEpoch: 10, batchesDone: 0, finished: false, diverged: false };

function setup(opts: ConstructorParameters<typeof TrainerClient>[0] = {}) {
  const invalid: string[] = [];
  const client = new TrainerClient({ onInvalid: (why) => invalid.push(why), ...opts });
  const sent: ToTrainer[] = [];
  const port = { postMessage: (m: ToTrainer) => sent.push(m), close: vi.fn() };
  return { client, verbs: client.verbs(), sent, port, invalid };
}

afterEach(() => vi.useRealTimers());

describe('TrainerClient', () => {
  it('queues commands until a port is attached, then sends them in order', () => {
    const { client, verbs, sent, port } = setup();
    verbs.loadDataset();
    verbs.startTraining({ epochs: 2 });
    verbs.setLearningRate(0.5);
    expect(sent).toEqual([]);
    client.attach(port);
    expect(sent).toEqual([{ kind: 'loadDataset', source: { kind: 'default' } }, { kind: 'start', config: { epochs: 2 } }, { kind: 'setLearningRate', lr: 0.5 }]);
  });

  it('sends an epoch step, and an lr change marked uncommitted only when asked (a gesture under way)', () => {
    const { client, verbs, sent, port } = setup();
    client.attach(port);
    verbs.stepEpoch();
    verbs.setLearningRate(0.2, { commit: false });
    verbs.setLearningRate(0.3, { commit: true });
    verbs.setLearningRate(0.4);
    expect(sent).toEqual([{ kind: 'stepEpoch' }, { kind: 'setLearningRate', lr: 0.2, commit: false }, { kind: 'setLearningRate', lr: 0.3 }, { kind: 'setLearningRate', lr: 0.4 }]);
    sent.length = 0;
    verbs.setWeightDecay(0.001, { commit: false });
    verbs.setWeightDecay(0.002);
    expect(sent).toEqual([{ kind: 'setWeightDecay', weightDecay: 0.001, commit: false }, { kind: 'setWeightDecay', weightDecay: 0.002 }]);
  });

  it('keeps events that arrive before anyone listens for the first listener', async () => {
    const { client, verbs } = setup();
    client.receive({ kind: 'error', message: 'early' });
    const events: LabEvent[] = [];
    verbs.onEvent((e) => events.push(e));
    await Promise.resolve();
    expect(events).toEqual([{ kind: 'error', message: 'early' }]);
  });

  it('validates every message: a NaN loss passes, a malformed message is dropped with a reason', () => {
    const { client, verbs, invalid } = setup();
    const events: LabEvent[] = [];
    verbs.onEvent((e) => events.push(e));
    client.receive({ kind: 'diverged', epoch: 1, batch: 3, loss: Number.NaN, lr: 10, message: 'loss became NaN' });
    client.receive({ kind: 'progress', batches: [{ epoch: 1, batch: 3, batchesPerEpoch: 10, epochProgress: 0.4, loss: Infinity, acc: 0, lr: 10, weightDecay: 0, size: 8 }] });
    client.receive({ kind: 'weights', weights: new Float32Array(10), epochProgress: 0 });
    client.receive({ kind: 'state', state: 'exploded', position, config: CONFIG, pace: null });
    client.receive(null);
    expect(events.map((e) => e.kind)).toEqual(['diverged', 'progress']);
    expect(invalid).toHaveLength(3);
    expect(invalid[0]).toMatch(/ignored an invalid message from the training process/);
  });

  it('matches replies to requests and validates their results', async () => {
    const { client, verbs, sent, port } = setup();
    client.attach(port);
    const weights = verbs.request({ kind: 'getWeights' });
    const bad = verbs.request({ kind: 'getWeights' });
    const failed = verbs.request({ kind: 'runSummary' });
    const [a, b, c] = sent.map((m) => (m.kind === 'request' ? m.id : -1));
    client.receive({ kind: 'reply', id: c, ok: false, error: 'the dataset is not loaded yet' });
    client.receive({ kind: 'reply', id: b, ok: true, result: { weights: new Float32Array(3) } });
    client.receive({ kind: 'reply', id: a, ok: true, result: { weights: new Float32Array(7850) } });
    await expect(weights).resolves.toEqual({ weights: new Float32Array(7850) });
    await expect(bad).rejects.toThrow(/invalid result/);
    await expect(failed).rejects.toThrow('the dataset is not loaded yet');
  });

  it('rejects a request the training process does not answer in time', async () => {
    vi.useFakeTimers();
    const { client, verbs, port } = setup({ requestTimeoutMs: 1000 });
    client.attach(port);
    const p = verbs.request({ kind: 'testPredictions' });
    const check = expect(p).rejects.toThrow(/did not answer 'testPredictions' within 1 s/);
    vi.advanceTimersByTime(1001);
    await check;
  });

  it('a crash fails requests in flight, refuses new ones, and the replacement gets the last config and pace', async () => {
    const { client, verbs, sent, port } = setup();
    const events: LabEvent[] = [];
    verbs.onEvent((e) => events.push(e));
    client.attach(port);
    client.receive({ kind: 'state', state: 'training', position, config: CONFIG, pace: 20 });
    const inFlight = verbs.request({ kind: 'getWeights' });
    client.crashed({ kind: 'crashed', reason: 'the training process crashed (exit code 139)', exitCode: 139 });
    await expect(inFlight).rejects.toThrow('exit code 139');
    await expect(verbs.request({ kind: 'getWeights' })).rejects.toThrow(/not running/);
    expect(port.close).toHaveBeenCalled();
    expect(events.map((e) => e.kind)).toEqual(['state', 'crashed']);
    sent.length = 0;
    verbs.loadDataset();
    client.attach(port);
    expect(sent).toEqual([{ kind: 'configure', patch: CONFIG }, { kind: 'setPace', batchesPerSecond: 20 }, { kind: 'loadDataset', source: { kind: 'default' } }]);
  });
});
