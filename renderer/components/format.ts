// Number formatting shared by the status line, readouts and charts (never prints NaN).

/** `x` with 2 decimals, or the placeholder when not finite. */
export function fixed2(x: number | undefined | null, none = '—'): string {
  return x === undefined || x === null || !Number.isFinite(x) ? none : x.toFixed(2);
}

/** A learning rate with 3 significant digits (0.001, 0.1, 2.5). */
export function formatLr(lr: number): string {
  return Number.isFinite(lr) ? String(Number(lr.toPrecision(3))) : '—';
}

/** A weight decay λ with 3 significant digits, written out in full (0, 0.00001, 0.002): no 1e-5. */
export function formatWeightDecay(wd: number): string {
  if (!Number.isFinite(wd)) return '—';
  const v = Number(wd.toPrecision(3));
  if (v === 0) return '0';
  const text = v.toFixed(Math.min(100, Math.max(0, 2 - Math.floor(Math.log10(Math.abs(v))))));
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A setting that may have changed during a run: its start, then its last value where it changed ("0.1 → 0.5"). */
export function formatChanged(start: number, changes: readonly { to: number }[], format: (v: number) => string): string {
  const last = changes.at(-1);
  return last === undefined || format(last.to) === format(start) ? format(start) : `${format(start)} → ${format(last.to)}`;
}

/** Bytes as MB with one decimal. */
export function formatMb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
