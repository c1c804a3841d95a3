// One self-contained HTML report of a run, readable offline and without script: configuration,
// environment, per-epoch table, the curves as inline SVG, the ten weight templates and a few test images
// as inline PNG data: URLs, the confusion matrix with per-class accuracy and the most confident mistakes.
// Pure: takes the run record, weights and test predictions the host has, returns the HTML text. Every
// piece of text that comes from data goes through escapeHtml.
// Legend: N = test images, D = 784 pixels, K = 10 classes; W (D, K) row-major, so pixel d of class k is W[d*K + k].

import { interpolateRdBu } from 'd3-scale-chromatic';
import { gatherBatch, type Dataset } from '../dataset';
import type { RunRecord } from '../protocol';
import { CLASS_NAMES, IMAGE_SIDE, NUM_CLASSES as K, NUM_INPUTS as D, NUM_PARAMS } from '../shapes';
import { argmaxRow } from '../softmax';
import { encodePng, pngDataUrl } from './png';

/** Where and with what the run was made (the host knows; core does not). */
export interface ReportEnvironment {
  /** The app's version (package.json). */
  appVersion: string;
  /** The compute backend that ran the batches (Trainer.kernelName). */
  kernel: string;
  /** Where the dataset came from, e.g. "/usr/share/datasets/fashion-mnist (system)". */
  dataset?: string;
  /** When the report was made, ISO 8601. */
  generatedAt: string;
}

/** The test set as the final model sees it. */
export interface ReportTestSet {
  /** True classes (N). */
  labels: Uint8Array;
  /** Class probabilities (N, K) under the final weights. */
  probabilities: Float32Array;
  /** Pixels 0..255 (N, D), for the pictures of the mistakes. */
  images: Uint8Array;
}

/** Everything a report shows. */
export interface ReportInput {
  record: RunRecord;
  environment: ReportEnvironment;
  /** Final parameters (D*K + K): W then b; null when none were kept (no templates then). */
  weights: Float32Array | null;
  /** Test predictions under `weights`; null to leave out the confusion matrix and the mistakes. */
  test: ReportTestSet | null;
  /** How many of the most confident mistakes to show (default 8). */
  mistakes?: number;
  /** Colours and strokes (the window passes its palette's); DEFAULT_REPORT_STYLE when left out. */
  style?: ReportStyle;
}

/**
 * The colours and strokes of a report: the window's palette (renderer/components/palettes.ts), so a report
 * made with the colour-blind safe palette uses it too. Every series has a stroke of its own as well as a
 * colour, so the charts read without colour (printed in grey, or by a reader who cannot tell the colours apart).
 */
export interface ReportStyle {
  /** Colours (#rrggbb) of train loss (batch loss faint in the same), train accuracy (batch accuracy
   *  likewise), test accuracy, and the lr and λ change marks. */
  colours: { loss: string; trainAcc: string; testAcc: string; marker: string };
  /** Their dash patterns (SVG stroke-dasharray lengths; [] is solid). */
  dashes: { loss: readonly number[]; trainAcc: readonly number[]; testAcc: readonly number[]; marker: readonly number[] };
  /** The weights' diverging map, (256, 3) RGB: entry 0 the most negative weight, 128 zero, 255 the most positive. */
  diverging: ArrayLike<number>;
  /** The names of the map's ends in English (the report's language), e.g. red and blue. */
  words: { positive: string; negative: string };
}

/** RGB lookup table (256, 3) of RdBu reversed (negative blue, positive red), as the window's standard heatmaps. */
const RDBU = (() => {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(interpolateRdBu(1 - i / 255));
    const [r, g, b] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [128, 128, 128];
    lut.set([r, g, b], i * 3);
  }
  return lut;
})();

/** The style of a report made without one (the CLI's, say). */
export const DEFAULT_REPORT_STYLE: ReportStyle = {
  colours: { loss: '#1f77b4', trainAcc: '#ff7f0e', testAcc: '#2ca02c', marker: '#9467bd' },
  dashes: { loss: [], trainAcc: [7, 3], testAcc: [2, 2], marker: [4, 3] },
  diverging: RDBU,
  words: { positive: 'red', negative: 'blue' },
};

