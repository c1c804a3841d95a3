// @vitest-environment jsdom
// Comparing runs and the exports in the window: a ticked run of the history takes a style of its own
// (colour, dashes, marker) and a row in the comparison table (role="table") with its configuration,
// final metrics, duration and how it ended; deleted runs leave the comparison; at most MAX_COMPARED.
// The exports give window.api.saveExport what the core writers make: a ZIP .npz, an ONNX ModelProto, a
// report of the session's run (or a stored one, with its kept weights) and a run's curves as CSV.

import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { unzipSync } from 'fflate';
import onnxProto from 'onnx-proto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ExportFile, RunListEntry } from '../../../common/contract';
import { CURVES_CSV_HEADER } from '../../../core/export/csv';
import { encodeModelFile } from '../../../core/model-file';
import { DEFAULT_CONFIG } from '../../../core/train';
import { ComparePanel } from '../../../renderer/components/experiments/ComparePanel';
import { HistoryPanel } from '../../../renderer/components/HistoryPanel';
import { showOnCurves } from '../../../renderer/experiments/compare-actions';
import { downloadRunCsv, exportModel, exportReport } from '../../../renderer/exports/actions';
import { CURVE_DASHES, PALETTES } from '../../../renderer/components/palettes';
import { choosePalette } from '../../../renderer/components/PaletteSwitch';
import { useLab } from '../../../renderer/store';
import { refreshHistory } from '../../../renderer/store/actions';
import { COMPARE_STYLES, MAX_COMPARED, recordCurves } from '../../../renderer/store/compare-slice';
import { makeRunRecord } from '../../fixtures/run-record';
import { installFakeApi, type FakeApi } from '../fake-api';

let api: FakeApi;
const runs = (n: number): RunListEntry[] => Array.from({ length: n }, (_, i) => ({
  ok: true as const,
  run: makeRunRecord({ id: `run-${i + 1}`, startedAt: `2026-11-25T10:0${i}:00.000Z`, endedAt: `2026-11-25T10:0${i}:12.500Z`, config: { ...DEFAULT_CONFIG, lr: 0.1 * (i + 1), epochs: 3 } }),
  hasWeights: i === 0,
}));

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
  useLab.setState((s) => ({ history: { ...s.history, entries: runs(8) } }));
});
afterEach(cleanup);

const saved = (): ExportFile => api.saveExport.mock.calls.at(-1)?.[0] as ExportFile;

describe('comparing runs', () => {
  it('thins a record\'s curves for drawing and keeps its test accuracy per epoch', () => {
    const base = makeRunRecord().batches[0];
    const batches = Array.from({ length: 705 }, (_, i) => ({ ...base, epochProgress: (i + 1) / 235, loss: 2 - i / 705, acc: i / 705 }));
    const c = recordCurves(makeRunRecord({ batches }));
    expect(c.train.length).toBeLessThanOrEqual(200);
    expect(c.train.at(-1)?.x).toBeCloseTo(3);
    expect(c.test.map((p) => p.x)).toEqual([1, 2, 3]);
    expect(c.maxX).toBeCloseTo(3);
  });

  it('a ticked run gets its own style and a row with its configuration, metrics, duration and ending', () => {
    render(<><HistoryPanel /><ComparePanel /></>);
    expect(screen.getByRole('region', { name: 'Compare runs' }).textContent).toContain('Tick runs in the run history');
    const boxes = screen.getAllByRole('checkbox', { name: /on the curves/ });
    fireEvent.click(boxes[0]);
    fireEvent.click(boxes[2]);
    const shown = useLab.getState().compare.shown;
    expect(shown.map((r) => [r.id, r.slot])).toEqual([['run-1', 0], ['run-3', 1]]);
    expect(new Set(COMPARE_STYLES.map((st) => st.dash.join(','))).size).toBe(COMPARE_STYLES.length);
    const table = screen.getByRole('table');
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(3);
    const cells = Array.from(rows[1].children).map((c) => c.textContent);
    expect(cells.slice(1, 11)).toEqual(['done', '3 of 3', '0.1', '256', 'stable', '0', '0.50', '0.85', '0.82', '12.5 s']);
    // Hiding it frees its style for the next run.
    fireEvent.click(within(rows[1]).getByRole('button', { name: /Take the run of .* off the curves/ }));
    fireEvent.click(screen.getAllByRole('checkbox', { name: /on the curves/ })[4]);
    expect(useLab.getState().compare.shown.map((r) => [r.id, r.slot])).toEqual([['run-3', 1], ['run-5', 0]]);
  });

  it('opens a run below the table: its curves, and its kept weights to load', async () => {
    showOnCurves('run-1', true);
    render(<ComparePanel />);
    fireEvent.click(screen.getByRole('button', { name: /^Open the run of/ }));
    expect(screen.getByTestId('record-curves').getAttribute('data-run')).toBe('run-1');
    const model = encodeModelFile(new Float32Array(7850).fill(0.5), { ...DEFAULT_CONFIG }, null, '2026-11-25T10:00:00Z');
    api.openRunWeights.mockResolvedValue({ opened: true, path: 'run-1.model.json', model });
    api.request.mockResolvedValue({ ok: true, predicted: new Uint8Array(0), labels: new Uint8Array(0), accuracy: 0.5 });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Load its weights' })));
    await vi.waitFor(() => expect(api.request).toHaveBeenCalledWith({ kind: 'loadWeights', weights: expect.any(Float32Array) }));
  });

  it('allows at most MAX_COMPARED runs, and forgets deleted ones', async () => {
    useLab.setState((s) => ({ history: { ...s.history, entries: runs(MAX_COMPARED + 1) } }));
    for (let i = 1; i <= MAX_COMPARED + 1; i++) showOnCurves(`run-${i}`, true);
    expect(useLab.getState().compare.shown).toHaveLength(MAX_COMPARED);
    render(<HistoryPanel />);
    expect((screen.getAllByRole('checkbox')[MAX_COMPARED] as HTMLInputElement).disabled).toBe(true);
    api.listRuns.mockResolvedValue(runs(2));
    await act(() => refreshHistory());
    expect(useLab.getState().compare.shown.map((r) => r.id)).toEqual(['run-1', 'run-2']);
  });
});

