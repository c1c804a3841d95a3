// The training curves (d2l's Animator, read closely as in TensorBoard): train loss and accuracy per batch
// (fractional epochs, bucketed by the store) with optional smoothing and the raw line kept faint, test
// accuracy per epoch (dots thinned when epochs crowd), dashed markers where the lr changed and dotted ones
// where the weight decay did (with a note that the loss leaves out its penalty), the last few
// runs faintly behind; each series in its own line style as well as the palette's colour (the legend
// shows both); optional reference results on the accuracy axis, labelled in text (a list a screen reader
// reads); a loss axis that follows the data, or a log scale; a tooltip on hover and, for
// keyboard users, on the focused chart with the arrow keys; beside it the per-epoch table (the chart's
// text alternative) and a CSV download. recharts draws only the frame (grid, axes, labels), which changes
// with the number of epochs or the language, never while training; the curves are painted on a canvas
// from a transient store subscription, and the loss axis's numbers are six spans (recharts re-rendering
// its lines or an axis took 40-300 ms per update on the test machine: long tasks).

import { memo, useEffect, useId, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { CartesianGrid, LineChart, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useLab } from '../store';
import { visibleTrain, type MetricsSlice, type TrainPoint } from '../store/metrics-slice';
import { useT } from '../i18n/use-t';
import type { Translate } from '../i18n';
import { fixed2, formatLr, formatWeightDecay } from './format';
import { curvesCsv, emaSmooth, epochAndBatch, GRID_FRACTIONS, lossAxis, lossRange, nearestIndex, testAt, type LossAxis } from './curve-math';
import { drawLiveCurves, type PlotRect } from './live-curves';
import { comparedFrames, comparedMaxX } from './compared-curves';
import { ComparedLegend } from './ComparedLegend';
import { CURVE_DASHES, PALETTES, REFERENCE_RESULTS, type CurveColours } from './palettes';
import { useCurveColours } from './PaletteSwitch';

/** Series colours of the standard palette (the one in use is the settings slice's `palette`). */
export const CURVE_COLOURS: CurveColours = PALETTES.standard.curves;

/** Markers drawn with a text label; older ones are drawn without, to keep the chart legible. */
const LABELLED_MARKERS = 6;
const MARGIN = { top: 18, right: 8, bottom: 4, left: 0 };
const Y_WIDTH = 44;
const X_HEIGHT = 36;
/** TensorBoard's default smoothing. */
export const DEFAULT_SMOOTHING = 0.6;

/** The plot area recharts leaves inside a chart of the given size (margins, two y axes, the x axis). */
export function plotRect(width: number, height: number): PlotRect {
  return { left: MARGIN.left + Y_WIDTH, top: MARGIN.top, width: width - MARGIN.left - MARGIN.right - 2 * Y_WIDTH, height: height - MARGIN.top - MARGIN.bottom - X_HEIGHT };
}

/** Integer epoch ticks from 0 to `maxX`, at most 11 of them. */
export function epochTicks(maxX: number): number[] {
  const step = Math.max(1, Math.ceil(maxX / 10));
  const ticks: number[] = [];
  for (let v = 0; v <= maxX; v += step) ticks.push(v);
  return ticks;
}

/** The loss axis of the metrics: this run's losses, or the earlier runs' while this one has none. */
export function metricsLossAxis(m: Pick<MetricsSlice, 'train' | 'pending' | 'pastRuns'>, log: boolean): LossAxis {
  const current = lossRange(visibleTrain(m));
  const { min, max } = current.max >= current.min ? current : lossRange(...m.pastRuns.map((r) => r.train));
  return lossAxis(min, max, log);
}

/** The epoch axis's right end: the configured epochs, or further if the run went past them. */
function axisEnd(m: MetricsSlice, epochs: number): number {
  const last = m.pending ?? m.train[m.train.length - 1];
  return Math.max(epochs, Math.ceil(last ? last.x : 0));
}

/** The back layer: grid and axes. Re-renders only when the number of epochs or the language changes. */
const FrameChart = memo(function FrameChart({ maxX, t }: { maxX: number; t: Translate }) {
  const xTicks = useMemo(() => epochTicks(maxX), [maxX]);
  return (
    <ResponsiveContainer width="100%" height="100%" minHeight={200}>
      {/* No accessibility layer: the chart's keyboard reading is the focusable plot around it. */}
      <LineChart margin={MARGIN} accessibilityLayer={false}>
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

/** The loss axis's numbers, next to recharts' tick marks; six spans re-render when the axis changes. */
function LossTicks({ axis }: { axis: LossAxis }) {
  return (
    <div className="loss-ticks" aria-hidden="true" data-testid="loss-ticks" style={{ top: MARGIN.top, bottom: MARGIN.bottom + X_HEIGHT, width: MARGIN.left + Y_WIDTH - 8 }}>
      {axis.ticks.map((v, i) => <span key={i} style={{ bottom: `${GRID_FRACTIONS[i] * 100}%` }}>{v}</span>)}
    </div>
  );
}

interface View {
  maxX: number;
  loss: LossAxis;
  smoothing: number;
  colours: CurveColours;
  /** Draw the reference results' lines. */
  references: boolean;
}

/** A sample of a series' stroke (colour and dashes, as on the canvas), for the legend and the labels. */
function LineSample({ colour, dash, dot = false }: { colour: string; dash: readonly number[]; dot?: boolean }) {
  return (
    <svg className="line-sample" width="22" height="8" viewBox="0 0 22 8" aria-hidden="true">
      <line x1="0" y1="4" x2="22" y2="4" stroke={colour} strokeWidth="2" strokeDasharray={dash.length ? dash.join(' ') : undefined} />
      {dot && <circle cx="11" cy="4" r="2.6" fill="#fff" stroke={colour} strokeWidth="1.5" />}
    </svg>
  );
}

/** The reference results' labels: text over the plot, stacked just above their lines, lowest first. */
function ReferenceLabels({ t, colour }: { t: Translate; colour: string }) {
  const top = Math.max(...REFERENCE_RESULTS.map((r) => r.value));
  return (
    <div className="reference-layer" style={{ top: MARGIN.top, bottom: MARGIN.bottom + X_HEIGHT, left: MARGIN.left + Y_WIDTH, right: MARGIN.right + Y_WIDTH }}>
      <ul aria-label={t('curves.referencesList')} data-testid="reference-labels" style={{ bottom: `calc(${top * 100}% + 3px)` }}>
        {REFERENCE_RESULTS.map((r) => (
          <li key={r.id} data-testid={`reference-${r.id}`} data-value={r.value}><LineSample colour={colour} dash={CURVE_DASHES.reference} />{t(r.label)}</li>
        ))}
      </ul>
    </div>
  );
}

/** The front layer: this run on a canvas, repainted at most once per frame when the metrics change. */
function LiveLayer({ view }: { view: View }) {
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const viewRef = useRef(view);
  const repaint = useRef<() => void>(() => undefined);
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    let frame = 0;
    let drawnDots = '';
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
      const v = viewRef.current;
      const drawn = drawLiveCurves(ctx, w, h, dpr, plotRect(w, h), {
        train: visibleTrain(m), test: m.test, markers: m.lrMarkers, wdMarkers: m.wdMarkers, past: m.pastRuns, compared: comparedFrames(useLab.getState()), maxX: v.maxX, loss: v.loss, smoothing: v.smoothing,
        colours: v.colours, dashes: CURVE_DASHES, references: v.references ? REFERENCE_RESULTS.map((r) => r.value) : [], labelledMarkers: LABELLED_MARKERS, formatLr, formatWd: formatWeightDecay,
      });
      // What was drawn, for the end-to-end tests; written only when it changes.
      const dots = `${drawn.dots}/${drawn.dotEvery}`;
      if (dots !== drawnDots) {
        drawnDots = dots;
        c.dataset.dots = String(drawn.dots);
        c.dataset.dotEvery = String(drawn.dotEvery);
      }
    };
    const schedule = (): void => {
      if (frame === 0) frame = requestAnimationFrame(paint);
    };
    repaint.current = schedule;
    schedule();
    const unsubscribe = useLab.subscribe((s) => s.metrics, schedule);
    const unsubscribeCompared = useLab.subscribe((s) => s.compare.shown, schedule);
    const resize = typeof ResizeObserver === 'function' ? new ResizeObserver(schedule) : null;
    resize?.observe(c);
    return () => {
      unsubscribe();
      unsubscribeCompared();
      resize?.disconnect();
      if (frame !== 0) cancelAnimationFrame(frame);
    };
  }, []);
  useEffect(() => {
    viewRef.current = view;
    repaint.current();
  }, [view]);
  return <canvas ref={canvas} className="chart-live" aria-hidden="true" data-testid="live-curves" />;
}

/** The hovered or keyboard-chosen point. */
interface Cursor {
  index: number;
  /** Pointer cursors go when the pointer leaves; keyboard ones when the chart loses focus. */
  via: 'pointer' | 'keys';
}

/** A tooltip line, with the stroke of its series. */
interface TipLine { text: string; colour?: string; dash?: readonly number[] }

/** The tooltip's text lines for train point `p` (values shown smoothed when smoothing is on). */
function tooltipLines(t: Translate, m: MetricsSlice, index: number, smoothing: number, colours: CurveColours): TipLine[] {
  const points = visibleTrain(m);
  const p: TrainPoint | undefined = points[index];
  if (!p) return [];
  const perEpoch = m.lastBatch?.batchesPerEpoch ?? 1;
  const { epoch, batch } = epochAndBatch(p.x, perEpoch);
  const lines: TipLine[] = [
    { text: t('curves.tipWhere', { x: p.x.toFixed(2), epoch, batch, batches: perEpoch }) + (p.count > 1 ? ` · ${t('curves.tipMean', { n: p.count })}` : '') },
  ];
  const smoothedAt = (values: number[]): number => emaSmooth(values.slice(0, index + 1), smoothing)[index];
  const value = (raw: number, smoothed: number): string => (smoothing > 0 ? t('curves.tipSmoothed', { raw: raw.toFixed(3), smoothed: smoothed.toFixed(3) }) : raw.toFixed(3));
  lines.push({ text: `${t('curves.trainLoss')} ${value(p.loss, smoothedAt(points.map((q) => q.loss)))}`, colour: colours.loss, dash: CURVE_DASHES.loss });
  lines.push({ text: `${t('curves.trainAcc')} ${value(p.acc, smoothedAt(points.map((q) => q.acc)))}`, colour: colours.trainAcc, dash: CURVE_DASHES.trainAcc });
  const test = testAt(m.test, p.x);
  lines.push({ text: test ? t('curves.tipTest', { acc: test.testAcc.toFixed(3), epoch: Math.round(test.x) }) : t('curves.tipNoTest'), colour: colours.testAcc, dash: CURVE_DASHES.testAcc });
  return lines;
}

/** The per-epoch numbers as a table: the chart's text alternative. */
function EpochTable() {
  const t = useT();
  const epochs = useLab((s) => s.metrics.epochs);
  const box = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    // Follow the newest epoch, unless the reader scrolled up to an older one.
    const el = box.current;
    if (el && el.scrollHeight - el.scrollTop - el.clientHeight < 60) el.scrollTop = el.scrollHeight;
  }, [epochs.length]);
  return (
    <div className="epoch-table" ref={box}>
      <table data-testid="epoch-table">
        <caption>{t('curves.tableCaption')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('curves.tableEpoch')}</th>
            <th scope="col">{t('curves.trainLoss')}</th>
            <th scope="col">{t('curves.trainAcc')}</th>
            <th scope="col">{t('curves.testAcc')}</th>
          </tr>
        </thead>
        <tbody>
          {epochs.length === 0 ? (
            <tr><td colSpan={4} className="none">{t('curves.tableEmpty')}</td></tr>
          ) : epochs.map((e) => (
            <tr key={e.epoch}>
              <th scope="row">{e.epoch}</th>
              <td>{fixed2(e.trainLoss)}</td>
              <td>{fixed2(e.trainAcc)}</td>
              <td>{fixed2(e.testAcc)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Saves the curves as a CSV file (a download). */
function downloadCsv(): void {
  const m = useLab.getState().metrics;
  const csv = curvesCsv(visibleTrain(m), m.epochs, m.lrMarkers, m.lastBatch?.batchesPerEpoch ?? 1);
  const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = `softmax-lab-curves-${new Date().toISOString().replace(/[:.]/g, '-')}.csv`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The "Training curves" region. */
export function Curves() {
  const t = useT();
  const [smoothing, setSmoothing] = useState(DEFAULT_SMOOTHING);
  const [logScale, setLogScale] = useState(false);
  const [references, setReferences] = useState(false);
  const colours = useCurveColours();
  const [cursor, setCursor] = useState<Cursor | null>(null);
  const epochs = useLab((s) => s.run.config.epochs);
  const maxX = useLab((s) => Math.max(axisEnd(s.metrics, epochs), comparedMaxX(s)));
  // The axis as a string, so the frame and the ticks re-render only when the axis really changes.
  const axisKey = useLab((s) => JSON.stringify(metricsLossAxis(s.metrics, logScale)));
  const loss = useMemo(() => JSON.parse(axisKey) as LossAxis, [axisKey]);
  // Counts, for tests and as cheap change signals: the curves themselves never pass through React.
  const points = useLab((s) => s.metrics.train.length + (s.metrics.pending ? 1 : 0));
  const testPoints = useLab((s) => s.metrics.test.length);
  const markers = useLab((s) => s.metrics.lrMarkers.length);
  const wdMarkers = useLab((s) => s.metrics.wdMarkers.length);
  const pastRuns = useLab((s) => s.metrics.pastRuns.length);
  // The λ of the latest batch (what the loss note names), and whether this run uses weight decay at all.
  const lastWd = useLab((s) => s.metrics.lastBatch?.weightDecay ?? null);
  const configWd = useLab((s) => s.run.config.weightDecay);
  const decayed = configWd > 0 || wdMarkers > 0 || (lastWd ?? 0) > 0;
  const opened = useLab((s) => s.run.openedModel);
  const view = useMemo<View>(() => ({ maxX, loss, smoothing, colours, references }), [maxX, loss, smoothing, colours, references]);
  const chart = useRef<HTMLDivElement | null>(null);
  const tipId = useId();
  const hintId = useId();
  const empty = points === 0 && testPoints === 0;
  const comparing = useLab((s) => s.compare.shown.length > 0);
  // The tooltip follows the data under it while training (read at most once per store hand-over).
  const tip = useLab((s) => (cursor ? JSON.stringify(tooltipLines(t, s.metrics, Math.min(cursor.index, Math.max(0, visibleTrain(s.metrics).length - 1)), smoothing, colours)) : ''));
  const tipX = useLab((s) => (cursor ? visibleTrain(s.metrics)[Math.min(cursor.index, visibleTrain(s.metrics).length - 1)]?.x ?? null : null));

  const onMove = (e: ReactMouseEvent<HTMLDivElement>): void => {
    const el = chart.current;
    if (!el) return;
    const r = el.getBoundingClientRect();
    const plot = plotRect(r.width, r.height);
    const x = ((e.clientX - r.left - plot.left) / plot.width) * maxX;
    const index = nearestIndex(visibleTrain(useLab.getState().metrics), x);
    if (index < 0 || x < -0.05 * maxX || x > maxX * 1.02) setCursor((c) => (c?.via === 'pointer' ? null : c));
    else setCursor({ index, via: 'pointer' });
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLDivElement>): void => {
    const n = visibleTrain(useLab.getState().metrics).length;
    if (n === 0) return;
    const at = cursor?.index ?? n - 1;
    const moves: Record<string, number> = { ArrowLeft: at - 1, ArrowRight: at + 1, ArrowDown: at - 1, ArrowUp: at + 1, PageDown: at - 10, PageUp: at + 10, Home: 0, End: n - 1 };
    const next = moves[e.key];
    if (next === undefined) return;
    e.preventDefault();
    setCursor({ index: Math.max(0, Math.min(n - 1, next)), via: 'keys' });
  };
  const lines = tip ? (JSON.parse(tip) as TipLine[]) : [];
  const width = chart.current?.clientWidth ?? 0;
  const plot = plotRect(width, chart.current?.clientHeight ?? 300);
  const left = tipX === null ? 0 : plot.left + (tipX / maxX) * plot.width;
  return (
    <section className="curves" aria-label={t('curves.region')} data-points={points} data-test-points={testPoints} data-markers={markers} data-wd-markers={wdMarkers} data-last-wd={lastWd ?? ''}
      data-loss-lo={loss.lo} data-loss-hi={loss.hi} data-loss-log={loss.log}>
      <div className="curves-head">
        <h2>{t('curves.title')}</h2>
        <div className="curve-options">
          <label>
            {t('curves.smoothing')}{' '}
            <input type="range" min={0} max={0.99} step={0.01} value={smoothing} aria-valuetext={smoothing.toFixed(2)} onChange={(e) => setSmoothing(Number(e.target.value))} />{' '}
            <span aria-hidden="true">{smoothing.toFixed(2)}</span>
          </label>
          <label className="check">
            <input type="checkbox" checked={logScale} onChange={(e) => setLogScale(e.target.checked)} /> {t('curves.logScale')}
          </label>
          <label className="check">
            <input type="checkbox" checked={references} onChange={(e) => setReferences(e.target.checked)} /> {t('curves.references')}
          </label>
          <button type="button" onClick={downloadCsv} disabled={empty}>{t('curves.downloadCsv')}</button>
        </div>
      </div>
      <ul className="legend" aria-hidden="true">
        <li><LineSample colour={colours.loss} dash={CURVE_DASHES.loss} />{t('curves.trainLoss')}</li>
        <li><LineSample colour={colours.trainAcc} dash={CURVE_DASHES.trainAcc} />{t('curves.trainAcc')}</li>
        <li><LineSample colour={colours.testAcc} dash={CURVE_DASHES.testAcc} dot />{t('curves.testAcc')}</li>
        {/* Only what is drawn: the faint earlier runs and the lr markers once there are some. */}
        {pastRuns > 0 && <li><i className="faint" />{t('curves.pastRun')}</li>}
        {markers > 0 && <li><LineSample colour={colours.marker} dash={CURVE_DASHES.marker} />{t('curves.lrChange')}</li>}
        <ComparedLegend />
      </ul>
      {decayed && (
        // Honest about the loss: with weight decay the objective is the cross-entropy plus λ/2 ‖W‖², but the
        // curves (like d2l's) plot the data loss, so runs with different λ stay comparable.
        <p className="hint curves-note" data-testid="loss-note">
          <i aria-hidden="true" style={{ display: 'inline-block', width: 22, marginRight: 6, verticalAlign: 'middle', borderTop: `2px dotted ${colours.marker}` }} />
          {t('curves.wdChange')} · {t('curves.lossNote', { wd: formatWeightDecay(lastWd ?? configWd) })}
        </p>
      )}
      <div className="curves-body">
        <div className="chart" ref={chart} tabIndex={empty ? -1 : 0} role="group" aria-label={t('curves.chart')} aria-describedby={[hintId, lines.length ? tipId : ''].filter(Boolean).join(' ')}
          onMouseMove={onMove} onMouseLeave={() => setCursor((c) => (c?.via === 'pointer' ? null : c))} onKeyDown={onKeyDown}
          onFocus={() => setCursor((c) => c ?? (points > 0 ? { index: points - 1, via: 'keys' } : null))} onBlur={() => setCursor((c) => (c?.via === 'keys' ? null : c))}>
          <div className="chart-layer" aria-hidden="true"><FrameChart maxX={maxX} t={t} /></div>
          <LossTicks axis={loss} />
          <LiveLayer view={view} />
          {references && <ReferenceLabels t={t} colour={colours.reference} />}
          <span id={hintId} hidden>{t('curves.chartHint')}</span>
          {empty && !comparing && <p className="chart-empty">{opened ? t('curves.emptyOpened', { name: opened.name }) : t('curves.empty')}</p>}
          {lines.length > 0 && tipX !== null && (
            <>
              <div className="chart-cursor" style={{ left }} aria-hidden="true" />
              <div id={tipId} role="tooltip" className="chart-tooltip" aria-live={cursor?.via === 'keys' ? 'polite' : undefined}
                style={left > width / 2 ? { right: width - left + 10 } : { left: left + 10 }}>
                {lines.map((l, i) => <p key={i}>{l.colour && <LineSample colour={l.colour} dash={l.dash ?? []} />}{l.text}</p>)}
              </div>
            </>
          )}
        </div>
        <EpochTable />
      </div>
    </section>
  );
}
