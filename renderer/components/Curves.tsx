// The training curves (d2l's Animator, done well): train loss and train accuracy per batch (fractional
// epochs, downsampled by the store), test accuracy per epoch, dashed markers where the lr changed, and
// the last few runs faintly behind. recharts draws the frame (grid, axes, labels), which changes only
// with the number of epochs or the language, never while training; every curve is painted on a canvas
// over the same plot area from a transient store subscription, and the loss axis's numbers are six
// spans over recharts' tick marks (recharts re-rendering its lines or an axis took 40-300 ms per update
// on the test machine: long tasks).

import { memo, useEffect, useMemo, useRef } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useLab } from '../store';
import { visibleTrain, type MetricsSlice } from '../store/metrics-slice';
import { useT } from '../i18n/use-t';
import type { Translate } from '../i18n';
import { formatLr } from './format';
import { drawLiveCurves, type PlotRect } from './live-curves';

/** Series colours (also used by the legend). */
export const CURVE_COLOURS = { loss: '#d1495b', trainAcc: '#2e86ab', testAcc: '#3c9d5d', marker: '#8a6d00' } as const;

/** Markers drawn with a text label; older ones are drawn without, to keep the chart legible. */
const LABELLED_MARKERS = 6;
const MARGIN = { top: 18, right: 8, bottom: 4, left: 0 };
const Y_WIDTH = 44;
const X_HEIGHT = 36;

/** The plot area recharts leaves inside a chart of the given size (margins, two y axes, the x axis). */
export function plotRect(width: number, height: number): PlotRect {
  return { left: MARGIN.left + Y_WIDTH, top: MARGIN.top, width: width - MARGIN.left - MARGIN.right - 2 * Y_WIDTH, height: height - MARGIN.top - MARGIN.bottom - X_HEIGHT };
}

