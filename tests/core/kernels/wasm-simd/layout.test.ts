// The kernels' memory layout: regions placed one after another from their sizes, aligned, disjoint, and
// inside the memory the module gets; plus the slack the SIMD loops rely on (they read whole f32x4).
// Legend: D = 784, K = 10, KP = 12, CHUNK = IMAGE_CHUNK rows.

import { describe, expect, it } from 'vitest';
import { IMAGE_CHUNK, KP, LAYOUT, layoutRegions, MEMORY_PAGES, REGION_ALIGN, REGION_BYTES, WASM_PAGE_BYTES, type Region } from '../../../../core/kernels/wasm-simd/layout';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../../core/shapes';

const regions = Object.keys(REGION_BYTES) as Region[];
const end = (r: Region): number => LAYOUT[r] + REGION_BYTES[r];

describe('layoutRegions', () => {
  it('starts each region at the previous end rounded up to the alignment', () => {
    expect(layoutRegions({ a: 3, b: 5, c: 1 }, 4)).toEqual({ offsets: { a: 0, b: 4, c: 12 }, end: 13 });
  });
});

describe('LAYOUT', () => {
  it('has every region, aligned to a cache line (and so to 16 bytes for v128 loads)', () => {
    expect(Object.keys(LAYOUT)).toEqual(regions);
    for (const r of regions) expect(LAYOUT[r] % REGION_ALIGN, r).toBe(0);
    expect(REGION_ALIGN % 16).toBe(0);
  });

  it('regions do not overlap', () => {
    for (const a of regions) {
      for (const b of regions) {
        if (a === b) continue;
        const disjoint = end(a) <= LAYOUT[b] || end(b) <= LAYOUT[a];
        expect(disjoint, `${a} [${LAYOUT[a]}, ${end(a)}) and ${b} [${LAYOUT[b]}, ${end(b)})`).toBe(true);
      }
    }
  });

  it('fits in MEMORY_PAGES, with no page to spare', () => {
    const last = Math.max(...regions.map(end));
    expect(last).toBeLessThanOrEqual(MEMORY_PAGES * WASM_PAGE_BYTES);
    expect(last).toBeGreaterThan((MEMORY_PAGES - 1) * WASM_PAGE_BYTES);
  });

  it('sizes the regions for what the kernels read and write', () => {
    expect(REGION_BYTES.wT).toBe(K * D * 4);
    expect(REGION_BYTES.gradT).toBe(K * D * 4);
    expect(REGION_BYTES.images).toBe(IMAGE_CHUNK * D);
    // softmaxChunk loads each logits row as KP floats: the last row's reach stays inside the region
    expect(REGION_BYTES.logits).toBeGreaterThanOrEqual(((IMAGE_CHUNK - 1) * K + KP) * 4);
    // backwardChunk pairs an odd chunk's last row with the next one, in the image and dlogits regions
    expect(IMAGE_CHUNK % 2).toBe(0);
    expect(REGION_BYTES.dlogitsScaled).toBeGreaterThanOrEqual((IMAGE_CHUNK + 1) * KP * 4);
    expect(REGION_BYTES.gradB).toBe(KP * 4); // stored as three f32x4
    expect(KP % 4).toBe(0);
    expect(KP).toBeGreaterThanOrEqual(K);
  });
});