describe('exports', () => {
  it('exports the current weights for NumPy (a ZIP of W.npy and b.npy) and ONNX (a ModelProto)', async () => {
    api.request.mockResolvedValue({ weights: new Float32Array(7850).fill(0.01) });
    await exportModel('npz');
    let file = saved();
    expect(file.format).toBe('npz');
    expect(file.name).toMatch(/^softmax-lab-model-.*\.npz$/);
    expect(Object.keys(unzipSync(file.data as Uint8Array)).sort()).toEqual(['W.npy', 'b.npy']);
    await exportModel('onnx');
    file = saved();
    const model = onnxProto.onnx.ModelProto.decode(file.data as Uint8Array);
    expect(model.graph?.output?.[0]?.name).toBe('probabilities');
    expect(model.docString).toMatch(/lr 0\.1, batch size 256/);
    expect(useLab.getState().run.notice).toMatch(/^Exported softmax-lab-model-/);
  });

  it('reports the session\'s run with its test predictions, or says there is no run yet', async () => {
    const n = 20;
    const probabilities = new Float32Array(n * 10).fill(0.01);
    for (let i = 0; i < n; i++) probabilities[i * 10 + (i % 3)] = 0.91;
    const reply = { weights: new Float32Array(7850), probabilities, labels: new Uint8Array(n).map((_, i) => i % 2), images: new Uint8Array(n * 784), kernel: 'fast (wasm SIMD, 2 threads)', dataset: '/usr/share/datasets/fashion-mnist (system)' };
    api.request.mockResolvedValue({ ...reply, record: null });
    await exportReport();
    expect(api.saveExport).not.toHaveBeenCalled();
    expect(useLab.getState().run.notice).toMatch(/No run to report yet/);
    api.request.mockResolvedValue({ ...reply, record: makeRunRecord({ id: 'run-now' }) });
    await exportReport();
    const file = saved();
    expect(file).toMatchObject({ format: 'report', name: 'softmax-lab-report-run-now.html' });
    const html = file.data as string;
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('fast (wasm SIMD, 2 threads)');
    expect(html).toContain('id="confusion"');
    expect(html).not.toMatch(/<script/i);
    // In the palette in use: the standard one's series colours and words, then the colour-blind safe one's.
    const std = PALETTES.standard.curves;
    expect(html).toContain(`data-series="test accuracy" points=`);
    expect(html).toMatch(new RegExp(`data-series="train loss"[^>]*stroke="${std.loss}"`));
    expect(html).toContain('red pixels raise the score of class k, blue ones lower it');
    act(() => choosePalette('okabe-ito'));
    await exportReport();
    const safe = saved().data as string;
    const oi = PALETTES['okabe-ito'].curves;
    expect(safe).toMatch(new RegExp(`data-series="train loss"[^>]*stroke="${oi.loss}"`));
    expect(safe).toMatch(new RegExp(`data-series="test accuracy"[^>]*stroke="${oi.testAcc}" stroke-dasharray="${CURVE_DASHES.testAcc.join(' ')}"`));
    expect(safe).toContain('orange pixels raise the score of class k, purple ones lower it');
  });

  it('reports a stored run with its kept weights (computed by the session under them), and without when none were kept', async () => {
    const model = encodeModelFile(new Float32Array(7850).fill(0.25), { ...DEFAULT_CONFIG }, null, '2026-11-25T10:00:00Z');
    api.openRunWeights.mockResolvedValue({ opened: true, path: 'run-1.model.json', model });
    api.request.mockResolvedValue({ weights: new Float32Array(7850).fill(0.25), probabilities: new Float32Array(10).fill(0.1), labels: new Uint8Array(1), images: new Uint8Array(784), record: null, kernel: 'fast', dataset: 'x' });
    await exportReport('run-1');
    const asked = api.request.mock.calls.at(-1)?.[0] as { kind: string; weights: Float32Array };
    expect(asked.kind).toBe('reportData');
    expect(asked.weights[0]).toBe(0.25);
    expect(saved()).toMatchObject({ format: 'report', name: 'softmax-lab-report-run-1.html' });
    const calls = api.request.mock.calls.length;
    await exportReport('run-2'); // no weights kept: no request, a report without templates
    expect(api.request.mock.calls.length).toBe(calls);
    expect(saved().data).toContain('No weights were kept for this run.');
  });

  it('downloads a run\'s curves as CSV', async () => {
    await downloadRunCsv(makeRunRecord({ id: 'run-9' }));
    const file = saved();
    expect(file).toMatchObject({ format: 'csv', name: 'softmax-lab-run-9-curves.csv' });
    expect((file.data as string).split('\r\n')[0]).toBe(CURVES_CSV_HEADER.join(','));
  });

  it('says why when the bridge could not save', async () => {
    api.saveExport.mockResolvedValue({ saved: false, reason: 'error', message: 'disk full' });
    await downloadRunCsv(makeRunRecord());
    expect(useLab.getState().run.notice).toBe('Could not export: disk full');
  });
});
