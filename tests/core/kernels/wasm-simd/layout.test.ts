// The kernels' memory layout: regions placed one after another from their sizes, aligned, disjoint, and
// inside the memory the module gets; the slack the SIMD loops rely on (they read whole f32x4); and the
// fixed cut of a batch into rounds and units, which is what makes results independent of the thread count.
// Legend: D = 784, K = 10, KP = 12.

import { describe, expect, it } from 'vitest';
import {
  accOffset, BANKS, GROUP_FLOATS, GROUPS, KP, LAYOUT, layoutRegions, MAX_THREADS, MEMORY_PAGES, OUT_BYTES, outOffset, REGION_ALIGN, REGION_BYTES,
  ROUND_ROWS, SCRATCH_BYTES, scratchOffset, SLOT_BYTES, slotOffset, SLOTS, UNIT_ROWS, unitRows, WASM_PAGE_BYTES,
  type OutPart, type Region, type ScratchPart, type SlotPart,
} from '../../../../core/kernels/wasm-simd/layout';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../../core/shapes';

const regions = Object.keys(REGION_BYTES) as Region[];
const end = (r: Region): number => LAYOUT[r] + REGION_BYTES[r];

/** Every [start, end) span the kernels use: plain regions, accumulators, slots, scratch and outputs, by part. */
function spans(): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = (['control', 'params', 'wT', 'b'] as const).map((r) => ({ name: r, start: LAYOUT[r], end: end(r) }));
  for (let g = 0; g < GROUPS; g++) out.push({ name: `acc ${g}`, start: accOffset(g), end: accOffset(g) + GROUP_FLOATS * 4 });
  for (let s = 0; s < SLOTS; s++) for (const p of Object.keys(SLOT_BYTES) as SlotPart[]) out.push({ name: `slot ${s} ${p}`, start: slotOffset(s, p), end: slotOffset(s, p) + SLOT_BYTES[p] });
  for (let t = 0; t < MAX_THREADS; t++) {
    for (const p of Object.keys(SCRATCH_BYTES) as ScratchPart[]) out.push({ name: `scratch ${t} ${p}`, start: scratchOffset(t, p), end: scratchOffset(t, p) + SCRATCH_BYTES[p] });
    for (let g = 0; g < GROUPS; g++) for (const p of Object.keys(OUT_BYTES) as OutPart[]) out.push({ name: `out ${t} ${g} ${p}`, start: outOffset(t, g, p), end: outOffset(t, g, p) + OUT_BYTES[p] });
  }
  return out;
}

describe('layoutRegions', () => {
  it('starts each region at the previous end rounded up to the alignment', () => {
    expect(layoutRegions({ a: 3, b: 5, c: 1 }, 4)).toEqual({ offsets: { a: 0, b: 4, c: 12 }, end: 13 });
  });
});

describe('LAYOUT', () => {
  it('has every region and every span aligned to a cache line (and so to 16 bytes for v128 loads)', () => {
    expect(Object.keys(LAYOUT)).toEqual(regions);
    for (const s of spans()) expect(s.start % REGION_ALIGN, s.name).toBe(0);
    expect(REGION_ALIGN % 16).toBe(0);
  });

  it('no two spans overlap or share a cache line (so no two threads write the same line)', () => {
    const all = spans().sort((a, b) => a.start - b.start);
    for (let i = 1; i < all.length; i++) expect(all[i].start, `${all[i - 1].name} and ${all[i].name}`).toBeGreaterThanOrEqual(Math.ceil(all[i - 1].end / REGION_ALIGN) * REGION_ALIGN);
  });

  it('fits in MEMORY_PAGES, with no page to spare', () => {
    const last = Math.max(...regions.map(end));
    expect(last).toBeLessThanOrEqual(MEMORY_PAGES * WASM_PAGE_BYTES);
    expect(last).toBeGreaterThan((MEMORY_PAGES - 1) * WASM_PAGE_BYTES);
    expect(SLOTS).toBe(BANKS * GROUPS);
    expect(MAX_THREADS).toBe(GROUPS);
  });

  it('sizes the regions for what the kernels read and write', () => {
    expect(REGION_BYTES.wT).toBe(K * D * 4);
    expect(GROUP_FLOATS).toBe(K * D + KP); // kernels.wat: gradB right after gradT, GROUP = 7852 floats
    expect(REGION_BYTES.params).toBe((D * K + K) * 4); // W then b, as the caller's Float32Array
    expect(SLOT_BYTES.images).toBe(UNIT_ROWS * D);
    // softmaxChunk loads each logits row as KP floats: the last row's reach stays inside the region
    expect(SCRATCH_BYTES.logits).toBeGreaterThanOrEqual(((UNIT_ROWS - 1) * K + KP) * 4);
    expect(SCRATCH_BYTES.dlogits).toBe(UNIT_ROWS * KP * 4);
    // masksTChunk reads whole blocks of 16 rows, and keeps a bit per row in an i64 per 4-pixel group
    expect(SCRATCH_BYTES.images).toBeGreaterThanOrEqual(Math.ceil(UNIT_ROWS / 16) * 16 * D);
    expect(UNIT_ROWS).toBeLessThanOrEqual(64);
    expect(SCRATCH_BYTES.masksT).toBe((D / 4) * 8);
    expect(OUT_BYTES.group).toBe(GROUP_FLOATS * 4);
    expect(outOffset(0, 0, 'result') % 8).toBe(0); // a float64 loss
    expect(KP % 4).toBe(0);
    expect(KP).toBeGreaterThanOrEqual(K);
  });
});

describe('unitRows: the fixed cut of a round into units', () => {
  it('covers every round size exactly once, in order, each unit within UNIT_ROWS', () => {
    for (let m = 1; m <= ROUND_ROWS; m++) {
      let next = 0;
      for (let g = 0; g < GROUPS; g++) {
        const { start, end: stop } = unitRows(m, g);
        expect(start).toBe(next);
        expect(stop - start).toBeLessThanOrEqual(UNIT_ROWS);
        next = stop;
      }
      expect(next).toBe(m);
    }
    expect([0, 1, 2, 3].map((g) => unitRows(256, g))).toEqual([{ start: 0, end: 64 }, { start: 64, end: 128 }, { start: 128, end: 192 }, { start: 192, end: 256 }]);
    expect([0, 1, 2, 3].map((g) => unitRows(96, g).end - unitRows(96, g).start)).toEqual([24, 24, 24, 24]);
  });
});
