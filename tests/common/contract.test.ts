// The contract's additions for issue 13: the sweep commands and their messages, the report-data request
// and its reply, and the export file main writes; each schema accepts what the session and the renderer
// send and refuses the rest. The client's sweep verbs send exactly the protocol's messages.

import { describe, expect, it } from 'vitest';
import { exportFileSchema, fromTrainerSchema, MAX_EXPORT_BYTES, replySchemas, SWEEP_LIMITS, sweepStatusSchema, toTrainerSchema, trainerRequestSchema, type SweepStatus, type ToTrainer } from '../../common/contract';
import { TrainerClient } from '../../common/trainer-client';
import { encodeModelNpz } from '../../core/export/npz';
import { encodeModelOnnx } from '../../core/export/onnx';
import { NUM_PARAMS } from '../../core/shapes';
import { DEFAULT_CONFIG } from '../../core/train';
import { makeRunRecord } from '../fixtures/run-record';

const CONFIG = { ...DEFAULT_CONFIG, epochs: 3 };

describe('sweep commands', () => {
  it('accepts a learning-rate sweep, a batch-size sweep, both, and Stop', () => {
    for (const msg of [
      { kind: 'sweep', learningRates: [0.001, 0.01, 10], epochs: 3 },
      { kind: 'sweep', batchSizes: [16, 64, 256, 1024], epochs: 1 },
      { kind: 'sweep', learningRates: [0.1], batchSizes: [32], epochs: 2 },
      { kind: 'stopSweep' },
    ]) expect(toTrainerSchema.safeParse(msg).success, JSON.stringify(msg)).toBe(true);
  });

  it('refuses rates and sizes outside the core\'s limits, empty or oversized lists, and bad epochs', () => {
    for (const msg of [
      { kind: 'sweep', learningRates: [0], epochs: 3 },
      { kind: 'sweep', learningRates: [Number.NaN], epochs: 3 },
      { kind: 'sweep', learningRates: [1e6], epochs: 3 },
      { kind: 'sweep', learningRates: [], epochs: 3 },
      { kind: 'sweep', learningRates: Array.from({ length: SWEEP_LIMITS.maxValues + 1 }, (_, i) => 0.001 * (i + 1)), epochs: 3 },
      { kind: 'sweep', batchSizes: [0], epochs: 3 },
      { kind: 'sweep', batchSizes: [1.5], epochs: 3 },
      { kind: 'sweep', learningRates: [0.1], epochs: 0 },
      { kind: 'sweep', learningRates: [0.1] },
    ]) expect(toTrainerSchema.safeParse(msg).success, JSON.stringify(msg)).toBe(false);
  });

  it('checks the sweep\'s progress and points as they come from the training process', () => {
    const status: SweepStatus = { sweep: 1, state: 'running', learningRates: [0.1, 1], batchSizes: [256], epochs: 3, runs: 2, finished: 1, current: { run: 1, config: CONFIG, epochProgress: 1.5 }, note: null };
    expect(fromTrainerSchema.safeParse({ kind: 'sweepProgress', status }).success).toBe(true);
    expect(sweepStatusSchema.safeParse({ ...status, state: 'paused' }).success).toBe(false);
    expect(sweepStatusSchema.safeParse({ ...status, current: { ...status.current, config: { ...CONFIG, lr: -1 } } }).success).toBe(false);
    const result = { lr: 10, batchSize: 256, epochs: 3, trainLoss: null, trainAcc: null, testAcc: null, diverged: true, seconds: 0.4 };
    const point = { kind: 'sweepPoint', sweep: 1, run: 0, result, record: makeRunRecord({ id: 'sweep-1', outcome: 'diverged', note: 'loss became NaN' }) };
    expect(fromTrainerSchema.safeParse(point).success).toBe(true);
    expect(fromTrainerSchema.safeParse({ ...point, result: { ...result, seconds: Number.NaN } }).success).toBe(false);
    expect(fromTrainerSchema.safeParse({ ...point, record: { ...point.record, extra: 1 } }).success).toBe(false);
  });

  it('the client\'s verbs send them', () => {
    const sent: ToTrainer[] = [];
    const client = new TrainerClient();
    client.attach({ postMessage: (m) => sent.push(m) });
    const verbs = client.verbs();
    verbs.runSweep({ learningRates: [0.01, 0.1], epochs: 2 });
    verbs.runSweep({ batchSizes: [16, 64], epochs: 1 });
    verbs.stopSweep();
    expect(sent).toEqual([{ kind: 'sweep', learningRates: [0.01, 0.1], epochs: 2 }, { kind: 'sweep', batchSizes: [16, 64], epochs: 1 }, { kind: 'stopSweep' }]);
    for (const m of sent) expect(toTrainerSchema.safeParse(m).success).toBe(true);
  });
});

