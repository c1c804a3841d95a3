// Numbers as the step-by-step and drawing views print them. Unlike the status line's formatting, these
// print ∞ and NaN as they are: showing where the textbook softmax overflows is the lesson.

/** A number in at most about 5 characters of precision: 3.214, −0.052, 1.2e+38, 3.1e−9, ∞, −∞, NaN. */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e4 || a < 1e-3 ? v.toExponential(1).replace('e-', 'e−') : a >= 100 ? v.toFixed(1) : v.toFixed(3);
  return text.replace(/^-/, '−');
}

/** A probability in [0, 1] with three decimals (tiny ones in exponent form), NaN as NaN. */
export function formatProb(p: number): string {
  if (Number.isNaN(p)) return 'NaN';
  if (p !== 0 && Math.abs(p) < 1e-3) return formatValue(p);
  return p.toFixed(3);
}