/** `style` where every part is well formed (colours #rrggbb, dashes finite and >= 0, a full map, plain words), else the default's part. */
function checkedStyle(style: ReportStyle | undefined): ReportStyle {
  if (!style) return DEFAULT_REPORT_STYLE;
  const d = DEFAULT_REPORT_STYLE;
  const hex = (v: unknown): boolean => typeof v === 'string' && /^#[0-9a-fA-F]{6}$/.test(v);
  const dash = (v: unknown): boolean => Array.isArray(v) && v.length <= 8 && v.every((x) => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 100);
  const word = (v: unknown): boolean => typeof v === 'string' && /^[a-z -]{1,20}$/.test(v);
  const keys = ['loss', 'trainAcc', 'testAcc', 'marker'] as const;
  const colours = { ...d.colours };
  const dashes = { ...d.dashes };
  for (const k of keys) {
    if (hex(style.colours?.[k])) colours[k] = style.colours[k];
    if (dash(style.dashes?.[k])) dashes[k] = style.dashes[k];
  }
  const lut = style.diverging;
  const fullMap = lut !== undefined && lut.length === 256 * 3 && Array.prototype.every.call(lut, (v: unknown) => typeof v === 'number' && v >= 0 && v <= 255);
  const words = word(style.words?.positive) && word(style.words?.negative) ? style.words : d.words;
  return { colours, dashes, diverging: fullMap ? lut : d.diverging, words };
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string | number): string {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Class probabilities (N, K) of every image of `ds`, from a predictor such as Trainer.predict (which
 * takes x (n, D) in [0, 1]), in chunks so the float copy of the images stays small.
 */
export function predictDataset(predict: (x: Float32Array, n: number) => Float32Array, ds: Dataset, chunk = 1000): Float32Array {
  const out = new Float32Array(ds.count * K);
  const x = new Float32Array(chunk * D); // (chunk, D)
  const y = new Uint8Array(chunk);
  for (let s = 0; s < ds.count; s += chunk) {
    const m = Math.min(chunk, ds.count - s);
    gatherBatch(ds, null, s, m, x, y);
    out.set(predict(x.subarray(0, m * D), m).subarray(0, m * K), s * K);
  }
  return out;
}

/** Counts (K, K): row = true class, column = predicted class (the argmax of its probabilities). */
export function confusionMatrix(labels: Uint8Array, probabilities: Float32Array): Uint32Array {
  const m = new Uint32Array(K * K);
  for (let i = 0; i < labels.length; i++) m[labels[i] * K + argmaxRow(probabilities, i, K)]++;
  return m;
}

/** One wrong prediction. */
export interface Mistake {
  /** Index in the test set. */
  index: number;
  label: number;
  predicted: number;
  /** The probability given to the wrong class. */
  probability: number;
  /** The probability given to the true class. */
  trueProbability: number;
}

/** The `count` wrong predictions made with the highest probability, most confident first. */
export function confidentMistakes(labels: Uint8Array, probabilities: Float32Array, count: number): Mistake[] {
  const all: Mistake[] = [];
  for (let i = 0; i < labels.length; i++) {
    const predicted = argmaxRow(probabilities, i, K);
    if (predicted !== labels[i]) {
      all.push({ index: i, label: labels[i], predicted, probability: probabilities[i * K + predicted], trueProbability: probabilities[i * K + labels[i]] });
    }
  }
  return all.sort((a, b) => b.probability - a.probability || a.index - b.index).slice(0, Math.max(0, count));
}

// ---- formatting ----

function fixed(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(digits);
}

/** A number in at most 4 significant digits, without float noise (0.1, 0.003, 1e-6). */
function short(v: number): string {
  return Number.isFinite(v) ? String(Number(v.toPrecision(4))) : String(v);
}

// ---- colours ----

function lutIndex(v: number, maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(v)) return 128;
  return Math.round(Math.min(1, Math.max(0, 0.5 + v / (2 * maxAbs))) * 255);
}

