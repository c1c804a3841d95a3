// Number formatting shared by the status line, readouts and charts (never prints NaN).

/** `x` with 2 decimals, or the placeholder when not finite. */
export function fixed2(x: number | undefined | null, none = '—'): string {
  return x === undefined || x === null || !Number.isFinite(x) ? none : x.toFixed(2);
}

/** A learning rate with 3 significant digits (0.001, 0.1, 2.5). */
export function formatLr(lr: number): string {
  return Number.isFinite(lr) ? String(Number(lr.toPrecision(3))) : '—';
}

/** Bytes as MB with one decimal. */
export function formatMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
