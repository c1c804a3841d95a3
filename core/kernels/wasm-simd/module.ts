// Builds, byte by byte, the small WebAssembly SIMD module behind the fast kernels: the forward product
// (logits) of a chunk of images, its stable softmax and dlogits, and the weight-gradient update, 16 pixels
// of a uint8 image at a time in f32x4 lanes. No build step, no toolchain: a few opcodes, made at startup.
// Legend: D = 784 inputs (49 blocks of 16), K = 10 classes. W and dW live here transposed, (K, D).

import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../shapes';

/**
 * Byte offsets of the module's buffers in its one memory (it never grows, so JS views stay valid).
 * Weights are kept transposed, (K, D): a 16-pixel block then meets 4 consecutive f32x4 of each class row,
 * so forward and backward are dense vector loops with no per-pixel branch (zero pixels cost a lane, but
 * the mispredicted branches of a per-pixel skip cost more).
 */
export const LAYOUT = {
  /** wT: (K, D) f32, W transposed (the JS side transposes the caller's (D, K) once per batch). */
  wT: 0,
  /** b: (K) f32. */
  b: 31_360,
  /** gradT: (K, D) f32, d(sum loss)/dW transposed, accumulated by `backwardChunk`. */
  gradT: 32_768,
  /** images: (IMAGE_CHUNK, D) u8, the rows being worked on, copied in by JS. */
  images: 65_536,
  /** logits: (IMAGE_CHUNK, K) f32, written by `forwardChunk`. */
  logits: 266_240,
  /** dlogitsScaled: (IMAGE_CHUNK + 1, KP) f32, (p - onehot) / 255 per row (lanes 10, 11 unused), from
   *  `softmaxChunk` or JS; an odd chunk's last row is paired with a row of zeros. */
  dlogitsScaled: 276_480,
  /** probs: (IMAGE_CHUNK, KP) f32, written by `softmaxChunk` (lanes 10, 11 are 0). */
  probs: 288_832,
  /** labels: (IMAGE_CHUNK) i32, staged by JS for `softmaxChunk`. */
  labels: 301_120,
  /** argmax: (IMAGE_CHUNK) i32, each row's predicted class (first on ties), from `softmaxChunk`. */
  argmax: 302_144,
  /** gradB: (KP) f32, the chunk's d(sum loss)/db from `softmaxChunk`. */
  gradB: 303_168,
} as const;

/** K padded to whole f32x4 vectors: rows of probs and dlogitsScaled are KP floats apart. */
export const KP = 12;

/** Images the module's image area holds at once. */
export const IMAGE_CHUNK = 256;

/** Pages (64 KiB) of the module's memory. */
export const MEMORY_PAGES = Math.ceil((LAYOUT.gradB + KP * 4) / 65_536);

// --- encoding helpers ---------------------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

function str(s: string): number[] {
  const bytes = Array.from(s, (c) => c.charCodeAt(0));
  return [...uleb(bytes.length), ...bytes];
}

