// @vitest-environment jsdom
// The store's module-level actions and the bridge wire with a fake window.api: state transitions
// (loading → idle → training → paused → done / diverged / stopped, crash), nothing echoed back after
// 'ready' (the session owns the configuration), the big button's verb per state, the history listed again
// when the side that stores says so, per-batch points batched per frame and kept in order with other events.

import { beforeEach, describe, expect, it, vi } from 'vitest';
import { useLab } from '../../../renderer/store';
import { applyBatches, applyEvent, configureRun, openModel, resetRun, setLearningRate, setPace, setWeightDecay, startPauseResume } from '../../../renderer/store/actions';
import { wireBridge, FLUSH_INTERVAL_MS, WEIGHTS_INTERVAL_MS, type FrameScheduler } from '../../../renderer/store/wire';
import { batch, CONFIG, installFakeApi, position, type FakeApi } from '../fake-api';

let api: FakeApi;

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
});

const ready = () => applyEvent({ kind: 'ready', trainCount: 60000, testCount: 10000, source: '/data', config: { ...CONFIG }, kernel: 'fast' });

describe('actions', () => {
  it('goes from loading to ready, and reports dataset progress and errors', () => {
    expect(useLab.getState().run.state).toBe('loading');
    applyEvent({ kind: 'datasetProgress', progress: { phase: 'downloading', bytes: 10, total: 100, fraction: 0.1 } });
    expect(useLab.getState().dataset).toMatchObject({ status: 'loading', progress: { fraction: 0.1 } });
    applyEvent({ kind: 'datasetError', message: 'not found', code: 'not-found', lookedIn: ['/a'], help: 'apt' });
    expect(useLab.getState().dataset).toMatchObject({ status: 'error', error: { lookedIn: ['/a'], help: 'apt' } });
    ready();
    applyEvent({ kind: 'state', state: 'idle', position: position(), config: { ...CONFIG }, pace: null });
    expect(useLab.getState().dataset).toMatchObject({ status: 'ready', error: null, info: { trainCount: 60000, kernel: 'fast' } });
    expect(useLab.getState().run.state).toBe('idle');
  });

  it('after ready, sends nothing back: the session owns the configuration and the renderer shows it', () => {
    ready();
    applyEvent({ kind: 'state', state: 'idle', position: position(), config: { ...CONFIG, epochs: 2, lr: 0.5 }, pace: 60 });
    expect(api.configure).not.toHaveBeenCalled();
    expect(api.setLearningRate).not.toHaveBeenCalled();
    expect(api.setPace).not.toHaveBeenCalled();
    expect(useLab.getState().run).toMatchObject({ config: { epochs: 2, lr: 0.5 }, pace: 60 });
  });

  it('lists the history again when the side that stores runs says it changed', async () => {
    api.listRuns.mockResolvedValueOnce([{ ok: false, id: 'x', error: 'bad' }]);
    applyEvent({ kind: 'historyChanged' });
    await vi.waitFor(() => expect(useLab.getState().history.entries).toEqual([{ ok: false, id: 'x', error: 'bad' }]));
  });

  it('the big button starts, pauses, resumes and restarts by state', () => {
    const at = (state: 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'stopped' | 'loading') => {
      applyEvent({ kind: 'state', state, position: position(5), config: { ...CONFIG }, pace: null });
      startPauseResume();
    };
    at('idle');
    expect(api.startTraining).toHaveBeenCalledTimes(1);
    at('training');
    expect(api.pause).toHaveBeenCalledTimes(1);
    at('paused');
    expect(api.resume).toHaveBeenCalledTimes(1);
    at('done');
    at('diverged');
    at('stopped');
    expect(api.startTraining).toHaveBeenCalledTimes(4);
    at('loading');
    expect(api.startTraining).toHaveBeenCalledTimes(4);
  });

  it('settings are asked of the session, not kept in the store', () => {
    const before = useLab.getState().run.config;
    setLearningRate(0.3);
    configureRun({ batchSize: 64 });
    setPace(null);
    resetRun();
    expect(useLab.getState().run.config).toBe(before);
    expect(useLab.getState().settings).toEqual({ language: 'en', palette: 'standard' });
    expect(api.setLearningRate).toHaveBeenCalledWith(0.3);
    expect(api.configure).toHaveBeenCalledWith({ batchSize: 64 });
    expect(api.setPace).toHaveBeenCalledWith(null);
    expect(api.reset).toHaveBeenCalledWith(0);
    setLearningRate(NaN);
    expect(api.setLearningRate).toHaveBeenCalledTimes(1);
  });

  it('one lr gesture draws one marker, where its first change began, with the value it settled at', () => {
    ready();
    applyEvent({ kind: 'state', state: 'training', position: position(0), config: { ...CONFIG }, pace: 20 });
    applyBatches([batch(0), batch(1)]);
    setLearningRate(0.2, { commit: false });
    setLearningRate(0.5, { commit: false });
    expect(api.setLearningRate).toHaveBeenNthCalledWith(1, 0.2, { commit: false });
    applyBatches([batch(2, { lr: 0.2 }), batch(3, { lr: 0.5 })]);
    setLearningRate(0.3); // released at 0.3
    expect(api.setLearningRate).toHaveBeenLastCalledWith(0.3);
    applyBatches([batch(4, { lr: 0.5 }), batch(5, { lr: 0.3 }), batch(6, { lr: 0.3 })]);
    expect(useLab.getState().metrics.lrMarkers).toEqual([{ x: expect.closeTo(2 / 235, 12), lr: 0.3 }]);
    // A plain change (the number field) marks at once; a gesture that comes back where it began, none.
    setLearningRate(0.4);
    applyBatches([batch(7, { lr: 0.4 })]);
    setLearningRate(0.9, { commit: false });
    applyBatches([batch(8, { lr: 0.9 })]);
    setLearningRate(0.4);
    applyBatches([batch(9, { lr: 0.4 })]);
    expect(useLab.getState().metrics.lrMarkers.map((m) => m.lr)).toEqual([0.3, 0.4]);
  });

  it('one weight-decay gesture draws one marker, as the lr\'s does; a plain change marks at once', () => {
    ready();
    applyEvent({ kind: 'state', state: 'training', position: position(0), config: { ...CONFIG }, pace: 20 });
    applyBatches([batch(0), batch(1)]);
    setWeightDecay(0.001, { commit: false });
    setWeightDecay(0.005, { commit: false });
    expect(api.setWeightDecay).toHaveBeenNthCalledWith(1, 0.001, { commit: false });
    applyBatches([batch(2, { weightDecay: 0.001 }), batch(3, { weightDecay: 0.005 })]);
    setWeightDecay(0.002);
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.002);
    applyBatches([batch(4, { weightDecay: 0.002 })]);
    setWeightDecay(0);
    applyBatches([batch(5)]);
    expect(useLab.getState().metrics.wdMarkers).toEqual([{ x: expect.closeTo(2 / 235, 12), weightDecay: 0.002 }, { x: expect.closeTo(5 / 235, 12), weightDecay: 0 }]);
    expect(useLab.getState().metrics.lrMarkers).toEqual([]);
    setWeightDecay(-1);
    setWeightDecay(Number.NaN);
    expect(api.setWeightDecay).toHaveBeenCalledTimes(4);
  });

  it('an opened model is the subject until the run moves on; its test accuracy comes from the session', async () => {
    ready();
    api.openModel.mockResolvedValueOnce({ opened: true, path: '/home/me/models/m.json', model: { W: new Array(7840).fill(0), b: new Array(10).fill(0) } } as never);
    api.request.mockImplementation((async (r: { kind: string }) => (r.kind === 'testPredictions' ? { predicted: new Uint8Array(4), labels: new Uint8Array([0, 0, 0, 1]), accuracy: 0.75 } : { ok: true })) as never);
    await openModel();
    expect(useLab.getState().run.openedModel).toEqual({ name: 'm.json', testAcc: 0.75 });
    expect(useLab.getState().predictions.test?.accuracy).toBe(0.75);
    applyEvent({ kind: 'state', state: 'idle', position: position(0), config: { ...CONFIG, lr: 0.2 }, pace: 20 });
    expect(useLab.getState().run.openedModel).not.toBeNull(); // an lr change does not replace the model
    applyEvent({ kind: 'state', state: 'paused', position: position(1), config: { ...CONFIG }, pace: 20 });
    expect(useLab.getState().run.openedModel).toBeNull(); // a batch ran: the run moved on
  });

  it('records a divergence, clears it on the next run, and moves the old curves behind on reset', () => {
    applyEvent({ kind: 'state', state: 'training', position: position(0), config: { ...CONFIG }, pace: null });
    applyEvent({ kind: 'progress', batches: [batch(0), batch(1, { loss: NaN })] });
    applyEvent({ kind: 'diverged', epoch: 1, batch: 1, loss: NaN, lr: 10, message: 'loss became NaN at epoch 1, batch 2' });
    applyEvent({ kind: 'state', state: 'diverged', position: position(2), config: { ...CONFIG }, pace: null });
    let s = useLab.getState();
    expect(s.run.divergence).toMatchObject({ epoch: 1, batch: 1 });
    expect(s.metrics.train).toHaveLength(1);
    applyEvent({ kind: 'state', state: 'idle', position: position(0), config: { ...CONFIG }, pace: null });
    s = useLab.getState();
    expect(s.run.divergence).toBeNull();
    expect(s.metrics.train).toHaveLength(0);
    expect(s.metrics.pastRuns).toHaveLength(1);
  });

  it('a crash is shown until the trainer is ready again; weights keep their scale', () => {
    applyEvent({ kind: 'crashed', reason: 'the trainer worker crashed: boom', exitCode: null });
    expect(useLab.getState().run.crash).toMatch(/boom/);
    const w = new Float32Array(7850);
    w[3] = -0.25;
    w[7] = 0.125;
    w[7845] = 9; // a bias: not part of W's colour scale
    applyEvent({ kind: 'weights', weights: w, epochProgress: 0 });
    expect(useLab.getState().weights).toMatchObject({ maxAbs: 0.25, scale: 0.25 / 1024, version: 1 });
    applyEvent({ kind: 'weights', weights: new Float32Array(3), epochProgress: 0 });
    expect(useLab.getState().weights.version).toBe(1);
    ready();
    expect(useLab.getState().run.crash).toBeNull();
  });
});

