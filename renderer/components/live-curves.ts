// Drawing the curves on a canvas laid over the recharts plot area: the earlier runs faintly, then this
// run's train loss and train accuracy per (bucketed) batch, smoothed with the raw line kept faint behind,
// test accuracy per epoch with dots (thinned when epochs are close), and markers where the lr (dashed) or the weight decay (dotted) changed; each
// series in a line style of its own (dashes), so none is told apart by colour alone; optional reference
// results as dashed horizontal lines on the accuracy axis (their labels are text, in Curves.tsx). This
// is the hot path (several times a second while training), so it is plain canvas work, not a React render.

import type { LrMarker, PastRun, TestPoint, TrainPoint, WdMarker } from '../store/metrics-slice';
import { drawComparedRuns, type ComparedFrame } from './compared-curves';
import { dotEvery, emaSmooth, lossFraction, showsDot, type LossAxis } from './curve-math';

/** The plot area inside the canvas, in CSS pixels. */
export interface PlotRect {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** What to draw and on which scales. */
export interface LiveFrame {
  train: readonly TrainPoint[];
  test: readonly TestPoint[];
  markers: readonly LrMarker[];
  /** Weight-decay changes: dotted where lr changes are dashed, labelled "λ …" just inside the plot's top. */
  wdMarkers?: readonly WdMarker[];
  /** Earlier runs, drawn faintly behind. */
  past: readonly PastRun[];
  /** Runs of the history shown beside this one, each in its own colour and dashes (compared-curves.ts). */
  compared?: readonly ComparedFrame[];
  maxX: number;
  loss: LossAxis;
  /** Smoothing weight of the per-batch lines, 0 (raw) to 0.99. */
  smoothing: number;
  colours: { loss: string; trainAcc: string; testAcc: string; marker: string; reference?: string };
  /** Dash patterns (canvas setLineDash, CSS pixels) of this run's series; solid when omitted. */
  dashes?: { loss: readonly number[]; trainAcc: readonly number[]; testAcc: readonly number[]; reference?: readonly number[] };
  /** Accuracies to mark with a horizontal reference line (the book's results). */
  references?: readonly number[];
  /** Labels drawn on the newest markers (older ones are lines only). */
  labelledMarkers: number;
  formatLr: (lr: number) => string;
  /** How a λ label reads (formatLr when omitted). */
  formatWd?: (weightDecay: number) => string;
}

/** The dotted line of a weight-decay change (an lr change's is dashed, [4, 3]). */
export const WD_MARKER_DASH: readonly number[] = [1, 3];

/** What a frame drew (the end-to-end tests read it from the canvas's data attributes). */
export interface DrawnFrame {
  /** Per-epoch dots drawn. */
  dots: number;
  /** Every how many epochs a dot is drawn. */
  dotEvery: number;
}

/** Draws a frame; `dpr` is the canvas's device-pixel ratio. Non-finite values are skipped, never drawn. */
export function drawLiveCurves(ctx: CanvasRenderingContext2D, cssWidth: number, cssHeight: number, dpr: number, rect: PlotRect, f: LiveFrame): DrawnFrame {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  const every = dotEvery(rect.width / Math.max(1, f.maxX));
  if (rect.width <= 0 || rect.height <= 0 || !(f.maxX > 0)) return { dots: 0, dotEvery: every };
  const sx = (x: number): number => rect.left + (x / f.maxX) * rect.width;
  const sLoss = (v: number): number => rect.top + rect.height * (1 - lossFraction(f.loss, v));
  const sAcc = (v: number): number => rect.top + rect.height * (1 - v);
  ctx.save();
  ctx.beginPath();
  ctx.rect(rect.left, rect.top - 14, rect.width, rect.height + 14);
  ctx.clip();

  const line = (xs: readonly { x: number }[], ys: readonly number[], colour: string, width: number, dash: readonly number[] = []): void => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.setLineDash(dash);
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < xs.length; i++) {
      const v = ys[i];
      const x = xs[i].x;
      if (!Number.isFinite(v) || !Number.isFinite(x)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(sx(x), v);
      else ctx.moveTo(sx(x), v);
      pen = true;
    }
    ctx.stroke();
    ctx.setLineDash([]);
  };
  const lossYs = (ps: readonly TrainPoint[], values = ps.map((p) => p.loss)): number[] => values.map(sLoss);
  const accYs = (values: readonly number[]): number[] => values.map(sAcc);