/** The loss axis's possible tops: it only ever steps up through these, so it rarely changes. */
const LOSS_TOPS = [2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

/** Where the horizontal grid lines are, as fractions of the plot's height (also the accuracy ticks). */
const GRID_FRACTIONS = [0, 0.2, 0.4, 0.6, 0.8, 1];

/**
 * The loss axis: [0, top] where top is the first of 2.5, 5, 10, 25, … (a fresh model's loss is
 * ln 10 ≈ 2.3) above every finite loss drawn; its ticks sit on the accuracy grid lines, so every top
 * gives round numbers (2.5 → 0, 0.5, …; 10 → 0, 2, …).
 */
export function lossAxis(maxLoss: number): { top: number; ticks: number[] } {
  const m = Number.isFinite(maxLoss) ? maxLoss : 0;
  const top = LOSS_TOPS.find((t) => t >= m) ?? 10 ** Math.ceil(Math.log10(m));
  return { top, ticks: GRID_FRACTIONS.map((f) => Number((f * top).toPrecision(6))) };
}

/** Integer epoch ticks from 0 to `maxX`, at most 11 of them. */
export function epochTicks(maxX: number): number[] {
  const step = Math.max(1, Math.ceil(maxX / 10));
  const ticks: number[] = [];
  for (let v = 0; v <= maxX; v += step) ticks.push(v);
  return ticks;
}

/** The highest finite train loss in the current run and the earlier ones (for the loss axis). */
export function maxLoss(m: Pick<MetricsSlice, 'train' | 'pending' | 'pastRuns'>): number {
  let top = 0;
  for (const p of m.train) if (p.loss > top) top = p.loss;
  if (m.pending && m.pending.loss > top) top = m.pending.loss;
  for (const r of m.pastRuns) for (const p of r.train) if (p.loss > top) top = p.loss;
  return top;
}

/** The epoch axis's right end: the configured epochs, or further if the run went past them. */
function axisEnd(m: MetricsSlice, epochs: number): number {
  const last = m.pending ?? m.train[m.train.length - 1];
  return Math.max(epochs, Math.ceil(last ? last.x : 0));
}

interface Axes {
  maxX: number;
  lossTop: number;
}

/** The back layer: grid and axes. Re-renders only when the number of epochs or the language changes. */
const FrameChart = memo(function FrameChart({ maxX, t }: { maxX: number; t: Translate }) {
  const xTicks = useMemo(() => epochTicks(maxX), [maxX]);
  return (
    <ResponsiveContainer width="100%" height="100%" minHeight={200}>
      <LineChart margin={MARGIN}>
        <CartesianGrid stroke="#e6e6e3" yAxisId="acc" />
        <XAxis type="number" dataKey="x" domain={[0, maxX]} ticks={xTicks} height={X_HEIGHT} allowDataOverflow
          label={{ value: t('curves.epoch'), position: 'insideBottomRight', offset: 0, fontSize: 12 }} />
        {/* The loss axis's numbers change with the data: they are LossTicks spans, not recharts ticks. */}
        <YAxis yAxisId="loss" domain={[0, 1]} ticks={GRID_FRACTIONS} tick={false} width={Y_WIDTH} allowDataOverflow
          label={{ value: t('curves.loss'), angle: -90, position: 'insideLeft', offset: 8, fontSize: 12 }} />
        <YAxis yAxisId="acc" orientation="right" domain={[0, 1]} ticks={GRID_FRACTIONS} width={Y_WIDTH} allowDataOverflow
          label={{ value: t('curves.accuracy'), angle: 90, position: 'insideRight', offset: 2, fontSize: 12 }} />
      </LineChart>
    </ResponsiveContainer>
  );
});

/** The loss axis's numbers, next to recharts' tick marks; six spans re-render when the top changes. */
function LossTicks({ top }: { top: number }) {
  const { ticks } = lossAxis(top);
  return (
    <div className="loss-ticks" aria-hidden="true" style={{ top: MARGIN.top, bottom: MARGIN.bottom + X_HEIGHT, width: MARGIN.left + Y_WIDTH - 8 }}>
      {ticks.map((v, i) => <span key={i} style={{ bottom: `${GRID_FRACTIONS[i] * 100}%` }}>{v}</span>)}
    </div>
  );
}

/** The front layer: this run on a canvas, repainted at most once per frame when the metrics change. */
function LiveLayer({ axes }: { axes: Axes }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const axesRef = useRef(axes);
  const repaint = useRef<() => void>(() => undefined);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let frame = 0;
    const paint = (): void => {
      frame = 0;
      const ctx = c.getContext('2d');
      if (!ctx) return;
      const w = c.clientWidth;
      const h = c.clientHeight;
      const dpr = window.devicePixelRatio || 1;
      if (c.width !== Math.round(w * dpr) || c.height !== Math.round(h * dpr)) {
        c.width = Math.round(w * dpr);
        c.height = Math.round(h * dpr);
      }
      const m = useLab.getState().metrics;
      drawLiveCurves(ctx, w, h, dpr, plotRect(w, h), {
        train: visibleTrain(m), test: m.test, markers: m.lrMarkers, past: m.pastRuns, maxX: axesRef.current.maxX, lossTop: axesRef.current.lossTop,
        colours: CURVE_COLOURS, labelledMarkers: LABELLED_MARKERS, formatLr,
      });
    };
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    repaint.current = schedule;
    schedule();
    const unsubscribe = useLab.subscribe((s) => s.metrics, schedule);
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : null;
    resize?.observe(c);
    return () => {
      unsubscribe();
      resize?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  useEffect(() => {
    axesRef.current = axes;
    repaint.current();
  }, [axes]);
  return <canvas ref={canvas} className="chart-live" aria-hidden="true" data-testid="live-curves" />;
}

/** The "Training curves" region. */
export function Curves() {
  const t = useT();
  const epochs = useLab((s) => s.run.config.epochs);
  const maxX = useLab((s) => axisEnd(s.metrics, epochs));
  const lossTop = useLab((s) => lossAxis(maxLoss(s.metrics)).top);
  // Counts, for tests and as cheap change signals: the curves themselves never pass through React.
  const points = useLab((s) => s.metrics.train.length + (s.metrics.pending ? 1 : 0));
  const testPoints = useLab((s) => s.metrics.test.length);
  const markers = useLab((s) => s.metrics.lrMarkers.length);
  const axes = useMemo<Axes>(() => ({ maxX, lossTop }), [maxX, lossTop]);
  const empty = points === 0 && testPoints === 0;
  return (
    <section className="curves" aria-label={t('curves.region')} data-points={points} data-test-points={testPoints} data-markers={markers}>
      <h2>{t('curves.title')}</h2>
      <ul className="legend" aria-hidden="true">
        <li><i style={{ background: CURVE_COLOURS.loss }} />{t('curves.trainLoss')}</li>
        <li><i style={{ background: CURVE_COLOURS.trainAcc }} />{t('curves.trainAcc')}</li>
        <li><i style={{ background: CURVE_COLOURS.testAcc }} />{t('curves.testAcc')}</li>
        <li><i className="faint" />{t('curves.pastRun')}</li>
        <li><i className="dashed" style={{ borderColor: CURVE_COLOURS.marker }} />{t('curves.lrChange')}</li>
      </ul>
      <div className="chart">
        <div className="chart-layer"><FrameChart maxX={maxX} t={t} /></div>
        <LossTicks top={lossTop} />
        <LiveLayer axes={axes} />
        {empty && <p className="chart-empty">{t('curves.empty')}</p>}
      </div>
    </section>
  );
}