describe('wire', () => {
  it('hands per-batch points and epochs to the store at most once per frame, snapshots in frames of their own at most every WEIGHTS_INTERVAL_MS, in order with other events', () => {
    let now = 0;
    const frames: (() => void)[] = [];
    const timers: { at: number; cb: () => void }[] = [];
    const scheduler: FrameScheduler = { request: (cb) => frames.push(cb), after: (cb, ms) => timers.push({ at: now + ms, cb }), now: () => now };
    const off = wireBridge(api, scheduler);
    try {
      api.emit({ kind: 'progress', batches: [batch(0), batch(1)] });
      api.emit({ kind: 'progress', batches: [batch(2)] });
      expect(useLab.getState().metrics.batchCount).toBe(0);
      expect(frames).toHaveLength(1);
      now = 200;
      frames.shift()?.();
      expect(useLab.getState().metrics.batchCount).toBe(3);
      api.emit({ kind: 'progress', batches: [batch(3)] });
      now = 210;
      frames.shift()?.(); // too soon after the last hand-over: waits
      expect(useLab.getState().metrics.batchCount).toBe(3);
      expect(timers[0].at).toBe(200 + FLUSH_INTERVAL_MS);
      // An epoch waits behind the queued batch; a snapshot waits too, and is handed over in a frame of its own.
      api.emit({ kind: 'epoch', epoch: 1, trainLoss: 0.6, trainAcc: 0.8, testAcc: 0.79, seconds: 1 });
      const w = new Float32Array(7850);
      w[0] = 0.5;
      const version = useLab.getState().weights.version;
      api.emit({ kind: 'weights', weights: w, epochProgress: 1 });
      api.emit({ kind: 'progress', batches: [batch(4)] });
      expect(useLab.getState().metrics.epochs).toHaveLength(0);
      expect(useLab.getState().weights.version).toBe(version);
      now = 300;
      timers.shift()?.cb();
      frames.shift()?.(); // the weights' frame: due (none handed over yet), and first
      expect(useLab.getState().weights.version).toBe(version + 1);
      expect(useLab.getState().metrics.batchCount).toBe(3);
      now = 400;
      frames.shift()?.(); // the curves' frame
      expect(useLab.getState().metrics.batchCount).toBe(5);
      expect(useLab.getState().metrics.epochs).toHaveLength(1);
      // The next snapshot waits WEIGHTS_INTERVAL_MS after the last one, while the curves go on.
      const pump = (t: number): void => {
        now = t;
        for (let i = 0; i < 10; i++) {
          const due = timers.filter((x) => x.at <= now);
          timers.splice(0, timers.length, ...timers.filter((x) => x.at > now));
          due.forEach((x) => x.cb());
          const f = frames.splice(0);
          f.forEach((cb) => cb());
          if (due.length === 0 && f.length === 0) return;
        }
      };
      api.emit({ kind: 'weights', weights: w, epochProgress: 1.1 });
      api.emit({ kind: 'progress', batches: [batch(5)] });
      pump(520);
      expect(useLab.getState().metrics.batchCount).toBe(6);
      expect(useLab.getState().weights.version).toBe(version + 1);
      pump(300 + WEIGHTS_INTERVAL_MS + 1); // due, but only FLUSH_INTERVAL_MS after the curves' hand-over
      expect(useLab.getState().weights.version).toBe(version + 1);
      pump(520 + FLUSH_INTERVAL_MS);
      expect(useLab.getState().weights.version).toBe(version + 2);
      // Any other event hands over what is queued first, so the store sees them in order.
      api.emit({ kind: 'progress', batches: [batch(6)] });
      api.emit({ kind: 'epoch', epoch: 2, trainLoss: 0.5, trainAcc: 0.82, testAcc: 0.8, seconds: 1 });
      api.emit({ kind: 'weights', weights: w, epochProgress: 2 });
      api.emit({ kind: 'done', epochs: 2, trainLoss: 0.5, trainAcc: 0.82, testAcc: 0.8 });
      expect(useLab.getState().metrics.batchCount).toBe(7);
      expect(useLab.getState().metrics.epochs).toHaveLength(2);
      expect(useLab.getState().weights.version).toBe(version + 3);
      expect(wireBridge(api, scheduler)).toBe(off); // registered once
    } finally {
      off();
    }
  });
});
