// Drawing the curves on a canvas laid over the recharts plot area: the earlier runs faintly, then this
// run's train loss and train accuracy per (bucketed) batch, test accuracy per epoch with dots, and
// dashed lr-change markers. This is the hot path (several times a second while training), so it is
// plain canvas work, not a React render.

import type { LrMarker, PastRun, TestPoint, TrainPoint } from '../store/metrics-slice';

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
  /** Earlier runs, drawn faintly behind. */
  past: readonly PastRun[];
  maxX: number;
  lossTop: number;
  colours: { loss: string; trainAcc: string; testAcc: string; marker: string };
  /** Labels drawn on the newest markers (older ones are lines only). */
  labelledMarkers: number;
  formatLr: (lr: number) => string;
}

/** Draws a frame; `dpr` is the canvas's device-pixel ratio. Non-finite values are skipped, never drawn. */
export function drawLiveCurves(ctx: CanvasRenderingContext2D, cssWidth: number, cssHeight: number, dpr: number, rect: PlotRect, f: LiveFrame): void {
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, cssWidth, cssHeight);
  if (rect.width <= 0 || rect.height <= 0 || !(f.maxX > 0) || !(f.lossTop > 0)) return;
  const sx = (x: number): number => rect.left + (x / f.maxX) * rect.width;
  const sLoss = (v: number): number => rect.top + rect.height * (1 - v / f.lossTop);
  const sAcc = (v: number): number => rect.top + rect.height * (1 - v);
  ctx.save();
  ctx.beginPath();
  ctx.rect(rect.left, rect.top - 14, rect.width, rect.height + 14);
  ctx.clip();

  const line = (points: readonly { x: number }[], y: (p: never) => number, colour: string, width: number): void => {
    ctx.strokeStyle = colour;
    ctx.lineWidth = width;
    ctx.beginPath();
    let pen = false;
    for (const p of points) {
      const v = y(p as never);
      if (!Number.isFinite(v) || !Number.isFinite(p.x)) {
        pen = false;
        continue;
      }
      if (pen) ctx.lineTo(sx(p.x), v);
      else ctx.moveTo(sx(p.x), v);
      pen = true;
    }
    ctx.stroke();
  };

  ctx.globalAlpha = 0.22;
  for (const r of f.past) {
    line(r.train, (p: TrainPoint) => sLoss(p.loss), f.colours.loss, 1);
    line(r.train, (p: TrainPoint) => sAcc(p.acc), f.colours.trainAcc, 1);
    line(r.test, (p: TestPoint) => sAcc(p.testAcc), f.colours.testAcc, 1.5);
  }
  ctx.globalAlpha = 1;

  ctx.setLineDash([4, 3]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = f.colours.marker;
  ctx.fillStyle = f.colours.marker;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'center';
  f.markers.forEach((m, i) => {
    if (!Number.isFinite(m.x)) return;
    const x = Math.round(sx(m.x)) + 0.5;
    ctx.beginPath();
    ctx.moveTo(x, rect.top);
    ctx.lineTo(x, rect.top + rect.height);
    ctx.stroke();
    if (i >= f.markers.length - f.labelledMarkers) ctx.fillText(f.formatLr(m.lr), x, rect.top - 3);
  });
  ctx.setLineDash([]);

  line(f.train, (p: TrainPoint) => sLoss(p.loss), f.colours.loss, 1.5);
  line(f.train, (p: TrainPoint) => sAcc(p.acc), f.colours.trainAcc, 1.5);
  line(f.test, (p: TestPoint) => sAcc(p.testAcc), f.colours.testAcc, 2);
  ctx.fillStyle = '#fff';
  ctx.strokeStyle = f.colours.testAcc;
  ctx.lineWidth = 1.5;
  for (const p of f.test) {
    if (!Number.isFinite(p.testAcc)) continue;
    ctx.beginPath();
    ctx.arc(sx(p.x), sAcc(p.testAcc), 3, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
  ctx.restore();
}
