// The model file format: round trip, and a clear refusal for every kind of bad file.
import { describe, expect, it } from 'vitest';
import { encodeModelFile, parseModelFile, runModelFile, stringifyModelFile, ModelFileError, MAX_MODEL_FILE_BYTES } from '../../core/model-file';
import { initParams } from '../../core/model';
import { createRng } from '../../core/rng';
import { DEFAULT_CONFIG } from '../../core/train';

const params = initParams(createRng(3)).data;
const good = () => encodeModelFile(params, { ...DEFAULT_CONFIG }, { epochs: 10, trainLoss: 0.45, trainAcc: 0.85, testAcc: 0.83 }, '2026-11-25T00:00:00Z');

describe('model file', () => {
  it('round-trips parameters bit for bit', () => {
    const { params: back, file } = parseModelFile(stringifyModelFile(good()));
    expect(Array.from(back)).toEqual(Array.from(params));
    expect(file.classNames[7]).toBe('Sneaker');
  });

  it('keeps the weight decay, and reads a file written before weight decay existed as a run without it', () => {
    const decayed = encodeModelFile(params, { ...DEFAULT_CONFIG, weightDecay: 0.001 }, null, '2026-11-25T00:00:00Z');
    expect(parseModelFile(stringifyModelFile(decayed)).file.config.weightDecay).toBe(0.001);
    const { weightDecay: _w, ...older } = good().config;
    const { file } = parseModelFile(JSON.stringify({ ...good(), config: older }));
    expect(file.config).toEqual({ ...DEFAULT_CONFIG, weightDecay: 0 });
    expect(() => parseModelFile(JSON.stringify({ ...good(), config: { ...older, weightDecay: -1 } }))).toThrow(/weightDecay/);
  });

  it("a run's kept weights record the learning rate and weight decay in force at its end, and its final metrics", () => {
    const run = {
      config: { ...DEFAULT_CONFIG, lr: 0.1, weightDecay: 0.001 },
      lrChanges: [{ batchesDone: 10, epochProgress: 0.04, from: 0.1, to: 0.3 }, { batchesDone: 20, epochProgress: 0.09, from: 0.3, to: 0.05 }],
      wdChanges: [{ batchesDone: 15, epochProgress: 0.06, from: 0.001, to: 0.005 }],
      final: { trainLoss: 0.5, trainAcc: 0.82, testAcc: 0.8 },
      epochs: [{ epoch: 1, trainLoss: 0.5, trainAcc: 0.82, testAcc: 0.8, seconds: 1 }],
      endedAt: null,
    };
    const file = runModelFile(run, params, '2026-11-25T01:00:00Z');
    expect(file.config).toMatchObject({ lr: 0.05, weightDecay: 0.005 });
    expect(file.metrics).toEqual({ epochs: 1, trainLoss: 0.5, trainAcc: 0.82, testAcc: 0.8 });
    expect(file.createdAt).toBe('2026-11-25T01:00:00Z');
    const unchanged = runModelFile({ ...run, lrChanges: [], wdChanges: [], final: null, epochs: [], endedAt: '2026-11-25T02:00:00Z' }, params, 'x');
    expect(unchanged.config).toMatchObject({ lr: 0.1, weightDecay: 0.001 });
    expect(unchanged.metrics).toBeNull();
    expect(unchanged.createdAt).toBe('2026-11-25T02:00:00Z');
  });

  it('refuses NaN weights (a diverged model is never saved)', () => {
    const bad = params.slice();
    bad[5] = NaN;
    expect(() => encodeModelFile(bad, { ...DEFAULT_CONFIG }, null, 'x')).toThrow(/diverged/);
  });

  const cases: [string, () => string, RegExp][] = [
    ['empty', () => '', /empty/],
    ['non-JSON', () => 'hello', /not valid JSON/],
    ['truncated', () => stringifyModelFile(good()).slice(0, 1000), /not valid JSON/],
    ['another format', () => JSON.stringify({ format: 'other' }), /not a Softmax Lab model/],
    ['a newer version', () => JSON.stringify({ ...good(), schemaVersion: 2 }), /schema version 2/],
    ['wrong shapes', () => JSON.stringify({ ...good(), W: good().W.slice(1) }), /invalid at W/],
    ['NaN as null', () => JSON.stringify({ ...good(), b: [null, ...good().b.slice(1)] }), /invalid at b/],
    ['a float32 overflow', () => JSON.stringify({ ...good(), b: [1e300, ...good().b.slice(1)] }), /overflows float32/],
    ['a changed value', () => JSON.stringify({ ...good(), b: [0.5, ...good().b.slice(1)] }), /checksum/],
    ['a huge file', () => ' '.repeat(MAX_MODEL_FILE_BYTES + 1), /too large/],
  ];
  for (const [name, make, message] of cases) {
    it(`refuses ${name} with a clear message`, () => {
      let err: unknown;
      try {
        parseModelFile(make(), 'm.json');
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ModelFileError);
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).toMatch(/m\.json/);
    });
  }
});
