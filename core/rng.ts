// A small seeded random number generator (xoshiro128**), passed explicitly as llm.c passes its state:
// the same seed gives the same run, bit for bit, in Node, a Web Worker and Electron alike.
// Not for cryptography.

/** Generator state: four 32-bit words, mutated in place by every draw. */
export interface Rng {
  s: Uint32Array; // (4)
  /** A cached second normal sample from Box–Muller, or NaN when none is cached. */
  spareNormal: number;
}

/** splitmix32 step, used only to spread a small integer seed over the four state words. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) >>> 0;
  let z = x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** Creates a generator from an integer seed (any safe integer; negative and large seeds are folded to 32 bits). */
export function createRng(seed: number): Rng {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  const s = new Uint32Array(4);
  let x = (seed >>> 0) ^ Math.floor(seed / 0x100000000);
  for (let i = 0; i < 4; i++) {
    x = splitmix32(x + i);
    s[i] = x;
  }
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1; // the all-zero state is a fixed point
  return { s, spareNormal: NaN };
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** Next uniform 32-bit unsigned integer. */
export function nextU32(rng: Rng): number {
  const s = rng.s;
  const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
  const t = (s[1] << 9) >>> 0;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl(s[3], 11);
  return result;
}

/** Uniform float in [0, 1) with 32 bits of randomness. */
export function nextFloat(rng: Rng): number {
  return nextU32(rng) / 0x100000000;
}

/** Uniform integer in [0, n), without modulo bias (Lemire's method with rejection). */
export function nextInt(rng: Rng, n: number): number {
  if (!(n > 0 && n <= 0x100000000 && Number.isInteger(n))) throw new RangeError(`nextInt bound must be in 1..2^32, got ${n}`);
  for (;;) {
    const r = nextU32(rng);
    // Accept r unless it is below the threshold (2^32 - n) % n, which is below n: so r >= n accepts
    // without computing it (nearly always, in a shuffle). r % n as r - floor(r / n) n: exact for these
    // integers (the quotient is never within rounding of the next integer), and a division instead of
    // the float modulo V8 calls out for once r is past 2^31 (half the draws): a shuffle ~3x faster.
    if (r >= n || r >= (0x100000000 - n) % n) return r - Math.floor(r / n) * n;
  }
}

/** One sample of N(mean, std^2) by the Box–Muller transform (pairs are cached). */
export function nextNormal(rng: Rng, mean = 0, std = 1): number {
  if (!Number.isNaN(rng.spareNormal)) {
    const z = rng.spareNormal;
    rng.spareNormal = NaN;
    return mean + std * z;
  }
  let u = 0;
  while (u === 0) u = nextFloat(rng); // log(0) is -Infinity
  const v = nextFloat(rng);
  const r = Math.sqrt(-2 * Math.log(u));
  rng.spareNormal = r * Math.sin(2 * Math.PI * v);
  return mean + std * r * Math.cos(2 * Math.PI * v);
}

/** Fills `out` with samples of N(mean, std^2). */
export function fillNormal(rng: Rng, out: Float32Array, mean: number, std: number): void {
  for (let i = 0; i < out.length; i++) out[i] = nextNormal(rng, mean, std);
}

/** Fisher–Yates shuffle of `a` in place (every permutation equally likely). */
export function shuffleInPlace(rng: Rng, a: Uint32Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = nextInt(rng, i + 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