function f32le(v: number): number[] {
  const dv = new DataView(new ArrayBuffer(4));
  dv.setFloat32(0, v, true);
  return [dv.getUint8(0), dv.getUint8(1), dv.getUint8(2), dv.getUint8(3)];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

const I32 = 0x7f;
const F32 = 0x7d;
const V128 = 0x7b;
const VOID = 0x40;

// Opcodes (core and the 0xFD SIMD prefix). Memory access: opcode, then log2 alignment, then offset.
const op = {
  loop: (): number[] => [0x03, VOID],
  if: (): number[] => [0x04, VOID],
  block: (): number[] => [0x02, VOID],
  end: [0x0b],
  br: (depth: number): number[] => [0x0c, ...uleb(depth)],
  brIf: (depth: number): number[] => [0x0d, ...uleb(depth)],
  get: (i: number): number[] => [0x20, ...uleb(i)],
  set: (i: number): number[] => [0x21, ...uleb(i)],
  tee: (i: number): number[] => [0x22, ...uleb(i)],
  i32: (v: number): number[] => [0x41, ...sleb(v)],
  i32Eqz: [0x45],
  call: (f: number): number[] => [0x10, ...uleb(f)],
  v128Or: [0xfd, ...uleb(0x50)],
  v128Load32Splat: (offset: number): number[] => [0xfd, ...uleb(0x09), 2, ...uleb(offset)],
  i32LtU: [0x49],
  i32Add: [0x6a],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  i32Load: (offset: number): number[] => [0x28, 2, ...uleb(offset)],
  i64Load: (offset: number): number[] => [0x29, 0, ...uleb(offset)],
  f32Load: (offset: number): number[] => [0x2a, 2, ...uleb(offset)],
  i32Load8U: (offset: number): number[] => [0x2d, 0, ...uleb(offset)],
  i32Store: (offset: number): number[] => [0x36, 2, ...uleb(offset)],
  i64Store: (offset: number): number[] => [0x37, 0, ...uleb(offset)],
  f32Store: (offset: number): number[] => [0x38, 2, ...uleb(offset)],
  v128Load: (offset: number): number[] => [0xfd, ...uleb(0x00), 0, ...uleb(offset)],
  v128Store: (offset: number): number[] => [0xfd, ...uleb(0x0b), 0, ...uleb(offset)],
  f32Add: [0x92],
  f32Mul: [0x94],
  f32Const: (v: number): number[] => [0x43, ...f32le(v)],
  f32Max: [0x97],
  f32Gt: [0x5e],
  select: [0x1b],
  v128Const: (bytes: number[]): number[] => [0xfd, ...uleb(0x0c), ...bytes],
  v128And: [0xfd, ...uleb(0x4e)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  i32x4Eq: [0xfd, ...uleb(0x37)],
  i32x4Shl: [0xfd, ...uleb(0xab)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4TruncSatF32S: [0xfd, ...uleb(0xf8)],
  f32x4Nearest: [0xfd, ...uleb(0x6a)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Div: [0xfd, ...uleb(0xe7)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
  f32x4Splat: [0xfd, ...uleb(0x13)],
  f32x4ExtractLane: (lane: number): number[] => [0xfd, ...uleb(0x1f), lane],
  v128AnyTrue: [0xfd, ...uleb(0x53)],
  i16x8ExtendLowU8: [0xfd, ...uleb(0x89)],
  i16x8ExtendHighU8: [0xfd, ...uleb(0x8a)],
  i32x4ExtendLowU16: [0xfd, ...uleb(0xa9)],
  i32x4ExtendHighU16: [0xfd, ...uleb(0xaa)],
  f32x4ConvertI32: [0xfd, ...uleb(0xfa)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
};

function body(locals: [count: number, type: number][], code: number[][]): number[] {
  const b = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code.flat(), ...op.end];
  return [...uleb(b.length), ...b];
}

// --- the functions ------------------------------------------------------------------------------

const ROW = D * 4; // bytes of one class row of wT / gradT
/** Classes per pass of the forward loop (see forwardBody): 5 measured ~5% faster than 10 here. */
const FORWARD_GROUP = 5;
const INV255 = 1 / 255;

/** The u8x16 in local BYTES -> four f32x4 of integer pixel values 0..255 in locals X..X+3. */
function convertBlock(BYTES: number, T: number, X: number): number[][] {
  return [
    op.get(BYTES), op.i16x8ExtendLowU8, op.set(T),
    op.get(T), op.i32x4ExtendLowU16, op.f32x4ConvertI32, op.set(X),
    op.get(T), op.i32x4ExtendHighU16, op.f32x4ConvertI32, op.set(X + 1),
    op.get(BYTES), op.i16x8ExtendHighU8, op.set(T),
    op.get(T), op.i32x4ExtendLowU16, op.f32x4ConvertI32, op.set(X + 2),
    op.get(T), op.i32x4ExtendHighU16, op.f32x4ConvertI32, op.set(X + 3),
  ];
}

/** Loop over the 49 blocks of 16 pixels, BLK = byte offset of the block (0, 16, .. 768). */
function blocks(BLK: number, inner: number[][]): number[][] {
  return [
    op.loop(),
    ...inner,
    op.get(BLK), op.i32(16), op.i32Add, op.tee(BLK), op.i32(D), op.i32LtU, op.brIf(0),
    op.end,
  ];
}

/**
 * forward(img, out): out[k] = b[k] + (1/255) * sum_d v_d * wT[k, d], v_d the pixel bytes: one f32x4
 * accumulator per class, each summing 4 pixel lanes, reduced across lanes at the end. The 1/255
 * is applied once per logit rather than per pixel (float32 rounding differs from the reference's by ~1 ulp).
 */
function forwardBody(): number[] {
  const IMG = 0, OUT = 1, BLK = 2, BYTES = 3, T = 4, X = 5, A = 9; // A..A+G-1: accumulators
  const G = FORWARD_GROUP;
  const code: number[][] = [];
  // Classes in groups of G, one pass over the image per group: G accumulators + 4 pixel vectors +
  // temporaries fit in x86-64's 16 SIMD registers, where ten accumulators may spill on every block.
  for (let k0 = 0; k0 < K; k0 += G) {
    const perClass: number[][] = [];
    for (let k = k0; k < Math.min(K, k0 + G); k++) {
      const w = (j: number): number[] => [...op.get(BLK), ...op.i32(4), ...op.i32Mul, ...op.v128Load(LAYOUT.wT + k * ROW + 16 * j), ...op.get(X + j), ...op.f32x4Mul];
      // a_k += (x0 w0 + x1 w1) + (x2 w2 + x3 w3): two short chains instead of one long one.
      perClass.push([...op.get(A + k - k0), ...w(0), ...w(1), ...op.f32x4Add, ...w(2), ...w(3), ...op.f32x4Add, ...op.f32x4Add, ...op.f32x4Add, ...op.set(A + k - k0)]);
    }
    code.push(
      op.i32(0), op.set(BLK),
      ...Array.from({ length: Math.min(K, k0 + G) - k0 }, (_, i) => [...op.f32Const(0), ...op.f32x4Splat, ...op.set(A + i)]),
      ...blocks(BLK, [
        op.get(IMG), op.get(BLK), op.i32Add, op.v128Load(0), op.tee(BYTES), op.v128AnyTrue,
        op.if(), ...convertBlock(BYTES, T, X), ...perClass, op.end,
      ]),
    );
    for (let k = k0; k < Math.min(K, k0 + G); k++) {
      const a = A + k - k0;
      code.push([
        ...op.get(OUT),
        ...op.i32(0), ...op.f32Load(LAYOUT.b + 4 * k),
        ...op.get(a), ...op.f32x4ExtractLane(0), ...op.get(a), ...op.f32x4ExtractLane(1), ...op.f32Add,
        ...op.get(a), ...op.f32x4ExtractLane(2), ...op.get(a), ...op.f32x4ExtractLane(3), ...op.f32Add, ...op.f32Add,
        ...op.f32Const(INV255), ...op.f32Mul, ...op.f32Add,
        ...op.f32Store(4 * k),
      ]);
    }
  }
  return body([[1, I32], [6 + G, V128]], code);
}

/**
 * backwardPair(imgA, imgB, gA, gB): gradT[k, d] += v_A,d * gA[k] + v_B,d * gB[k] over the blocks where
 * either image is nonzero (g* = dlogits / 255, (K) f32 rows of dlogitsScaled). Two samples per read-modify-write halve
 * the stores, which bound this loop. Float32 sums (the reference sums in float32 too, one sample at a time).
 */
function backwardPairBody(): number[] {
  const IMGA = 0, IMGB = 1, GA = 2, GB = 3, BLK = 4, BA = 5, BB = 6, T = 7, XA = 8, XB = 12, SA = 16, SB = 17;
  const perClass: number[][] = [];
  for (let k = 0; k < K; k++) {
    perClass.push([...op.get(GA), ...op.v128Load32Splat(4 * k), ...op.set(SA), ...op.get(GB), ...op.v128Load32Splat(4 * k), ...op.set(SB)]);
    for (let j = 0; j < 4; j++) {
      const at = LAYOUT.gradT + k * ROW + 16 * j;
      const addr = [...op.get(BLK), ...op.i32(4), ...op.i32Mul];
      perClass.push([
        ...addr, ...addr, ...op.v128Load(at),
        ...op.get(XA + j), ...op.get(SA), ...op.f32x4Mul, ...op.get(XB + j), ...op.get(SB), ...op.f32x4Mul, ...op.f32x4Add,
        ...op.f32x4Add, ...op.v128Store(at),
      ]);
    }
  }
  return body([[1, I32], [13, V128]], [
    ...blocks(BLK, [
      op.get(IMGA), op.get(BLK), op.i32Add, op.v128Load(0), op.set(BA),
      op.get(IMGB), op.get(BLK), op.i32Add, op.v128Load(0), op.set(BB),
      op.get(BA), op.get(BB), op.v128Or, op.v128AnyTrue,
      op.if(), ...convertBlock(BA, T, XA), ...convertBlock(BB, T, XB), ...perClass, op.end,
    ]),
  ]);
}

/** forwardChunk(img0, m, out0): forward of m consecutive images at img0 into (m, K) logits at out0. */
function forwardChunkBody(): number[] {
  const IMG = 0, M = 1, OUT = 2, S = 3;
  return body([[1, I32]], [
    op.block(), op.get(M), op.i32Eqz, op.brIf(0),
    op.loop(),
    op.get(IMG), op.get(S), op.i32(D), op.i32Mul, op.i32Add,
    op.get(OUT), op.get(S), op.i32(K * 4), op.i32Mul, op.i32Add,
    op.call(FN.forward),
    op.get(S), op.i32(1), op.i32Add, op.tee(S), op.get(M), op.i32LtU, op.brIf(0),
    op.end, op.end,
  ]);
}

/** backwardChunk(img0, m, g0): backwardPair over rows (0, 1), (2, 3), ..; row m pairs with row m when m is odd. */
function backwardChunkBody(): number[] {
  const IMG = 0, M = 1, G = 2, S = 3;
  const img = (plus: number): number[] => [...op.get(IMG), ...op.get(S), ...op.i32(plus), ...op.i32Add, ...op.i32(D), ...op.i32Mul, ...op.i32Add];
  const g = (plus: number): number[] => [...op.get(G), ...op.get(S), ...op.i32(plus), ...op.i32Add, ...op.i32(KP * 4), ...op.i32Mul, ...op.i32Add];
  return body([[1, I32]], [
    op.block(), op.get(M), op.i32Eqz, op.brIf(0),
    op.loop(),
    img(0), img(1), g(0), g(1), op.call(FN.backwardPair),
    op.get(S), op.i32(2), op.i32Add, op.tee(S), op.get(M), op.i32LtU, op.brIf(0),
    op.end, op.end,
  ]);
}

const f32x4Const = (v: number): number[] => op.v128Const([...f32le(v), ...f32le(v), ...f32le(v), ...f32le(v)]);
const i32x4Const = (a: number, b: number, c: number, d: number): number[] => {
  const dv = new DataView(new ArrayBuffer(16));
  [a, b, c, d].forEach((v, i) => dv.setInt32(4 * i, v, true));
  return op.v128Const(Array.from(new Uint8Array(dv.buffer)));
};

/**
 * dst = exp(src) lane-wise in float32, for src <= 0 (the stable softmax's l - max): clamped at -87 (the
 * smallest normal float32 is e^-87.3), src = n ln2 + r with |r| <= ln2/2 (Cody-Waite split of ln2), e^r by
 * its Taylor series to r^7 (truncation < 6e-9 relative), then times 2^n built in the exponent bits.
 * About 2 ulp from float32(Math.exp(src)).
 */
function expF32x4(src: number, dst: number, n: number, r: number): number[][] {
  const coeffs = [1 / 5040, 1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];
  const horner: number[][] = [f32x4Const(coeffs[0])];
  for (const c of coeffs.slice(1)) horner.push(op.get(r), op.f32x4Mul, f32x4Const(c), op.f32x4Add);
  return [
    op.get(src), f32x4Const(-87), op.f32x4Max, op.set(src),
    op.get(src), f32x4Const(Math.LOG2E), op.f32x4Mul, op.f32x4Nearest, op.set(n),
    op.get(src), op.get(n), f32x4Const(0.693359375), op.f32x4Mul, op.f32x4Sub,
    op.get(n), f32x4Const(-2.12194440e-4), op.f32x4Mul, op.f32x4Sub, op.set(r),
    ...horner,
    op.get(n), op.i32x4TruncSatF32S, i32x4Const(127, 127, 127, 127), op.i32x4Add, op.i32(23), op.i32x4Shl,
    op.f32x4Mul, op.set(dst),
  ];
}

/**
 * softmaxChunk(m): for each of m rows of logits, the stable softmax (exp(l - max) / sum) into probs, the
 * argmax of the probabilities (first on ties, as the reference), dlogitsScaled = (p - onehot(label)) / 255
 * and gradB = the sum over rows of p - onehot. Labels come from LAYOUT.labels.
 */
function softmaxChunkBody(): number[] {
  const M = 0, R = 1, O = 2, P = 3, BEST = 4; // i32
  const MAX = 5, SUM = 6, V = 7, BV = 8; // f32
  const X = 9, E = 12, GB = 15, N = 18, RR = 19, ONE = 20; // v128: X..X+2, E..E+2, GB..GB+2
  const row: number[][] = [
    op.get(R), op.i32(K * 4), op.i32Mul, op.set(O),
    op.get(R), op.i32(KP * 4), op.i32Mul, op.set(P),
    op.get(O), op.f32Load(LAYOUT.logits), op.set(MAX),
  ];
  for (let k = 1; k < K; k++) row.push(op.get(MAX), op.get(O), op.f32Load(LAYOUT.logits + 4 * k), op.f32Max, op.set(MAX));
  for (let j = 0; j < 3; j++) {
    row.push(op.get(O), op.v128Load(LAYOUT.logits + 16 * j), op.get(MAX), op.f32x4Splat, op.f32x4Sub, op.set(X + j));
    row.push(...expF32x4(X + j, E + j, N, RR));
  }
  row.push(op.get(E + 2), i32x4Const(-1, -1, 0, 0), op.v128And, op.set(E + 2)); // lanes 10, 11 are not classes
  row.push(
    op.get(E), op.get(E + 1), op.f32x4Add, op.get(E + 2), op.f32x4Add, op.set(N),
    op.get(N), op.f32x4ExtractLane(0), op.get(N), op.f32x4ExtractLane(1), op.f32Add,
    op.get(N), op.f32x4ExtractLane(2), op.f32Add, op.get(N), op.f32x4ExtractLane(3), op.f32Add, op.set(SUM),
  );
  const iota = [i32x4Const(0, 1, 2, 3), i32x4Const(4, 5, 6, 7), i32x4Const(8, 9, 10, 11)];
  for (let j = 0; j < 3; j++) {
    row.push(
      // p = e / sum
      op.get(E + j), op.get(SUM), op.f32x4Splat, op.f32x4Div, op.set(X + j),
      op.get(P), op.get(X + j), op.v128Store(LAYOUT.probs + 16 * j),
      // g = p - onehot(label)
      op.get(X + j),
      iota[j], op.get(R), op.i32(2), op.i32Shl, op.i32Load(LAYOUT.labels), op.i32x4Splat, op.i32x4Eq, op.get(ONE), op.v128And,
      op.f32x4Sub, op.set(X + j),
      op.get(GB + j), op.get(X + j), op.f32x4Add, op.set(GB + j),
      op.get(P), op.get(X + j), f32x4Const(INV255), op.f32x4Mul, op.v128Store(LAYOUT.dlogitsScaled + 16 * j),
    );
  }
  // argmax over the stored probabilities: strictly greater replaces, so the first maximum wins.
  row.push(op.i32(0), op.set(BEST), op.get(P), op.f32Load(LAYOUT.probs), op.set(BV));
  for (let k = 1; k < K; k++) {
    row.push(
      op.get(P), op.f32Load(LAYOUT.probs + 4 * k), op.set(V),
      op.i32(k), op.get(BEST), op.get(V), op.get(BV), op.f32Gt, op.select, op.set(BEST),
      op.get(V), op.get(BV), op.get(V), op.get(BV), op.f32Gt, op.select, op.set(BV),
    );
  }
  row.push(op.get(R), op.i32(2), op.i32Shl, op.get(BEST), op.i32Store(LAYOUT.argmax));
  return body([[4, I32], [4, F32], [12, V128]], [
    f32x4Const(1), op.set(ONE),
    op.block(), op.get(M), op.i32Eqz, op.brIf(0),
    op.loop(),
    ...row,
    op.get(R), op.i32(1), op.i32Add, op.tee(R), op.get(M), op.i32LtU, op.brIf(0),
    op.end, op.end,
    op.i32(0), op.get(GB), op.v128Store(LAYOUT.gradB),
    op.i32(0), op.get(GB + 1), op.v128Store(LAYOUT.gradB + 16),
    op.i32(0), op.get(GB + 2), op.v128Store(LAYOUT.gradB + 32),
  ]);
}

/** Function indices, in the order of the function and code sections. */
const FN = { forward: 0, backwardPair: 1, forwardChunk: 2, backwardChunk: 3, softmaxChunk: 4 } as const;

/** The exports of the module built by {@link buildKernelModule} besides `mem`. */
export const KERNEL_EXPORTS = ['forwardChunk', 'backwardChunk', 'softmaxChunk'] as const;

/** The complete module: one fixed-size memory `mem` and the functions of KERNEL_EXPORTS. */
export function buildKernelModule(): Uint8Array {
  const types = section(1, vec([
    [0x60, ...vec([[I32], [I32]]), ...vec([])], // forward (img, out)
    [0x60, ...vec([[I32], [I32], [I32], [I32]]), ...vec([])], // backwardPair (imgA, imgB, gA, gB)
    [0x60, ...vec([[I32], [I32], [I32]]), ...vec([])], // forwardChunk / backwardChunk (img0, m, buf0)
    [0x60, ...vec([[I32]]), ...vec([])], // softmaxChunk (m)
  ]));
  const funcs = section(3, vec([[0], [1], [2], [2], [3]]));
  const memory = section(5, vec([[0x01, ...uleb(MEMORY_PAGES), ...uleb(MEMORY_PAGES)]]));
  const exports = section(7, vec([
    [...str('mem'), 0x02, 0],
    [...str('forwardChunk'), 0x00, FN.forwardChunk],
    [...str('backwardChunk'), 0x00, FN.backwardChunk],
    [...str('softmaxChunk'), 0x00, FN.softmaxChunk],
  ]));
  const code = section(10, vec([forwardBody(), backwardPairBody(), forwardChunkBody(), backwardChunkBody(), softmaxChunkBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...funcs, ...memory, ...exports, ...code]);
}
