// How much a prepared input looks like Fashion-MNIST (its ink share): the measure itself, the verdicts
// at the training set's range, and that range measured again on the real training images when the
// dataset is installed (skipped, with the reason, when it is not).

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inkFraction, INK_LEVEL, TRAINING_INK, typicality } from '../../../renderer/predictions/typicality';

const DATA = process.env.FASHION_MNIST_DIR ?? '/usr/share/datasets/fashion-mnist';
const TRAIN = join(DATA, 'train-images-idx3-ubyte.gz');

describe('typicality', () => {
  it('counts the share of pixels above the ink level', () => {
    const x = new Float32Array(784);
    expect(inkFraction(x)).toBe(0);
    x.fill(0.5);
    expect(inkFraction(x)).toBe(1); // a flat grey square, as the 5×5 square of the issue becomes
    x.fill(0);
    for (let i = 0; i < 392; i++) x[i] = INK_LEVEL + 0.01;
    expect(inkFraction(x)).toBe(0.5);
    x[0] = INK_LEVEL / 2; // faint is not ink
    expect(inkFraction(x)).toBeCloseTo(391 / 784, 12);
  });

  it('calls typical what lies within the training range, and says which way the rest differs', () => {
    expect(typicality(0.46)).toBe('typical'); // the training set's median
    expect(typicality(TRAINING_INK.low)).toBe('typical');
    expect(typicality(TRAINING_INK.high)).toBe('typical');
    expect(typicality(1)).toBe('much-ink');
    expect(typicality(0.05)).toBe('little-ink');
  });

  it.skipIf(!existsSync(TRAIN))('its range is the training set’s: 0.5th and 99.5th percentiles and the extremes of 60,000 images', () => {
    const bytes = gunzipSync(readFileSync(TRAIN));
    const count = bytes.readUInt32BE(4);
    expect(count).toBe(60000);
    const shares = new Float64Array(count);
    const level = INK_LEVEL * 255;
    for (let n = 0; n < count; n++) {
      let ink = 0;
      const o = 16 + n * 784;
      for (let i = 0; i < 784; i++) if (bytes[o + i] > level) ink++;
      shares[n] = ink / 784;
    }
    shares.sort();
    const q = (p: number): number => shares[Math.min(count - 1, Math.floor(p * (count - 1)))];
    console.log(`ink share of the training images: min ${shares[0].toFixed(3)}, 0.5% ${q(0.005).toFixed(3)}, median ${q(0.5).toFixed(3)}, 99.5% ${q(0.995).toFixed(3)}, max ${shares[count - 1].toFixed(3)}`);
    expect(q(0.005)).toBeCloseTo(TRAINING_INK.low, 2);
    expect(q(0.995)).toBeCloseTo(TRAINING_INK.high, 2);
    expect(shares[0]).toBeCloseTo(TRAINING_INK.min, 2);
    expect(shares[count - 1]).toBeCloseTo(TRAINING_INK.max, 2);
  });
});