/** Class k's weights as a 28x28 RGB PNG data: URL on the shared scale ±maxAbs, in the map `lut` (256, 3). */
function templateDataUrl(params: Float32Array, k: number, maxAbs: number, lut: ArrayLike<number>): string {
  const rgb = new Uint8Array(D * 3);
  for (let d = 0; d < D; d++) {
    const i = lutIndex(params[d * K + k], maxAbs) * 3;
    rgb[d * 3] = lut[i];
    rgb[d * 3 + 1] = lut[i + 1];
    rgb[d * 3 + 2] = lut[i + 2];
  }
  return pngDataUrl(encodePng(rgb, IMAGE_SIDE, IMAGE_SIDE, 3));
}

function colourBarDataUrl(lut: ArrayLike<number>): string {
  return pngDataUrl(encodePng(Uint8Array.from(lut), 256, 1, 3));
}

// ---- the curves as SVG ----

interface Series {
  name: string;
  colour: string;
  /** stroke-dasharray lengths; [] solid. */
  dash: readonly number[];
  points: [number, number][];
  /** Per-batch series are drawn thin and faint, per-epoch ones with markers. */
  faint?: boolean;
}

/** The round step for about `target` ticks over [lo, hi]. */
function tickStep(lo: number, hi: number, target: number): number {
  const raw = (hi - lo) / target;
  const mag = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 2.5, 5, 10].map((f) => f * mag).find((s) => s >= raw) ?? raw;
}

/** Round tick values covering [lo, hi], about `target` of them. */
function ticks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const step = tickStep(lo, hi, target);
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

/** The smallest round number at or above `hi` (the top of a 0-based axis). */
function niceMax(hi: number): number {
  if (!(hi > 0)) return 1;
  const step = tickStep(0, hi, 5);
  return Number((Math.ceil(hi / step - 1e-9) * step).toPrecision(12));
}