  ctx.globalAlpha = 0.22;
  for (const r of f.past) {
    line(r.train, lossYs(r.train), f.colours.loss, 1);
    line(r.train, accYs(r.train.map((p) => p.acc)), f.colours.trainAcc, 1);
    line(r.test, accYs(r.test.map((p) => p.testAcc)), f.colours.testAcc, 1.5);
  }
  ctx.globalAlpha = 1;
  drawComparedRuns(ctx, f.compared ?? [], sx, sLoss, sAcc, f.smoothing);

  ctx.setLineDash(f.dashes?.reference ?? [5, 4]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = f.colours.reference ?? '#80868f';
  for (const v of f.references ?? []) {
    if (!Number.isFinite(v)) continue;
    const y = Math.round(sAcc(v)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(rect.left, y);
    ctx.lineTo(rect.left + rect.width, y);
    ctx.stroke();
  }

  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = f.colours.marker;
  ctx.fillStyle = f.colours.marker;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  // Vertical markers, newest first, labelled at height `labelY` where there is room.
  const markerLines = (xs: readonly number[], labels: (i: number) => string, labelY: number): void => {
    let labelEdge = Infinity; // left edge of the label drawn to the right, so labels never overlap
    for (let i = xs.length - 1; i >= 0; i--) {
      if (!Number.isFinite(xs[i])) continue;
      const x = Math.round(sx(xs[i])) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, rect.top);
      ctx.lineTo(x, rect.top + rect.height);
      ctx.stroke();
      if (i >= xs.length - f.labelledMarkers) {
        const label = labels(i);
        const half = ctx.measureText(label).width / 2 + 2;
        if (x + half <= labelEdge) {
          ctx.fillText(label, x, labelY);
          labelEdge = x - half;
        }
      }
    }
  };
  markerLines(f.markers.map((m) => m.x), (i) => f.formatLr(f.markers[i].lr), rect.top - 3);
  const wd = f.wdMarkers ?? [];
  if (wd.length > 0) {
    ctx.setLineDash(WD_MARKER_DASH as number[]);
    const formatWd = f.formatWd ?? f.formatLr;
    markerLines(wd.map((m) => m.x), (i) => `λ ${formatWd(wd[i].weightDecay)}`, rect.top + 11);
  }
  ctx.setLineDash([]);

  const losses = f.train.map((p) => p.loss);
  const accs = f.train.map((p) => p.acc);
  if (f.smoothing > 0) {
    // The raw line stays, faint, behind the smoothed one (TensorBoard's way).
    ctx.globalAlpha = 0.25;
    line(f.train, lossYs(f.train, losses), f.colours.loss, 1);
    line(f.train, accYs(accs), f.colours.trainAcc, 1);
    ctx.globalAlpha = 1;
  }
  line(f.train, lossYs(f.train, emaSmooth(losses, f.smoothing)), f.colours.loss, 1.5, f.dashes?.loss);
  line(f.train, accYs(emaSmooth(accs, f.smoothing)), f.colours.trainAcc, 1.5, f.dashes?.trainAcc);
  line(f.test, accYs(f.test.map((p) => p.testAcc)), f.colours.testAcc, 2, f.dashes?.testAcc);
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = f.colours.testAcc;
  ctx.lineWidth = 1.5;
  let dots = 0;
  f.test.forEach((p, i) => {
    if (!Number.isFinite(p.testAcc) || !showsDot(p.x, i, f.test.length, every)) return;
    ctx.beginPath();
    ctx.arc(sx(p.x), sAcc(p.testAcc), 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
    dots++;
  });
  ctx.restore();
  return { dots, dotEvery: every };
}
