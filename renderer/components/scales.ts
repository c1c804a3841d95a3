// The scales of the run's live sliders, as pure functions. Learning rate: a log scale over round
// values (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 per decade, 0.001 to 10), and a key always moves to the next
// one from any value, even one typed in between; weight decay: 0, then 1, 2, 5 per decade from 0.00001 to
// 0.01 (log-like, with 0 at the left end); pace: 1 batch/s up to full speed, in round steps.

/** The slider's round learning rates within a decade. */
const LR_MANTISSAS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/** Lowest learning rate on the slider (the number field goes further, to LIMITS). */
export const LR_MIN = 0.001;
/** Highest learning rate on the slider. */
export const LR_MAX = 10;

/** Every learning rate the slider stops at, ascending: 0.001, 0.0012, …, 8, 10. */
export const LR_STOPS: readonly number[] = (() => {
  const out: number[] = [];
  for (let e = -3; e < 1; e++) for (const m of LR_MANTISSAS) out.push(Number((m * 10 ** e).toPrecision(2)));
  out.push(LR_MAX);
  return out;
})();

/** PageUp/PageDown move this many stops: about a tenth of the slider, ×2.5. */
export const LR_PAGE_STOPS = 4;

/** The slider position (log10 lr) of a learning rate, clamped to the slider's range. */
export function lrToPosition(lr: number): number {
  return Math.log10(Math.min(LR_MAX, Math.max(LR_MIN, lr)));
}

/** The stop nearest to a slider position (on the log scale). */
export function lrAtPosition(position: number): number {
  let best = LR_STOPS[0];
  for (const v of LR_STOPS) if (Math.abs(Math.log10(v) - position) < Math.abs(Math.log10(best) - position)) best = v;
  return best;
}

/**
 * The value `n` stops above (positive) or below (negative) `v` on the ascending `stops`, from any value: one
 * between two stops moves to the next one that way. Clamped to the ends.
 */
function stepAlong(stops: readonly number[], v: number, n: number): number {
  if (n === 0 || !Number.isFinite(v)) return v;
  const eps = 1e-9;
  if (n > 0) {
    const first = stops.findIndex((s) => s > v * (1 + eps));
    if (first < 0) return stops[stops.length - 1];
    return stops[Math.min(stops.length - 1, first + n - 1)];
  }
  let last = -1;
  for (let i = 0; i < stops.length; i++) if (stops[i] < v * (1 - eps)) last = i;
  if (last < 0) return stops[0];
  return stops[Math.max(0, last + n + 1)];
}

/** What a key does on a slider over `stops`: the arrows one stop, PageUp/PageDown `page` stops, Home/End the ends; null for any other key. */
function valueForKey(stops: readonly number[], page: number, v: number, key: string): number | null {
  switch (key) {
    case 'ArrowUp':
    case 'ArrowRight':
      return stepAlong(stops, v, 1);
    case 'ArrowDown':
    case 'ArrowLeft':
      return stepAlong(stops, v, -1);
    case 'PageUp':
      return stepAlong(stops, v, page);
    case 'PageDown':
      return stepAlong(stops, v, -page);
    case 'Home':
      return stops[0];
    case 'End':
      return stops[stops.length - 1];
    default:
      return null;
  }
}

/**
 * The learning rate `stops` stops above (positive) or below (negative) `lr`, from any value: 0.1 → 0.12,
 * 0.07 (between stops) → 0.08 up or 0.06 down. Clamped to the slider's ends, LR_MIN and LR_MAX.
 */
export function stepLr(lr: number, stops: number): number {
  return stepAlong(LR_STOPS, lr, stops);
}

/** What a key does to the learning rate: the new value, or null when the key is not the slider's. */
export function lrForKey(lr: number, key: string): number | null {
  return valueForKey(LR_STOPS, LR_PAGE_STOPS, lr, key);
}

/** The weight-decay slider's stops, ascending: 0 (none: d2l's softmax regression), then 1-2-5 per decade. */
export const WD_STOPS: readonly number[] = [0, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01];

/** PageUp/PageDown on the weight-decay slider move this many stops (a decade). */
export const WD_PAGE_STOPS = 3;

/** The slider position (stop index) of a weight decay: its stop, or the nearest on the log scale (0 only for 0). */
export function wdToPosition(wd: number): number {
  if (!(wd > 0)) return 0;
  let best = 1;
  for (let i = 1; i < WD_STOPS.length; i++) if (Math.abs(Math.log(WD_STOPS[i] / wd)) < Math.abs(Math.log(WD_STOPS[best] / wd))) best = i;
  return best;
}

/** The weight decay of a slider position. */
export function wdAtPosition(position: number): number {
  return WD_STOPS[Math.min(WD_STOPS.length - 1, Math.max(0, Math.round(position)))];
}

/**
 * The weight decay `stops` stops above (positive) or below (negative) `wd`, from any value: 0.001 → 0.002,
 * 0.003 (between stops) → 0.005 up or 0.002 down. Clamped to the slider's ends, 0 and 0.01.
 */
export function stepWd(wd: number, stops: number): number {
  return stepAlong(WD_STOPS, wd, stops);
}

/** What a key does to the weight decay: the new value, or null when the key is not the slider's. */
export function wdForKey(wd: number, key: string): number | null {
  return valueForKey(WD_STOPS, WD_PAGE_STOPS, wd, key);
}

/** The pace slider's stops, batches per second; null (the last) is full speed. */
export const PACE_STOPS: readonly (number | null)[] = [1, 2, 3, 5, 10, 20, 30, 50, 100, 200, 500, null];

/** The slider position of a pace: its stop, or the nearest one (log scale) for a pace set elsewhere. */
export function paceToPosition(pace: number | null): number {
  if (pace === null) return PACE_STOPS.length - 1;
  let best = 0;
  for (let i = 0; i < PACE_STOPS.length - 1; i++) {
    if (Math.abs(Math.log(PACE_STOPS[i] as number / pace)) < Math.abs(Math.log(PACE_STOPS[best] as number / pace))) best = i;
  }
  return best;
}

/** The pace of a slider position (null: full speed). */
export function paceAtPosition(position: number): number | null {
  return PACE_STOPS[Math.min(PACE_STOPS.length - 1, Math.max(0, Math.round(position)))] ?? null;
}
