// The arithmetic of the experiments' small SVG charts (the sweep plots, a recorded run's curves): a log
// axis over the swept values with round ticks, and SVG path data that skips non-finite values. Pure.

/** A log-scale axis: its ends (as values) and the values to label. */
export interface LogAxis {
  lo: number;
  hi: number;
  ticks: number[];
}

/**
 * A log axis covering `values` with a little room at both ends (a tenth of the span, or half a decade
 * around a single value). Ticks: the powers of ten inside when there are at least two of them, else
 * the values themselves (batch sizes 16, 64, 256, 1024 are labelled as they are).
 */
export function logAxis(values: readonly number[], preferPowersOfTen = true): LogAxis {
  const finite = values.filter((v) => v > 0 && Number.isFinite(v));
  if (finite.length === 0) return { lo: 0.1, hi: 10, ticks: [0.1, 1, 10] };
  const a = Math.log10(Math.min(...finite));
  const b = Math.log10(Math.max(...finite));
  const pad = b > a ? (b - a) / 10 : 0.5;
  const lo = 10 ** (a - pad);
  const hi = 10 ** (b + pad);
  const powers: number[] = [];
  for (let k = Math.ceil(a - 1e-9); k <= Math.floor(b + 1e-9); k++) powers.push(Number((10 ** k).toPrecision(12)));
  const ticks = preferPowersOfTen && powers.length >= 2 ? powers : [...new Set(finite)].sort((x, y) => x - y);
  return { lo, hi, ticks };
}

/** Where `v` falls on a log axis, 0 (lo) to 1 (hi). */
export function logFraction(axis: LogAxis, v: number): number {
  return (Math.log10(v) - Math.log10(axis.lo)) / (Math.log10(axis.hi) - Math.log10(axis.lo));
}

/** SVG path data through the points, lifting the pen over non-finite values; coordinates to 0.1 px. */
export function pathData(points: readonly [number, number][]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x.toFixed(1)} ${y.toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** A number as a short label: 0.001, 0.0316, 10, 1024. */
export function shortNumber(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(3))) : '—';
}
