// The scales of the run's two live sliders, as pure functions. Learning rate: a log scale over round
// values (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 per decade, 0.001 to 10), and a key always moves to the next
// one from any value, even one typed in between; pace: 1 batch/s up to full speed, in round steps.

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
 * The learning rate `stops` stops above (positive) or below (negative) `lr`, from any value: 0.1 → 0.12,
 * 0.07 (between stops) → 0.08 up or 0.06 down. Clamped to the slider's ends.
 */
export function stepLr(lr: number, stops: number): number {
  if (stops === 0 || !Number.isFinite(lr)) return lr;
  const eps = 1e-9;
  if (stops > 0) {
    const first = LR_STOPS.findIndex((v) => v > lr * (1 + eps));
    if (first < 0) return LR_MAX;
    return LR_STOPS[Math.min(LR_STOPS.length - 1, first + stops - 1)];
  }
  let last = -1;
  for (let i = 0; i < LR_STOPS.length; i++) if (LR_STOPS[i] < lr * (1 - eps)) last = i;
  if (last < 0) return LR_MIN;
  return LR_STOPS[Math.max(0, last + stops + 1)];
}

/** What a key does to the learning rate: the new value, or null when the key is not the slider's. */
export function lrForKey(lr: number, key: string): number | null {
  switch (key) {
    case 'ArrowUp':
    case 'ArrowRight':
      return stepLr(lr, 1);
    case 'ArrowDown':
    case 'ArrowLeft':
      return stepLr(lr, -1);
    case 'PageUp':
      return stepLr(lr, LR_PAGE_STOPS);
    case 'PageDown':
      return stepLr(lr, -LR_PAGE_STOPS);
    case 'Home':
      return LR_MIN;
    case 'End':
      return LR_MAX;
    default:
      return null;
  }
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
