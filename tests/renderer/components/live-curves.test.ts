// The curves' canvas layer (live-curves.ts), drawn on a recording 2D context: each series is stroked in
// its own colour and its own dash pattern (never told apart by colour alone), and the reference results
// are horizontal dashed lines at their accuracies, only when asked for.

import { describe, expect, it } from 'vitest';
import { drawLiveCurves, type LiveFrame, type PlotRect } from '../../../renderer/components/live-curves';
import { CURVE_DASHES, PALETTES, REFERENCE_RESULTS } from '../../../renderer/components/palettes';
import { lossAxis } from '../../../renderer/components/curve-math';

/** One stroke(): its colour, dash pattern, alpha and the points of its path. */
interface Stroke { colour: string; dash: number[]; alpha: number; points: [number, number][] }

/** A 2D context that records strokes. */
function recorder(): { ctx: CanvasRenderingContext2D; strokes: Stroke[] } {
  const strokes: Stroke[] = [];
  let path: [number, number][] = [];
  let dash: number[] = [];
  const ctx = {
    strokeStyle: '', fillStyle: '', lineWidth: 1, globalAlpha: 1, font: '', textAlign: 'start',
    setTransform() {}, clearRect() {}, save() {}, restore() {}, rect() {}, clip() {}, fill() {}, fillText() {}, arc() {},
    measureText: (s: string) => ({ width: s.length * 6 }),
    setLineDash(d: number[]) { dash = [...d]; },
    beginPath() { path = []; },
    moveTo(x: number, y: number) { path.push([x, y]); },
    lineTo(x: number, y: number) { path.push([x, y]); },
    stroke() { strokes.push({ colour: String(ctx.strokeStyle), dash, alpha: ctx.globalAlpha, points: path }); },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, strokes };
}

const RECT: PlotRect = { left: 44, top: 18, width: 600, height: 242 };

function frame(over: Partial<LiveFrame> = {}): LiveFrame {
  const train = Array.from({ length: 20 }, (_, i) => ({ x: (i + 1) / 10, loss: 2 - i * 0.05, acc: 0.5 + i * 0.02, count: 1 }));
  return {
    train, test: [{ x: 1, testAcc: 0.8 }, { x: 2, testAcc: 0.82 }], markers: [], past: [], maxX: 2, loss: lossAxis(1, 2), smoothing: 0,
    colours: PALETTES['okabe-ito'].curves, dashes: CURVE_DASHES, labelledMarkers: 6, formatLr: String, ...over,
  };
}

describe('drawLiveCurves', () => {
  it('strokes each series in its colour and its own dash pattern', () => {
    const { ctx, strokes } = recorder();
    drawLiveCurves(ctx, 700, 300, 1, RECT, frame());
    const c = PALETTES['okabe-ito'].curves;
    const of = (colour: string) => strokes.filter((s) => s.colour === colour && s.alpha === 1 && s.points.length > 1);
    expect(of(c.loss).map((s) => s.dash)).toEqual([CURVE_DASHES.loss]);
    expect(of(c.trainAcc).map((s) => s.dash)).toEqual([CURVE_DASHES.trainAcc]);
    expect(of(c.testAcc).map((s) => s.dash)).toEqual([CURVE_DASHES.testAcc]);
    expect(strokes.filter((s) => s.colour === c.reference)).toEqual([]); // no reference lines unless asked
  });

  it('draws the reference results as dashed lines across the plot at their accuracies', () => {
    const { ctx, strokes } = recorder();
    drawLiveCurves(ctx, 700, 300, 1, RECT, frame({ references: REFERENCE_RESULTS.map((r) => r.value) }));
    const refs = strokes.filter((s) => s.colour === PALETTES['okabe-ito'].curves.reference);
    expect(refs).toHaveLength(3);
    REFERENCE_RESULTS.forEach((r, i) => {
      const y = Math.round(RECT.top + RECT.height * (1 - r.value)) + 0.5;
      expect(refs[i].points).toEqual([[RECT.left, y], [RECT.left + RECT.width, y]]);
      expect(refs[i].dash).toEqual(CURVE_DASHES.reference);
    });
  });
});
