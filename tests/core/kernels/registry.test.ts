// A short multi-epoch run on synthetic data with each backend through the real Trainer: the fast kernels
// must follow the reference's run (per-epoch loss, accuracies, final weights), and the registry must
// hand out each backend by name. Legend: D = 784, K = 10.

import { describe, expect, it } from 'vitest';
import { createKernels, DEFAULT_KERNELS, isKernelName, KERNEL_NAMES } from '../../../core/kernels/registry';
import { trainCh3, type EpochSummary } from '../../../core/train';
import { separableSplit } from '../../fixtures/fashion-fixture';

function run(name: (typeof KERNEL_NAMES)[number], softmax: 'stable' | 'naive'): { epochs: EpochSummary[]; weights: Float32Array } {
  const train = separableSplit(700, 3, 200);
  const test = separableSplit(200, 4, 200);
  const { epochs, trainer, diverged } = trainCh3({ train, test, kernels: createKernels(name, 64), config: { epochs: 3, batchSize: 64, lr: 0.1, seed: 5, softmax } });
  expect(diverged).toBeNull();
  return { epochs, weights: trainer.weights() };
}

describe('registry', () => {
  it('names every backend and makes each by name', () => {
    expect(KERNEL_NAMES).toEqual(['fast', 'fast-js', 'reference']);
    expect(DEFAULT_KERNELS).toBe('fast');
    for (const name of KERNEL_NAMES) {
      const k = createKernels(name, 32);
      // the fast kernels' name also says what runs them: 'fast (wasm SIMD, 1 thread)'
      expect(name === 'fast' ? k.name.replace(/ \(.*\)$/, '') : k.name).toBe(name);
      expect(k.maxBatch).toBe(32);
    }
    expect(createKernels('fast', 8).name).toBe('fast (wasm SIMD, 1 thread)');
    expect(isKernelName('fast')).toBe(true);
    expect(isKernelName('gpu')).toBe(false);
    expect(() => createKernels('gpu' as never, 8)).toThrow(/unknown kernels 'gpu'/);
    expect(() => createKernels('fast', 0)).toThrow(RangeError);
  });
});

describe.each(['stable', 'naive'] as const)('3 epochs on synthetic data (%s softmax)', (softmax) => {
  const reference = run('reference', softmax);
  for (const name of ['fast', 'fast-js'] as const) {
    it(`${name} follows the reference run`, () => {
      const got = run(name, softmax);
      expect(got.epochs).toHaveLength(3);
      let wDiff = 0;
      let wScale = 1e-6;
      for (let i = 0; i < got.weights.length; i++) {
        wDiff = Math.max(wDiff, Math.abs(got.weights[i] - reference.weights[i]));
        wScale = Math.max(wScale, Math.abs(reference.weights[i]));
      }
      console.log(`${name} ${softmax}: final weights max rel diff ${(wDiff / wScale).toExponential(2)}; ` +
        `test acc ${got.epochs.map((e) => e.testAcc).join(' ')} vs ${reference.epochs.map((e) => e.testAcc).join(' ')}`);
      expect(wDiff / wScale).toBeLessThanOrEqual(1e-4);
      for (let e = 0; e < 3; e++) {
        expect(Math.abs(got.epochs[e].trainLoss - reference.epochs[e].trainLoss)).toBeLessThanOrEqual(1e-4 * reference.epochs[e].trainLoss);
        expect(Math.abs(got.epochs[e].trainAcc - reference.epochs[e].trainAcc)).toBeLessThanOrEqual(0.002);
        expect(Math.abs(got.epochs[e].testAcc - reference.epochs[e].testAcc)).toBeLessThanOrEqual(0.002);
      }
    });
  }
});
