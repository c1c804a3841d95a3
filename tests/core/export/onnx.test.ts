// core/export/onnx.ts run by a real consumer, ONNX Runtime (onnxruntime-web's WebAssembly build under
// Node; test-only): it loads the model, names input 'x' and output 'probabilities', and gives the same
// probabilities as our predictProbabilities within 1e-5 (the max difference is printed), on fixture
// images and, where the Debian package is installed, on the real test set under trained weights.

import * as ort from 'onnxruntime-web';
import onnxProto from 'onnx-proto';
import { beforeAll, describe, expect, it } from 'vitest';
import { gatherBatch, type Dataset } from '../../../core/dataset';
import { encodeModelOnnx, ONNX_IR_VERSION, ONNX_OPSET } from '../../../core/export/onnx';
import { createReferenceKernels } from '../../../core/kernels/reference';
import { createRng, fillNormal } from '../../../core/rng';
import { CLASS_NAMES, NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../../../core/shapes';
import { predictProbabilities, trainCh3 } from '../../../core/train';
import { SYSTEM_DATASET_DIR } from '../../../node/data/files';
import { loadFashionMnist } from '../../../node/data/load';
import { locateDatasetFiles } from '../../../node/data/locate';
import { separableSplit } from '../../fixtures/fashion-fixture';

const { onnx } = onnxProto;

beforeAll(() => {
  ort.env.wasm.numThreads = 1; // no worker threads to leave behind
});

/** x (n, D) in [0, 1] for the first n images of ds. */
function inputs(ds: Dataset, n = ds.count): Float32Array {
  const x = new Float32Array(n * D);
  gatherBatch(ds, null, 0, n, x, new Uint8Array(n));
  return x;
}

/** Runs the exported model in ONNX Runtime on x (n, D) and returns its probabilities (n, K). */
async function runInOrt(params: Float32Array, x: Float32Array, n: number): Promise<{ probs: Float32Array; dims: readonly number[]; session: ort.InferenceSession }> {
  const session = await ort.InferenceSession.create(encodeModelOnnx(params, { appVersion: 'test' }));
  const out = await session.run({ x: new ort.Tensor('float32', x, [n, D]) });
  const t = out.probabilities;
  return { probs: t.data as Float32Array, dims: t.dims, session };
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('encodeModelOnnx', () => {
  it('is a ModelProto of IR 7 / opset 13: MatMul, Add, Softmax(axis=1), W [784, 10] and b [10] as initializers', () => {
    const params = new Float32Array(NUM_PARAMS).map((_, i) => i * 1e-4);
    const m = onnx.ModelProto.decode(encodeModelOnnx(params, { appVersion: '9.9.9' }));
    expect(Number(m.irVersion)).toBe(ONNX_IR_VERSION);
    expect(m.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', ONNX_OPSET]]);
    expect([m.producerName, m.producerVersion]).toEqual(['Softmax Lab', '9.9.9']);
    const g = m.graph as InstanceType<typeof onnx.GraphProto>;
    expect(g.node.map((n) => [n.opType, n.input, n.output])).toEqual([
      ['MatMul', ['x', 'W'], ['xW']], ['Add', ['xW', 'b'], ['logits']], ['Softmax', ['logits'], ['probabilities']],
    ]);
    expect((g.node[2].attribute ?? []).map((a) => [a.name, Number(a.i)])).toEqual([['axis', 1]]);
    expect(g.initializer.map((t) => [t.name, (t.dims ?? []).map(Number), t.dataType, t.rawData?.length])).toEqual([['W', [784, 10], 1, 31360], ['b', [10], 1, 40]]);
    const raw = g.initializer[0].rawData as Uint8Array;
    expect(new DataView(raw.buffer, raw.byteOffset).getFloat32(4 * 11, true)).toBe(params[11]); // W[1, 1], little-endian
    expect(JSON.parse(m.metadataProps[0].value ?? 'null')).toEqual([...CLASS_NAMES]);
  });

  it('refuses a wrong length and non-finite weights', () => {
    expect(() => encodeModelOnnx(new Float32Array(7840))).toThrow(/expected 7850 parameters/);
    const p = new Float32Array(NUM_PARAMS);
    p[7849] = Number.NaN;
    expect(() => encodeModelOnnx(p)).toThrow(/NaN or Infinity/);
  });

  it('ONNX Runtime loads it with input x [N, 784] and output probabilities [N, 10], and refuses other widths', async () => {
    const session = await ort.InferenceSession.create(encodeModelOnnx(new Float32Array(NUM_PARAMS)));
    expect(session.inputNames).toEqual(['x']);
    expect(session.outputNames).toEqual(['probabilities']);
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array(3 * D), [3, D]) });
    expect(out.probabilities.dims).toEqual([3, K]);
    expect(Array.from(out.probabilities.data as Float32Array).every((p) => Math.abs(p - 0.1) < 1e-7)).toBe(true); // zero weights: uniform
    await expect(session.run({ x: new ort.Tensor('float32', new Float32Array(783), [1, 783]) })).rejects.toThrow();
    await session.release();
  });

  it('ONNX Runtime gives our probabilities within 1e-5 (random weights on fixture images)', async () => {
    const ds = separableSplit(200, 3);
    const params = new Float32Array(NUM_PARAMS);
    fillNormal(createRng(11), params, 0, 0.1); // logits of a few units: softmax far from uniform
    const x = inputs(ds);
    const ours = predictProbabilities(createReferenceKernels(ds.count), params, x, ds.count);
    const { probs, dims, session } = await runInOrt(params, x, ds.count);
    const diff = maxAbsDiff(probs, ours);
    console.log(`fixture: ${ds.count} images, max |ORT - ours| = ${diff.toExponential(2)}`);
    expect(dims).toEqual([ds.count, K]);
    expect(diff).toBeLessThan(1e-5);
    await session.release();
  });

  const real = locateDatasetFiles({ dir: SYSTEM_DATASET_DIR }) !== null;
  it.skipIf(!real)(`ONNX Runtime gives our probabilities within 1e-5 on the real test set after one epoch${real ? '' : ` — SKIPPED: ${SYSTEM_DATASET_DIR} not found`}`, async () => {
    const data = await loadFashionMnist({ dir: SYSTEM_DATASET_DIR });
    const { trainer } = trainCh3({ train: data.train, test: data.test, config: { epochs: 1, lr: 0.1, batchSize: 256, seed: 0, softmax: 'stable' } });
    const params = trainer.weights();
    const x = inputs(data.test);
    const ours = predictProbabilities(createReferenceKernels(1000), params, x, data.test.count);
    const { probs, session } = await runInOrt(params, x, data.test.count);
    const diff = maxAbsDiff(probs, ours);
    console.log(`real test set: ${data.test.count} images, max |ORT - ours| = ${diff.toExponential(2)}`);
    expect(diff).toBeLessThan(1e-5);
    await session.release();
  }, 120_000);
});
