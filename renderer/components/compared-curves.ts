// The runs of the history drawn on the live curves beside the current run (the compare slice's): each in
// its own colour and dash pattern, per-batch loss and accuracy (smoothed as the current run's are) and
// per-epoch test accuracy as markers of its own shape. Called by live-curves.ts inside its clip, before
// the current run is drawn over them; the same shapes make the legend's samples (SVG path data).

import type { LabState } from '../store';
import { COMPARE_STYLES, type CompareMarker } from '../store/compare-slice';
import type { TestPoint, TrainPoint } from '../store/metrics-slice';
import { emaSmooth } from './curve-math';
import { PALETTES, type PaletteId } from './palettes';

/** One compared run as the canvas draws it. */
export interface ComparedFrame {
  train: readonly TrainPoint[];
  test: readonly TestPoint[];
  colour: string;
  dash: readonly number[];
  marker: CompareMarker;
}

/** A compared slot's stroke: its colour in `palette`, its dash pattern and its marker. */
export function compareStyle(slot: number, palette: PaletteId): { colour: string; dash: readonly number[]; marker: CompareMarker } {
  const colours = PALETTES[palette].compared;
  return { colour: colours[slot % colours.length], ...COMPARE_STYLES[slot % COMPARE_STYLES.length] };
}

/** The compared runs of the store, styled by their slots in the palette in use. */
export function comparedFrames(s: Pick<LabState, 'compare' | 'settings'>): ComparedFrame[] {
  return s.compare.shown.map((r) => ({ train: r.train, test: r.test, ...compareStyle(r.slot, s.settings.palette) }));
}

/** Where the compared runs' curves end, in epochs (0 when none is shown). */
export function comparedMaxX(s: Pick<LabState, 'compare'>): number {
  return s.compare.shown.reduce((m, r) => Math.max(m, Math.ceil(r.maxX)), 0);
}

/** SVG path data of a marker of `shape` centred at (cx, cy), radius r. */
export function markerPath(shape: CompareMarker, cx: number, cy: number, r: number): string {
  const f = (v: number): string => v.toFixed(1);
  switch (shape) {
    case 'square': return `M${f(cx - r)} ${f(cy - r)}h${f(2 * r)}v${f(2 * r)}h${f(-2 * r)}Z`;
    case 'triangle': return `M${f(cx)} ${f(cy - r * 1.15)}L${f(cx + r * 1.1)} ${f(cy + r * 0.8)}L${f(cx - r * 1.1)} ${f(cy + r * 0.8)}Z`;
    case 'diamond': return `M${f(cx)} ${f(cy - r * 1.3)}L${f(cx + r * 1.1)} ${f(cy)}L${f(cx)} ${f(cy + r * 1.3)}L${f(cx - r * 1.1)} ${f(cy)}Z`;
    case 'circle': return `M${f(cx - r)} ${f(cy)}a${f(r)} ${f(r)} 0 1 0 ${f(2 * r)} 0a${f(r)} ${f(r)} 0 1 0 ${f(-2 * r)} 0Z`;
    case 'cross': return `M${f(cx - r)} ${f(cy - r)}L${f(cx + r)} ${f(cy + r)}M${f(cx + r)} ${f(cy - r)}L${f(cx - r)} ${f(cy + r)}`;
    case 'plus': return `M${f(cx - r * 1.2)} ${f(cy)}H${f(cx + r * 1.2)}M${f(cx)} ${f(cy - r * 1.2)}V${f(cy + r * 1.2)}`;
  }
}

/** True for shapes drawn as strokes only (no fill). */
export function isOpenMarker(shape: CompareMarker): boolean {
  return shape === 'cross' || shape === 'plus';
}

/**
 * Draws the compared runs with the chart's scales (sx: epochs → px, sLoss and sAcc: values → px), at
 * the current run's smoothing; non-finite values lift the pen.
 */
export function drawComparedRuns(ctx: CanvasRenderingContext2D, runs: readonly ComparedFrame[], sx: (x: number) => number, sLoss: (v: number) => number, sAcc: (v: number) => number, smoothing: number): void {
  for (const r of runs) {
    ctx.strokeStyle = r.colour;
    ctx.fillStyle = r.colour;
    ctx.lineWidth = 1.5;
    ctx.setLineDash(r.dash);
    for (const ys of [emaSmooth(r.train.map((p) => p.loss), smoothing).map(sLoss), emaSmooth(r.train.map((p) => p.acc), smoothing).map(sAcc)]) {
      ctx.beginPath();
      let pen = false;
      for (let i = 0; i < r.train.length; i++) {
        const x = sx(r.train[i].x);
        if (!Number.isFinite(ys[i]) || !Number.isFinite(x)) {
          pen = false;
          continue;
        }
        if (pen) ctx.lineTo(x, ys[i]);
        else ctx.moveTo(x, ys[i]);
        pen = true;
      }
      ctx.stroke();
    }
    ctx.setLineDash([]);
    ctx.lineWidth = 1.5;
    for (const p of r.test) {
      if (!Number.isFinite(p.testAcc)) continue;
      const path = new Path2D(markerPath(r.marker, sx(p.x), sAcc(p.testAcc), 3.2));
      if (isOpenMarker(r.marker)) ctx.stroke(path);
      else ctx.fill(path);
    }
  }
}