describe('the report-data request', () => {
  it('takes no weights or exactly 7850 of them', () => {
    expect(trainerRequestSchema.safeParse({ kind: 'reportData' }).success).toBe(true);
    expect(trainerRequestSchema.safeParse({ kind: 'reportData', weights: new Float32Array(NUM_PARAMS) }).success).toBe(true);
    expect(trainerRequestSchema.safeParse({ kind: 'reportData', weights: new Float32Array(10) }).success).toBe(false);
    expect(trainerRequestSchema.safeParse({ kind: 'reportData', weights: Array.from({ length: NUM_PARAMS }, () => 0) }).success).toBe(false);
  });

  it('checks its reply: 10 probabilities and 784 pixels per label, a valid record or null', () => {
    const n = 3;
    const reply = { weights: new Float32Array(NUM_PARAMS), probabilities: new Float32Array(n * 10), labels: new Uint8Array(n), images: new Uint8Array(n * 784), record: makeRunRecord(), kernel: 'fast', dataset: '/x (system)' };
    expect(replySchemas.reportData.safeParse(reply).success).toBe(true);
    expect(replySchemas.reportData.safeParse({ ...reply, record: null }).success).toBe(true);
    expect(replySchemas.reportData.safeParse({ ...reply, probabilities: new Float32Array(n * 10 - 1) }).success).toBe(false);
    expect(replySchemas.reportData.safeParse({ ...reply, images: new Uint8Array(784) }).success).toBe(false);
    expect(replySchemas.reportData.safeParse({ ...reply, record: { ...reply.record, outcome: 'lost' } }).success).toBe(false);
  });
});

describe('exportFileSchema', () => {
  const params = new Float32Array(NUM_PARAMS);
  it('accepts what the window exports', () => {
    for (const file of [
      { format: 'npz', name: 'softmax-lab-model.npz', data: encodeModelNpz(params) },
      { format: 'onnx', name: 'softmax-lab-model.ONNX', data: encodeModelOnnx(params) },
      { format: 'report', name: 'report.html', data: '<!DOCTYPE html>\n<html></html>' },
      { format: 'csv', name: 'run-1 curves.csv', data: 'kind,epoch\r\n' },
    ]) expect(exportFileSchema.safeParse(file).success, file.name).toBe(true);
  });

  it('refuses paths, wrong extensions, the wrong kind of data, wrong signatures, oversized files and extra fields', () => {
    for (const file of [
      { format: 'csv', name: '/etc/cron.d/x.csv', data: 'x' },
      { format: 'csv', name: '..\\x.csv', data: 'x' },
      { format: 'csv', name: '', data: 'x' },
      { format: 'csv', name: 'x.csv.exe', data: 'x' },
      { format: 'report', name: 'r.html', data: new Uint8Array([60]) },
      { format: 'report', name: 'r.html', data: '<html>' },
      { format: 'npz', name: 'm.npz', data: new Uint8Array(10) },
      { format: 'onnx', name: 'm.onnx', data: new Uint8Array([0x12]) },
      { format: 'csv', name: 'big.csv', data: 'x'.repeat(MAX_EXPORT_BYTES + 1) },
      { format: 'csv', name: 'x.csv', data: 'x', folder: '/tmp' },
    ]) expect(exportFileSchema.safeParse(file).success, JSON.stringify(file).slice(0, 80)).toBe(false);
  });
});