/** A line chart: x = epochs, one <polyline> per series, axes, ticks, legend, learning-rate marks. */
function lineChartSvg(opts: {
  id: string; title: string; yLabel: string; xMax: number; yMax: number; series: Series[]; marks: { x: number; label: string }[]; style: ReportStyle;
}): string {
  const W = 460;
  const H = 290;
  const m = { left: 52, right: 14, top: 28, bottom: 62 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const sx = (x: number): number => m.left + (opts.xMax > 0 ? (x / opts.xMax) * pw : 0);
  const sy = (y: number): number => m.top + ph - (opts.yMax > 0 ? (Math.min(y, opts.yMax) / opts.yMax) * ph : 0);
  const n2 = (v: number): string => v.toFixed(1);
  const parts: string[] = [];
  parts.push(`<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="${escapeHtml(opts.id)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="${escapeHtml(opts.id)}-title">`);
  parts.push(`<title id="${escapeHtml(opts.id)}-title">${escapeHtml(opts.title)}</title>`);
  parts.push(`<text x="${m.left}" y="18" class="chart-title">${escapeHtml(opts.title)}</text>`);
  for (const t of ticks(0, opts.yMax)) {
    parts.push(`<line class="grid" x1="${m.left}" x2="${m.left + pw}" y1="${n2(sy(t))}" y2="${n2(sy(t))}"/>`);
    parts.push(`<text class="tick" x="${m.left - 6}" y="${n2(sy(t) + 4)}" text-anchor="end">${escapeHtml(short(t))}</text>`);
  }
  for (const t of ticks(0, opts.xMax, Math.min(10, Math.max(1, Math.ceil(opts.xMax))))) {
    parts.push(`<text class="tick" x="${n2(sx(t))}" y="${m.top + ph + 16}" text-anchor="middle">${escapeHtml(short(t))}</text>`);
  }
  parts.push(`<rect class="frame" x="${m.left}" y="${m.top}" width="${pw}" height="${ph}"/>`);
  parts.push(`<text class="axis" x="${m.left + pw / 2}" y="${m.top + ph + 32}" text-anchor="middle">epoch</text>`);
  parts.push(`<text class="axis" transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(opts.yLabel)}</text>`);
  for (const mark of opts.marks) {
    parts.push(`<line class="mark" x1="${n2(sx(mark.x))}" x2="${n2(sx(mark.x))}" y1="${m.top}" y2="${m.top + ph}" stroke="${opts.style.colours.marker}"${dashAttr(opts.style.dashes.marker)}><title>${escapeHtml(mark.label)}</title></line>`);
    parts.push(`<text class="mark-label" x="${n2(sx(mark.x) + 3)}" y="${m.top + 11}" fill="${opts.style.colours.marker}">${escapeHtml(mark.label)}</text>`);
  }
  let legendX = m.left;
  const legendY = H - 8;
  for (const s of opts.series) {
    if (s.points.length === 0) continue;
    const pts = s.points.map(([x, y]) => `${n2(sx(x))},${n2(sy(y))}`).join(' ');
    const dash = s.faint ? '' : dashAttr(s.dash); // a faint per-batch series is told apart by its weight
    parts.push(`<polyline class="series${s.faint ? ' faint' : ''}" data-series="${escapeHtml(s.name)}" points="${pts}" stroke="${s.colour}"${dash}><title>${escapeHtml(s.name)}</title></polyline>`);
    if (!s.faint) for (const [x, y] of s.points) parts.push(`<circle cx="${n2(sx(x))}" cy="${n2(sy(y))}" r="2.5" fill="${s.colour}"/>`);
    parts.push(`<line x1="${legendX}" x2="${legendX + 16}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${s.colour}" stroke-width="${s.faint ? 1 : 2}"${dash}${s.faint ? ' opacity="0.45"' : ''}/>`);
    parts.push(`<text class="legend" x="${legendX + 20}" y="${legendY}">${escapeHtml(s.name)}</text>`);
    legendX += 30 + s.name.length * 6; // about the width of 11px text
  }
  parts.push('</svg>');
  return parts.join('');
}

/** ` stroke-dasharray="…"` for a dash pattern, nothing for a solid line. */
function dashAttr(dash: readonly number[]): string {
  return dash.length > 0 ? ` stroke-dasharray="${dash.map((v) => short(v)).join(' ')}"` : '';
}

/** The run's loss and accuracy curves as two inline SVG charts, in `style`'s colours and strokes. */
export function curvesSvg(record: RunRecord, style: ReportStyle = DEFAULT_REPORT_STYLE): string {
  const checked = checkedStyle(style);
  const { colours, dashes } = checked;
  const xMax = Math.max(record.config.epochs, ...record.batches.map((b) => b.epochProgress), ...record.epochs.map((e) => e.epoch), 1e-9);
  const finite = (v: number): boolean => Number.isFinite(v);
  const batchLoss: [number, number][] = record.batches.filter((b) => finite(b.loss)).map((b) => [b.epochProgress, b.loss]);
  const trainLoss: [number, number][] = record.epochs.map((e) => [e.epoch, e.trainLoss]);
  const lossMax = Math.max(...[...batchLoss, ...trainLoss].map(([, y]) => y), 1e-9);
  const marks = [
    ...record.lrChanges.map((c) => ({ x: c.epochProgress, label: `lr ${short(c.from)} → ${short(c.to)}` })),
    ...record.wdChanges.map((c) => ({ x: c.epochProgress, label: `λ ${short(c.from)} → ${short(c.to)}` })),
  ];
  const loss = lineChartSvg({
    id: 'curve-loss', title: 'Training loss', yLabel: 'cross-entropy', xMax, yMax: niceMax(lossMax), marks, style: checked,
    series: [
      { name: 'batch loss', colour: colours.loss, dash: dashes.loss, points: batchLoss, faint: true },
      { name: 'train loss', colour: colours.loss, dash: dashes.loss, points: trainLoss },
    ],
  });
  const accuracy = lineChartSvg({
    id: 'curve-accuracy', title: 'Accuracy', yLabel: 'accuracy', xMax, yMax: 1, marks, style: checked,
    series: [
      { name: 'batch accuracy', colour: colours.trainAcc, dash: dashes.trainAcc, points: record.batches.filter((b) => finite(b.acc)).map((b) => [b.epochProgress, b.acc]), faint: true },
      { name: 'train accuracy', colour: colours.trainAcc, dash: dashes.trainAcc, points: record.epochs.map((e) => [e.epoch, e.trainAcc]) },
      { name: 'test accuracy', colour: colours.testAcc, dash: dashes.testAcc, points: record.epochs.map((e) => [e.epoch, e.testAcc]) },
    ],
  });
  return `${loss}\n${accuracy}`;
}

// ---- sections ----

/** A table: caption and header cells are text (escaped here); body cells are HTML the caller escaped. */
function table(caption: string, head: string[], rows: string[][], cls: string): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`).join('\n');
  return `<table class="${cls}"><caption>${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function definitionList(items: [string, string][]): string {
  return `<dl>${items.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join('')}</dl>`;
}

function summaryLine(r: RunRecord): string {
  const last = r.epochs.at(-1);
  const ended = r.outcome === 'done' ? `finished ${r.epochs.length} of ${r.config.epochs} epochs` : `${r.outcome} after ${r.epochs.length} of ${r.config.epochs} epochs`;
  const metrics = r.final ? `: train loss ${fixed(r.final.trainLoss, 4)}, train accuracy ${fixed(r.final.trainAcc, 4)}, test accuracy ${fixed(r.final.testAcc, 4)}` : '';
  return `${ended}${last ? metrics : ''}${r.note ? ` — ${r.note}` : ''}`;
}

function checkTestSet(test: ReportTestSet): void {
  const n = test.labels.length;
  if (test.probabilities.length !== n * K) throw new RangeError(`expected ${n * K} probabilities for ${n} test labels, got ${test.probabilities.length}`);
  if (test.images.length !== n * D) throw new RangeError(`expected ${n * D} pixels for ${n} test labels, got ${test.images.length}`);
}

function confusionSection(test: ReportTestSet): string {
  const n = test.labels.length;
  const cm = confusionMatrix(test.labels, test.probabilities);
  let correct = 0;
  for (let k = 0; k < K; k++) correct += cm[k * K + k];
  const rows: string[][] = [];
  for (let t = 0; t < K; t++) {
    let total = 0;
    for (let p = 0; p < K; p++) total += cm[t * K + p];
    const cells = [escapeHtml(CLASS_NAMES[t])];
    for (let p = 0; p < K; p++) {
      const c = cm[t * K + p];
      const share = total > 0 ? c / total : 0;
      // Shade by the share of the row: the diagonal dark when right, off-diagonal cells show confusions.
      const alpha = share === 0 ? 0 : 0.08 + 0.82 * share;
      cells.push(`<span class="cell" style="background: rgba(31, 119, 180, ${alpha.toFixed(3)})${share > 0.55 ? '; color: #fff' : ''}">${c}</span>`);
    }
    cells.push(total > 0 ? escapeHtml(fixed(cm[t * K + t] / total, 3)) : '–');
    rows.push(cells);
  }
  const head = ['true \\ predicted', ...CLASS_NAMES, 'accuracy'];
  return `<section id="confusion"><h2>Confusion matrix</h2>
<p>${n} test images, ${correct} predicted correctly (accuracy ${escapeHtml(fixed(n > 0 ? correct / n : NaN, 4))}). Rows are the true class, columns the predicted one; the last column is each class's accuracy.</p>
${table('Confusion matrix of the test set with per-class accuracy', head, rows, 'confusion')}
</section>`;
}

function mistakesSection(test: ReportTestSet, count: number): string {
  const list = confidentMistakes(test.labels, test.probabilities, count);
  if (list.length === 0) return `<section id="mistakes"><h2>Most confident mistakes</h2><p>None: every test image was classified correctly.</p></section>`;
  const items = list.map((m) => {
    const url = pngDataUrl(encodePng(test.images.subarray(m.index * D, (m.index + 1) * D), IMAGE_SIDE, IMAGE_SIDE, 1));
    const what = `test image ${m.index}: a ${CLASS_NAMES[m.label]} taken for a ${CLASS_NAMES[m.predicted]}`;
    return `<figure class="mistake"><img src="${url}" width="84" height="84" alt="${escapeHtml(what)}"><figcaption>#${m.index}<br>predicted <b>${escapeHtml(CLASS_NAMES[m.predicted])}</b> (${escapeHtml(fixed(m.probability, 3))})<br>true ${escapeHtml(CLASS_NAMES[m.label])} (${escapeHtml(fixed(m.trueProbability, 3))})</figcaption></figure>`;
  });
  return `<section id="mistakes"><h2>Most confident mistakes</h2>
<p>The ${list.length} wrong predictions made with the highest probability.</p>
<div class="figures">${items.join('\n')}</div>
</section>`;
}

function templatesSection(params: Float32Array, style: ReportStyle): string {
  const { diverging: lut, words } = style;
  let maxAbs = 0;
  for (let i = 0; i < D * K; i++) if (Number.isFinite(params[i])) maxAbs = Math.max(maxAbs, Math.abs(params[i]));
  const figures = CLASS_NAMES.map((name, k) =>
    `<figure class="template"><img src="${templateDataUrl(params, k, maxAbs, lut)}" width="112" height="112" alt="${escapeHtml(`weights of class ${name}`)}"><figcaption>${escapeHtml(name)}<br><span class="muted">b = ${escapeHtml(fixed(params[D * K + k], 3))}</span></figcaption></figure>`);
  return `<section id="templates"><h2>Weight templates</h2>
<p>Column k of W, W[:, k], as a 28×28 image: ${escapeHtml(words.positive)} pixels raise the score of class k, ${escapeHtml(words.negative)} ones lower it; one colour scale for all ten.</p>
<div class="figures">${figures.join('\n')}</div>
<p class="colour-bar"><span>${escapeHtml(short(-maxAbs))}</span><img src="${colourBarDataUrl(lut)}" width="256" height="12" alt="colour scale from ${escapeHtml(short(-maxAbs))} (${escapeHtml(words.negative)}) through 0 (white) to ${escapeHtml(short(maxAbs))} (${escapeHtml(words.positive)})"><span>${escapeHtml(short(maxAbs))}</span></p>
</section>`;
}

const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; max-width: 1000px; margin: 24px auto; padding: 0 16px; }
h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; }
.muted { color: #666; } .summary { font-size: 15px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; } dt { color: #555; } dd { margin: 0; }
table { border-collapse: collapse; margin: 8px 0; } caption { text-align: left; color: #555; padding-bottom: 4px; }
th, td { padding: 3px 8px; border-bottom: 1px solid #eee; text-align: right; font-variant-numeric: tabular-nums; }
th[scope="row"] { text-align: left; font-weight: normal; }
table.confusion td { padding: 1px; } table.confusion .cell { display: block; min-width: 38px; padding: 3px 4px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; } figure { margin: 0; text-align: center; font-size: 12px; }
figure img, .colour-bar img { image-rendering: pixelated; border: 1px solid #ccc; }
.colour-bar { display: flex; align-items: center; gap: 8px; font-size: 12px; }
svg.chart { font-size: 11px; margin-right: 12px; } .chart-title { font-size: 13px; font-weight: 600; }
.grid { stroke: #eee; } .frame { fill: none; stroke: #999; } .tick, .axis, .legend { fill: #444; }
.series { fill: none; stroke-width: 2; } .series.faint { stroke-width: 1; opacity: 0.35; }
.mark-label { font-size: 10px; }
`;

/** The report as one HTML document (UTF-8), with no script and no outside resource. */
export function runReportHtml(input: ReportInput): string {
  const { record: r, environment: env } = input;
  if (input.test) checkTestSet(input.test);
  const style = checkedStyle(input.style);
  const c = r.config;
  const changes = (list: RunRecord['lrChanges']): string => (list.length === 0 ? 'none' : list.map((x) => `${short(x.from)} → ${short(x.to)} at epoch ${x.epochProgress.toFixed(2)}`).join('; '));
  const decayed = c.weightDecay > 0 || r.wdChanges.length > 0;
  const epochRows = r.epochs.map((e) => [String(e.epoch), fixed(e.trainLoss, 4), fixed(e.trainAcc, 4), fixed(e.testAcc, 4), fixed(e.seconds, 2)].map(escapeHtml));
  const epochTable = epochRows.length > 0
    ? table('Per-epoch numbers (as d2l\'s train_ch3 prints them)', ['epoch', 'train loss', 'train acc', 'test acc', 'seconds'], epochRows, 'epochs')
    : '<p>No epoch was completed.</p>';
  const parts = [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // Nothing may load from outside: the report reads the same offline, and a malicious record cannot call out.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="Softmax Lab ${escapeHtml(env.appVersion)}">`,
    `<title>${escapeHtml(`Softmax Lab run report — ${r.id}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<h1>Softmax Lab run report</h1>',
    `<p class="muted">Softmax regression from scratch on Fashion-MNIST (d2l.ai). Run ${escapeHtml(r.id)}, started ${escapeHtml(r.startedAt)}.</p>`,
    `<p class="summary" id="summary">${escapeHtml(summaryLine(r))}</p>`,
    '<section id="configuration"><h2>Configuration</h2>',
    definitionList([
      ['epochs', String(c.epochs)], ['batch size', String(c.batchSize)], ['learning rate', String(c.lr)],
      ['learning-rate changes', changes(r.lrChanges)],
      ...(decayed ? [['weight decay λ (L2 on W, not b)', String(c.weightDecay)], ['weight-decay changes', changes(r.wdChanges)]] as [string, string][] : []),
      ['seed', String(c.seed)], ['softmax', c.softmax === 'naive' ? 'naive (d2l\'s exp / rowsum)' : 'stable (max subtracted)'],
    ]),
    '</section>',
    '<section id="environment"><h2>Environment</h2>',
    definitionList([
      ['app', `Softmax Lab ${env.appVersion}`], ['kernels', env.kernel], ...(env.dataset ? [['dataset', env.dataset] as [string, string]] : []),
      ['started', r.startedAt], ['ended', r.endedAt ?? 'still running'], ['outcome', r.note ? `${r.outcome}: ${r.note}` : r.outcome],
      ['batches run', String(r.batchesDone)], ['report made', env.generatedAt],
    ]),
    '</section>',
    `<section id="epochs"><h2>Epochs</h2>${epochTable}</section>`,
    `<section id="curves"><h2>Curves</h2><p>Per-batch values faint (${r.batches.length} recorded points), per-epoch values with markers${r.lrChanges.length ? '; dashed lines mark learning-rate changes' : ''}${r.wdChanges.length ? `${r.lrChanges.length ? ' and' : '; dashed lines mark'} weight-decay (λ) changes` : ''}${decayed ? '. The loss is the cross-entropy alone, without the weight-decay penalty λ/2 ‖W‖²' : ''}.</p>`,
    `<div class="figures">${curvesSvg(r, style)}</div></section>`,
    input.weights && input.weights.length === NUM_PARAMS ? templatesSection(input.weights, style) : '<section id="templates"><h2>Weight templates</h2><p>No weights were kept for this run.</p></section>',
    input.test ? confusionSection(input.test) : '',
    input.test ? mistakesSection(input.test, input.mistakes ?? 8) : '',
    '</body>',
    '</html>',
    '',
  ];
  return parts.join('\n');
}
