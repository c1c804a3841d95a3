// Builds, byte by byte, the small WebAssembly SIMD module behind the fast kernels: one sample's forward
// product (logits) and its weight-gradient update, 16 pixels of the uint8 image at a time in f32x4 lanes,
// all-zero 16-pixel blocks skipped. No build step, no toolchain: a few opcodes suffice, made at startup.
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
  /** gradT: (K, D) f32, d(sum loss)/dW transposed, accumulated by `backward`. */
  gradT: 32_768,
  /** gradB: (K) f32, d(sum loss)/db, right after gradT so one fill clears both. */
  gradB: 64_128,
  /** logits: (K) f32 of the last sample `forward` saw. */
  logits: 64_256,
  /** dlogits: (K) f32 written by JS before `backward`: p - onehot. */
  dlogits: 64_320,
  /** images: (IMAGE_CHUNK, D) u8, the rows being worked on, copied in by JS. */
  images: 65_536,
} as const;

/** Images the module's image area holds at once. */
export const IMAGE_CHUNK = 256;

/** Pages (64 KiB) of the module's memory. */
export const MEMORY_PAGES = Math.ceil((LAYOUT.images + IMAGE_CHUNK * D) / 65_536);

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
const INV255 = 1 / 255;

/**
 * Loads the 16-byte block at img + blk and, when any pixel is nonzero, runs `then` with x0..x3 holding
 * the 16 pixels as f32x4 of integer values 0..255 (the 1/255 scale is applied once, outside the loop).
 * Locals used: IMG, BLK (i32, byte offset of the block), BYTES, T, X0..X3 (v128).
 */
function blockLoop(L: { IMG: number; BLK: number; BYTES: number; T: number; X: number }, then: number[][]): number[][] {
  const { IMG, BLK, BYTES, T, X } = L;
  return [
    op.loop(),
    op.get(IMG), op.get(BLK), op.i32Add, op.v128Load(0), op.tee(BYTES), op.v128AnyTrue,
    op.if(),
    op.get(BYTES), op.i16x8ExtendLowU8, op.set(T),
    op.get(T), op.i32x4ExtendLowU16, op.f32x4ConvertI32, op.set(X),
    op.get(T), op.i32x4ExtendHighU16, op.f32x4ConvertI32, op.set(X + 1),
    op.get(BYTES), op.i16x8ExtendHighU8, op.set(T),
    op.get(T), op.i32x4ExtendLowU16, op.f32x4ConvertI32, op.set(X + 2),
    op.get(T), op.i32x4ExtendHighU16, op.f32x4ConvertI32, op.set(X + 3),
    ...then,
    op.end,
    op.get(BLK), op.i32(16), op.i32Add, op.tee(BLK), op.i32(D), op.i32LtU, op.brIf(0),
    op.end,
  ];
}

/**
 * forward(img: i32): logits[k] = b[k] + (1/255) * sum_d v_d * wT[k, d], v_d the pixel bytes: ten f32x4
 * accumulators (one per class), each summing 4 pixel lanes, reduced across lanes at the end.
 */
function forwardBody(): number[] {
  const IMG = 0, BLK = 1, BYTES = 2, T = 3, X = 4, A = 8; // A..A+9: accumulators
  const perClass: number[][] = [];
  for (let k = 0; k < K; k++) {
    const w = (j: number): number[] => [...op.get(BLK), ...op.i32(4), ...op.i32Mul, ...op.v128Load(LAYOUT.wT + k * ROW + 16 * j), ...op.get(X + j), ...op.f32x4Mul];
    // a_k += (x0 w0 + x1 w1) + (x2 w2 + x3 w3): two short chains instead of one long one.
    perClass.push([...op.get(A + k), ...w(0), ...w(1), ...op.f32x4Add, ...w(2), ...w(3), ...op.f32x4Add, ...op.f32x4Add, ...op.f32x4Add, ...op.set(A + k)]);
  }
  const reduce: number[][] = [];
  for (let k = 0; k < K; k++) {
    reduce.push([
      ...op.i32(0),
      ...op.i32(0), ...op.f32Load(LAYOUT.b + 4 * k),
      ...op.get(A + k), ...op.f32x4ExtractLane(0), ...op.get(A + k), ...op.f32x4ExtractLane(1), ...op.f32Add,
      ...op.get(A + k), ...op.f32x4ExtractLane(2), ...op.get(A + k), ...op.f32x4ExtractLane(3), ...op.f32Add, ...op.f32Add,
      ...op.f32Const(INV255), ...op.f32Mul, ...op.f32Add,
      ...op.f32Store(LAYOUT.logits + 4 * k),
    ]);
  }
  return body([[1, I32], [6 + K, V128]], [
    ...blockLoop({ IMG, BLK, BYTES, T, X }, perClass),
    ...reduce,
  ]);
}

/**
 * backward(img: i32): gradT[k, d] += v_d * (dlogits[k] / 255) for every pixel of nonzero blocks (a zero
 * pixel adds 0), and gradB[k] += dlogits[k]. Sums in float32, sample after sample, as the reference.
 */
function backwardBody(): number[] {
  const IMG = 0, BLK = 1, BYTES = 2, T = 3, X = 4, G = 8; // G..G+9: splat(dlogits[k] / 255)
  const init: number[][] = [];
  for (let k = 0; k < K; k++) {
    init.push([...op.i32(0), ...op.f32Load(LAYOUT.dlogits + 4 * k), ...op.f32Const(INV255), ...op.f32Mul, ...op.f32x4Splat, ...op.set(G + k)]);
  }
  const perClass: number[][] = [];
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < 4; j++) {
      const at = LAYOUT.gradT + k * ROW + 16 * j;
      const addr = [...op.get(BLK), ...op.i32(4), ...op.i32Mul];
      perClass.push([...addr, ...addr, ...op.v128Load(at), ...op.get(X + j), ...op.get(G + k), ...op.f32x4Mul, ...op.f32x4Add, ...op.v128Store(at)]);
    }
  }
  const bias: number[][] = [];
  for (let k = 0; k < K; k++) {
    bias.push([...op.i32(0), ...op.i32(0), ...op.f32Load(LAYOUT.gradB + 4 * k), ...op.i32(0), ...op.f32Load(LAYOUT.dlogits + 4 * k), ...op.f32Add, ...op.f32Store(LAYOUT.gradB + 4 * k)]);
  }
  return body([[1, I32], [6 + K, V128]], [
    ...init,
    ...blockLoop({ IMG, BLK, BYTES, T, X }, perClass),
    ...bias,
  ]);
}

/** The exports of the module built by {@link buildKernelModule}, in export order. */
export const KERNEL_EXPORTS = ['forward', 'backward'] as const;

/** The complete module: one fixed-size memory `mem` and the functions of KERNEL_EXPORTS, both (i32) -> (). */
export function buildKernelModule(): Uint8Array {
  const types = section(1, vec([[0x60, ...vec([[I32]]), ...vec([])]])); // (i32) -> ()
  const funcs = section(3, vec([[0], [0]]));
  const memory = section(5, vec([[0x01, ...uleb(MEMORY_PAGES), ...uleb(MEMORY_PAGES)]]));
  const exports = section(7, vec([
    [...str('mem'), 0x02, 0],
    ...KERNEL_EXPORTS.map((name, i) => [...str(name), 0x00, i]),
  ]));
  const code = section(10, vec([forwardBody(), backwardBody()]));
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...funcs, ...memory, ...exports, ...code]);
}
