// The window's exports: the run report (core/export/report.ts, made in the report worker, report-html.ts,
// from the test set's probabilities and images the training process sends), the model for NumPy (.npz)
// and for ONNX runtimes (.onnx, whose protobuf code is loaded only when first needed) and a run's curves
// as CSV. The bytes are made here, once, for both forms; window.api.saveExport saves them (a native
// dialog and an atomic write on the desktop, a download on the web page). Each result is a notice in the control bar.

import { version as APP_VERSION } from '../../package.json';
import type { ExportFile, RunRecord } from '../../common/contract';
import { runCurvesCsv } from '../../core/export/csv';
import type { ReportStyle } from '../../core/export/report';
import { encodeModelNpz } from '../../core/export/npz';
import { NUM_PARAMS } from '../../core/shapes';
import { translate, type MessageKey, type MessageParams } from '../i18n';
import { useLab } from '../store';
import { say } from '../store/actions';
import { makeReportHtml } from './report-html';
import { colourLut } from '../components/heatmap';
import { CURVE_DASHES, PALETTES, type PaletteId } from '../components/palettes';

const get = useLab.getState;

function tr(key: MessageKey, params?: MessageParams): string {
  return translate(get().settings.language, key, params);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The report's colours and strokes: the palette in use, as the window's curves and heatmaps draw it (the report is in English). */
export function reportStyle(palette: PaletteId): ReportStyle {
  const p = PALETTES[palette];
  return {
    colours: { loss: p.curves.loss, trainAcc: p.curves.trainAcc, testAcc: p.curves.testAcc, marker: p.curves.marker },
    dashes: { loss: CURVE_DASHES.loss, trainAcc: CURVE_DASHES.trainAcc, testAcc: CURVE_DASHES.testAcc, marker: CURVE_DASHES.marker },
    diverging: colourLut(palette),
    words: { positive: translate('en', p.words.positive), negative: translate('en', p.words.negative) },
  };
}

/** A time stamp for file names: 2026-11-25T10-00-03. */
export function stamp(date = new Date()): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}

/** Saves a file through the bridge and says how it went (a notice in the control bar). */
export async function save(file: ExportFile): Promise<void> {
  const res = await window.api.saveExport(file);
  if (res.saved) say(tr('export.saved', { path: res.path }));
  else if (res.reason === 'error') say(tr('export.failed', { message: res.message ?? '' }));
}

/** One line on where a model came from, for the ONNX doc string and the notices. */
export function modelDescription(config: RunRecord['config'], testAcc: number | null): string {
  const acc = testAcc === null ? '' : `; test accuracy ${testAcc.toFixed(4)}`;
  return `Softmax regression on Fashion-MNIST (Softmax Lab): probabilities = softmax(x @ W + b), x = pixels / 255; lr ${config.lr}, batch size ${config.batchSize}, seed ${config.seed}, ${config.softmax} softmax${acc}.`;
}

/** The .npz or .onnx bytes of a model (params: W (784, 10) row-major then b (10)). */
export async function encodeModel(format: 'npz' | 'onnx', params: Float32Array, description: string): Promise<Uint8Array> {
  if (format === 'npz') return encodeModelNpz(params, { modified: new Date() });
  const { encodeModelOnnx } = await import('../../core/export/onnx');
  return encodeModelOnnx(params, { appVersion: APP_VERSION, description });
}

/** Exports the session's current weights for NumPy or an ONNX runtime. */
export async function exportModel(format: 'npz' | 'onnx'): Promise<void> {
  try {
    const { weights } = await window.api.request({ kind: 'getWeights' });
    const { run, metrics } = get();
    const testAcc = metrics.epochs.at(-1)?.testAcc ?? run.openedModel?.testAcc ?? null;
    const data = await encodeModel(format, weights, modelDescription(run.config, testAcc));
    await save({ format, name: `softmax-lab-model-${stamp()}.${format}`, data });
  } catch (err) {
    say(tr('export.failed', { message: messageOf(err) }));
  }
}

/** A stored run's kept weights (7850), or null when none were kept. */
async function keptWeights(id: string): Promise<Float32Array | null> {
  const res = await window.api.openRunWeights(id);
  if (!res.opened) return null;
  const params = new Float32Array(NUM_PARAMS);
  params.set(res.model.W, 0);
  params.set(res.model.b, res.model.W.length);
  return params;
}

/**
 * Exports a run report: of the session's current run (its record and weights, as the session says), or
 * of a run of the history (its record and kept weights; without weights the report has no templates,
 * confusion matrix or mistakes).
 */
export async function exportReport(runId?: string): Promise<void> {
  try {
    let record: RunRecord | null = null;
    let weights: Float32Array | null = null;
    if (runId !== undefined) {
      const entry = get().history.entries.find((e) => e.ok && e.run.id === runId);
      if (!entry?.ok) throw new Error(tr('export.noSuchRun', { id: runId }));
      record = entry.run;
      weights = entry.hasWeights ? await keptWeights(runId) : null;
    }
    const data = runId !== undefined && !weights ? null : await window.api.request(weights ? { kind: 'reportData', weights } : { kind: 'reportData' });
    record ??= data?.record ?? null;
    if (!record) {
      say(tr('export.noRun'));
      return;
    }
    const html = await makeReportHtml({
      record,
      environment: { appVersion: APP_VERSION, kernel: data?.kernel ?? '—', ...(data?.dataset ? { dataset: data.dataset } : {}), generatedAt: new Date().toISOString() },
      weights: data?.weights ?? null,
      test: data ? { labels: data.labels, probabilities: data.probabilities, images: data.images } : null,
      style: reportStyle(get().settings.palette),
    }); // in the report worker, which takes the test set's buffers
    await save({ format: 'report', name: `softmax-lab-report-${record.id}.html`, data: html });
  } catch (err) {
    say(tr('export.failed', { message: messageOf(err) }));
  }
}

/** Saves a run's curves (its recorded batches and epochs) as CSV. */
export async function downloadRunCsv(record: RunRecord): Promise<void> {
  try {
    await save({ format: 'csv', name: `softmax-lab-${record.id}-curves.csv`, data: runCurvesCsv(record) });
  } catch (err) {
    say(tr('export.failed', { message: messageOf(err) }));
  }
}
