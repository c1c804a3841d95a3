// units.ts's choice of where a counting unit reads its rows: where they lie when the slot lists them one
// after another (a test set in file order), else gathered; and a training unit run on rows prepared ahead.

import { describe, expect, it } from 'vitest';
import { createKernelPool } from '../../../../core/kernels/pool';
import { aheadArea, GROUP_FLOATS, GROUPS, LAYOUT, outOffset, scratchArea, slotOffset } from '../../../../core/kernels/wasm-simd/layout';
import { memoryViews, prepareTrainUnit, rowsInOrder, runTrainUnit } from '../../../../core/kernels/wasm-simd/units';
import { initParams } from '../../../../core/model';
import { createRng, nextInt } from '../../../../core/rng';
import { NUM_INPUTS as D } from '../../../../core/shapes';

describe('rowsInOrder', () => {
  const views = memoryViews(new ArrayBuffer(1 << 20));
  const list = (addrs: number[]): void => addrs.forEach((a, r) => (views.i32[(slotOffset(3, 'rows') >> 2) + r] = a));
  it('gives the first row\'s address when every listed row follows the one before', () => {
    list([5000, 5000 + D, 5000 + 2 * D, 5000 + 3 * D, 42]); // the entry past the rows (42) is not read
    expect(rowsInOrder(views, 3, 4)).toBe(5000);
    expect(rowsInOrder(views, 3, 1)).toBe(5000);
  });
  it('gives -1 when any row is elsewhere (shuffled rows), even with the ends in place', () => {
    list([5000, 5000 + 2 * D, 5000 + D, 5000 + 3 * D]);
    expect(rowsInOrder(views, 3, 4)).toBe(-1);
    list([5000, 5000 + D, 9000, 5000 + 3 * D]);
    expect(rowsInOrder(views, 3, 4)).toBe(-1);
  });
});

describe('prepareTrainUnit', () => {
  it('what runTrainUnit needs before the weights: a unit run on rows prepared ahead gives the same output, bit for bit, and reads them from there', () => {
    const pool = createKernelPool(null, { datasets: true });
    if (!pool) throw new Error('no wasm SIMD');
    const ex = pool.instance.exports;
    const rows = 37;
    const data = pool.allocate(100 * D) as Uint8Array;
    const rng = createRng(5);
    for (let i = 0; i < data.length; i++) data[i] = nextInt(rng, 3) === 0 ? nextInt(rng, 256) : 0;
    const views = memoryViews(pool.instance.memory.buffer);
    const slot = 2;
    const picks = Array.from({ length: rows }, (_, r) => (r * 41 + 7) % 100);
    picks.forEach((p, r) => {
      views.i32[(slotOffset(slot, 'rows') >> 2) + r] = data.byteOffset + p * D;
      views.i32[(slotOffset(slot, 'labels') >> 2) + r] = p % 10;
    });
    views.f32.set(initParams(createRng(1)).data, LAYOUT.params >> 2);
    expect(ex.loadParams(LAYOUT.params, LAYOUT.wT, LAYOUT.b)).toBe(1);
    const group = outOffset(1, slot % GROUPS, 'group');
    const result = outOffset(1, slot % GROUPS, 'result');
    // the gradient group and the loss (f64) and correct count (i32): what the unit writes
    const output = (): Uint8Array => Uint8Array.from([...views.u8.subarray(group, group + GROUP_FLOATS * 4), ...views.u8.subarray(result, result + 12)]);
    runTrainUnit(ex, views, slot, 1, rows, false);
    const plain = output();
    // prepared in the running thread's own scratch, or in a bank's ahead area (the calling thread's first unit)
    for (const area of [scratchArea(1), aheadArea(0), aheadArea(1)]) {
      views.u8.fill(0x5a, group, group + GROUP_FLOATS * 4);
      views.u8.fill(0x5a, result, result + 12);
      prepareTrainUnit(ex, views, slot, area, rows);
      const saved = data.slice();
      data.fill(9); // the rows where they lie change after the gather: a prepared run does not read them again
      if (area !== scratchArea(1)) views.u8.fill(7, scratchArea(1), scratchArea(1) + D); // nor its own scratch's rows, when prepared elsewhere
      runTrainUnit(ex, views, slot, 1, rows, false, area);
      expect(Buffer.from(output()).equals(Buffer.from(plain)), `area ${area}`).toBe(true);
      data.set(saved);
    }
    pool.close();
  });
});
