// units.ts's choice of where a counting unit reads its rows: where they lie when the slot lists them one
// after another (a test set in file order), else gathered.

import { describe, expect, it } from 'vitest';
import { slotOffset } from '../../../../core/kernels/wasm-simd/layout';
import { memoryViews, rowsInOrder } from '../../../../core/kernels/wasm-simd/units';
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
