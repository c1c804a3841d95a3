// The live sliders' scales: the learning rate moves one round value from any value (the old slider's
// rounding made 0.1 → 0.1 stick), pages by four, ends at 0.001 and 10; the pace runs from 1 batch/s to
// full speed, and a pace set elsewhere shows at its nearest stop.

import { describe, expect, it } from 'vitest';
import { LR_MAX, LR_MIN, LR_STOPS, lrAtPosition, lrForKey, lrToPosition, paceAtPosition, paceToPosition, PACE_STOPS, stepLr, stepWd, wdAtPosition, wdForKey, wdToPosition, WD_STOPS } from '../../../renderer/components/scales';
import { formatWeightDecay } from '../../../renderer/components/format';
import { LIMITS } from '../../../core/train';

describe('learning-rate scale', () => {
  it('stops at round values, 10 a decade, from 0.001 to 10', () => {
    expect(LR_STOPS[0]).toBe(0.001);
    expect(LR_STOPS.at(-1)).toBe(10);
    expect(LR_STOPS).toHaveLength(41);
    expect(LR_STOPS).toContain(0.1);
    expect(LR_STOPS).toContain(0.25);
    for (let i = 1; i < LR_STOPS.length; i++) expect(LR_STOPS[i]).toBeGreaterThan(LR_STOPS[i - 1]);
  });

  it('an arrow key moves one stop from any value, up or down (the issue: 0.1, 1, 0.01, 0.001, 3, 0.032)', () => {
    expect(lrForKey(0.1, 'ArrowUp')).toBe(0.12);
    expect(lrForKey(0.1, 'ArrowRight')).toBe(0.12);
    expect(lrForKey(1, 'ArrowUp')).toBe(1.2);
    expect(lrForKey(0.01, 'ArrowUp')).toBe(0.012);
    expect(lrForKey(0.001, 'ArrowUp')).toBe(0.0012);
    expect(lrForKey(3, 'ArrowDown')).toBe(2.5);
    expect(lrForKey(0.032, 'ArrowDown')).toBe(0.03);
    expect(lrForKey(0.032, 'ArrowLeft')).toBe(0.03);
    expect(lrForKey(0.07, 'ArrowUp')).toBe(0.08); // a typed value between stops
    expect(lrForKey(0.07, 'ArrowDown')).toBe(0.06);
    // From every stop, up then down comes back: nothing sticks.
    for (const v of LR_STOPS.slice(0, -1)) {
      const up = stepLr(v, 1);
      expect(up).toBeGreaterThan(v);
      expect(stepLr(up, -1)).toBe(v);
    }
  });

  it('PageUp/PageDown move four stops, Home/End go to the ends, the ends hold, other keys are not ours', () => {
    expect(lrForKey(0.1, 'PageUp')).toBe(0.25);
    expect(lrForKey(0.1, 'PageDown')).toBe(0.04);
    expect(lrForKey(0.5, 'Home')).toBe(LR_MIN);
    expect(lrForKey(0.5, 'End')).toBe(LR_MAX);
    expect(lrForKey(10, 'ArrowUp')).toBe(10);
    expect(lrForKey(0.001, 'ArrowDown')).toBe(0.001);
    expect(lrForKey(100, "ArrowDown")).toBe(10); // beyond the slider (typed): down goes back onto it
    expect(lrForKey(0.1, 'a')).toBeNull();
  });

  it('positions are log10, clamped; a drag snaps to the nearest stop', () => {
    expect(lrToPosition(0.1)).toBeCloseTo(-1, 12);
    expect(lrToPosition(100)).toBe(1);
    expect(lrToPosition(1e-6)).toBe(-3);
    expect(lrAtPosition(-0.3)).toBe(0.5);
    expect(lrAtPosition(-0.52)).toBe(0.3);
    expect(lrAtPosition(-3)).toBe(0.001);
    expect(lrAtPosition(1)).toBe(10);
  });
});

describe('weight-decay scale', () => {
  it('starts at 0 (d2l\'s plain run), then 1-2-5 a decade up to 0.01, within the core\'s LIMITS', () => {
    expect(WD_STOPS).toEqual([0, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01]);
    expect(WD_STOPS.at(-1)).toBeLessThanOrEqual(LIMITS.maxWeightDecay);
    expect(WD_STOPS.map(formatWeightDecay)).toEqual(['0', '0.00001', '0.00002', '0.00005', '0.0001', '0.0002', '0.0005', '0.001', '0.002', '0.005', '0.01']);
  });

  it('a key moves one stop from any value; PageUp/PageDown a decade; Home 0, End 0.01; the ends hold', () => {
    expect(wdForKey(0, 'ArrowRight')).toBe(0.00001);
    expect(wdForKey(0.00001, 'ArrowLeft')).toBe(0);
    expect(wdForKey(0, 'ArrowLeft')).toBe(0);
    expect(wdForKey(0.001, 'ArrowUp')).toBe(0.002);
    expect(wdForKey(0.003, 'ArrowUp')).toBe(0.005); // between stops
    expect(wdForKey(0.003, 'ArrowDown')).toBe(0.002);
    expect(wdForKey(0.0001, 'PageUp')).toBe(0.001);
    expect(wdForKey(0.001, 'PageDown')).toBe(0.0001);
    expect(wdForKey(0.00002, 'PageDown')).toBe(0);
    expect(wdForKey(0.01, 'ArrowUp')).toBe(0.01);
    expect(wdForKey(0.5, 'ArrowDown')).toBe(0.01); // beyond the slider (the CLI allows up to 1): down to its end
    expect(wdForKey(0.005, 'Home')).toBe(0);
    expect(wdForKey(0, 'End')).toBe(0.01);
    expect(wdForKey(0.001, 'x')).toBeNull();
    expect(stepWd(0.001, 0)).toBe(0.001);
  });

  it('positions are stop indices: 0 only for 0, others to the nearest stop on the log scale', () => {
    expect(WD_STOPS.map(wdToPosition)).toEqual(WD_STOPS.map((_, i) => i));
    expect(wdToPosition(0.0000001)).toBe(1);
    expect(wdToPosition(0.0008)).toBe(7);
    expect(wdToPosition(0.5)).toBe(10);
    expect([0, 4, 10, -1, 99, 6.6].map(wdAtPosition)).toEqual([0, 0.0001, 0.01, 0, 0.01, 0.001]);
  });
});

describe('pace scale', () => {
  it('runs from 1 batch/s to full speed, full speed last', () => {
    expect(PACE_STOPS[0]).toBe(1);
    expect(PACE_STOPS.at(-1)).toBeNull();
    expect(paceAtPosition(PACE_STOPS.length - 1)).toBeNull();
    expect(paceAtPosition(0)).toBe(1);
    expect(paceToPosition(null)).toBe(PACE_STOPS.length - 1);
    expect(paceAtPosition(paceToPosition(20))).toBe(20);
    expect(paceAtPosition(paceToPosition(60))).toBe(50); // set elsewhere (an older client): the nearest stop
  });
});
