// The seeded RNG: same seed, same stream; normal samples with the right mean and spread; Fisher–Yates
// gives permutations.

import { describe, expect, it } from 'vitest';
import { createRng, fillNormal, nextFloat, nextInt, nextNormal, nextU32, shuffleInPlace } from '../../core/rng';

describe('rng', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const draw = (seed: number): number[] => {
      const r = createRng(seed);
      return Array.from({ length: 8 }, () => nextU32(r));
    };
    expect(draw(0)).toEqual(draw(0));
    expect(draw(123456789)).toEqual(draw(123456789));
    expect(draw(0)).not.toEqual(draw(1));
    expect(draw(-1)).not.toEqual(draw(1));
  });

  it('rejects non-integer seeds', () => {
    expect(() => createRng(0.5)).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });

  it('gives floats in [0, 1) and integers in [0, n)', () => {
    const r = createRng(7);
    for (let i = 0; i < 10_000; i++) {
      const f = nextFloat(r);
      expect(f >= 0 && f < 1).toBe(true);
      const k = nextInt(r, 10);
      expect(Number.isInteger(k) && k >= 0 && k < 10).toBe(true);
    }
    expect(() => nextInt(r, 0)).toThrow(RangeError);
  });

  it('normal samples have roughly the requested mean and std', () => {
    const r = createRng(3);
    const n = 200_000;
    const a = new Float32Array(n);
    fillNormal(r, a, 2, 0.5);
    let sum = 0;
    for (const v of a) sum += v;
    const mean = sum / n;
    let sq = 0;
    for (const v of a) sq += (v - mean) ** 2;
    const std = Math.sqrt(sq / (n - 1));
    console.log(`normal(2, 0.5): mean ${mean.toFixed(4)}, std ${std.toFixed(4)} over ${n} samples`);
    expect(Math.abs(mean - 2)).toBeLessThan(0.01);
    expect(Math.abs(std - 0.5)).toBeLessThan(0.01);
    const z = createRng(9);
    expect(Number.isFinite(nextNormal(z))).toBe(true);
  });

  it('nextInt draws what the textbook rejection (threshold (2^32 - n) % n, then r % n) draws, bit for bit', () => {
    const textbook = (r: ReturnType<typeof createRng>, n: number): number => {
      const threshold = (0x100000000 - n) % n;
      for (;;) {
        const u = nextU32(r);
        if (u >= threshold) return u % n;
      }
    };
    for (const n of [1, 2, 3, 10, 255, 256, 60000, 2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 3 * 2 ** 30, 2 ** 32 - 5, 2 ** 32]) {
      const a = createRng(n);
      const b = createRng(n);
      for (let i = 0; i < 2000; i++) expect(nextInt(a, n)).toBe(textbook(b, n));
      expect(a.s).toEqual(b.s); // the same draws were used (rejections included)
    }
  });

  it('shuffle is a permutation, deterministic per seed, and actually moves things', () => {
    const n = 1000;
    const shuffled = (seed: number): Uint32Array => {
      const a = Uint32Array.from({ length: n }, (_, i) => i);
      shuffleInPlace(createRng(seed), a);
      return a;
    };
    const a = shuffled(5);
    expect(Array.from(a).sort((x, y) => x - y)).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(shuffled(5)).toEqual(a);
    expect(shuffled(6)).not.toEqual(a);
    let fixed = 0;
    for (let i = 0; i < n; i++) if (a[i] === i) fixed++;
    expect(fixed).toBeLessThan(20); // a random permutation fixes about 1 point on average
  });
});
