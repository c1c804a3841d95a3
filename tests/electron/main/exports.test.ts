// Exports from main (electron/main/exports.ts): each format is checked before the dialog opens, the
// dialog suggests the documents folder, the file's own name and its format's filter, the bytes are
// written through the atomic writer exactly as the renderer made them, and a cancel writes nothing.
// The written .npz and .onnx are opened by their real consumers' formats (a ZIP with W.npy and b.npy;
// an ONNX ModelProto decoded by onnx-proto).

import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import onnxProto from 'onnx-proto';
import { describe, expect, it, vi } from 'vitest';
import { runCurvesCsv } from '../../../core/export/csv';
import { encodeModelNpz } from '../../../core/export/npz';
import { encodeModelOnnx } from '../../../core/export/onnx';
import { runReportHtml } from '../../../core/export/report';
import { NUM_PARAMS } from '../../../core/shapes';
import { saveExportWithDialog, type ExportDialogs } from '../../../electron/main/exports';
import * as atomic from '../../../node/files/atomic-file';
import { makeRunRecord } from '../../fixtures/run-record';

const dir = mkdtempSync(join(tmpdir(), 'exports-'));

function dialogs(savePath: string | null): ExportDialogs & { save: ReturnType<typeof vi.fn> } {
  const save = vi.fn(async () => (savePath ? { canceled: false, filePath: savePath } : { canceled: true }));
  return { save, showSaveDialog: save };
}

const params = new Float32Array(NUM_PARAMS).map((_, i) => Math.sin(i) * 0.01);

describe('saveExportWithDialog', () => {
  it('writes an .npz, asking with the NumPy filter and the suggested name in the documents folder', async () => {
    const path = join(dir, 'model.npz');
    const d = dialogs(path);
    const bytes = encodeModelNpz(params);
    expect(await saveExportWithDialog(d, { format: 'npz', name: 'softmax-lab.npz', data: bytes }, '/home/me/Documents')).toEqual({ saved: true, path });
    expect(d.save).toHaveBeenCalledWith({ title: 'Export for NumPy', defaultPath: join('/home/me/Documents', 'softmax-lab.npz'), filters: [{ name: 'NumPy arrays (.npz)', extensions: ['npz'] }] });
    const entries = unzipSync(new Uint8Array(readFileSync(path)));
    expect(Object.keys(entries).sort()).toEqual(['W.npy', 'b.npy']);
    expect(new Uint8Array(readFileSync(path))).toEqual(bytes);
  });

  it('writes an .onnx that decodes as the ModelProto it was', async () => {
    const path = join(dir, 'model.onnx');
    expect(await saveExportWithDialog(dialogs(path), { format: 'onnx', name: 'm.onnx', data: encodeModelOnnx(params, { appVersion: '1.2.3' }) }, dir)).toEqual({ saved: true, path });
    const model = onnxProto.onnx.ModelProto.decode(new Uint8Array(readFileSync(path)));
    expect(model.producerVersion).toBe('1.2.3');
    expect(model.graph?.input?.[0]?.name).toBe('x');
  });

  it('writes a report and a CSV as UTF-8 text', async () => {
    const record = makeRunRecord();
    const html = runReportHtml({ record, environment: { appVersion: '0.1.0', kernel: 'reference', generatedAt: '2026-01-01T00:00:00Z' }, weights: params, test: null });
    const reportPath = join(dir, 'report.html');
    expect(await saveExportWithDialog(dialogs(reportPath), { format: 'report', name: 'r.html', data: html }, dir)).toEqual({ saved: true, path: reportPath });
    expect(readFileSync(reportPath, 'utf8')).toBe(html);
    const csvPath = join(dir, 'curves.csv');
    const csv = runCurvesCsv(record);
    expect(await saveExportWithDialog(dialogs(csvPath), { format: 'csv', name: 'c.csv', data: csv }, dir)).toEqual({ saved: true, path: csvPath });
    expect(readFileSync(csvPath, 'utf8')).toBe(csv);
  });

  it('writes through the atomic writer, and leaves no temp file behind', async () => {
    const spy = vi.spyOn(atomic, 'writeFileAtomic');
    try {
      const path = join(dir, 'atomic.csv');
      await saveExportWithDialog(dialogs(path), { format: 'csv', name: 'a.csv', data: 'x\r\n' }, dir);
      expect(spy.mock.calls.map((c) => c[0])).toEqual([path]);
      expect(readdirSync(dir).filter(atomic.isTempFileName)).toEqual([]);
    } finally {
      spy.mockRestore();
    }
  });

  it('refuses a file that is not what it claims, before the dialog opens', async () => {
    for (const bad of [
      { format: 'npz', name: 'model.npz', data: new Uint8Array([1, 2, 3]) },
      { format: 'onnx', name: 'model.onnx', data: 'text' },
      { format: 'report', name: 'report.html', data: 'plain text' },
      { format: 'csv', name: 'sub/dir.csv', data: 'x' },
      { format: 'csv', name: 'x.html', data: 'x' },
      null,
    ]) {
      const d = dialogs(join(dir, 'never.bin'));
      const r = await saveExportWithDialog(d, bad, dir);
      expect(r, JSON.stringify(bad)).toMatchObject({ saved: false, reason: 'error' });
      expect(r.saved ? '' : r.message).toMatch(/invalid.*nothing was written/);
      expect(d.save).not.toHaveBeenCalled();
    }
    expect(existsSync(join(dir, 'never.bin'))).toBe(false);
  });

  it('writes nothing when the dialog is cancelled, and says why when the folder cannot be written', async () => {
    expect(await saveExportWithDialog(dialogs(null), { format: 'csv', name: 'a.csv', data: 'x' }, dir)).toEqual({ saved: false, reason: 'cancelled' });
    const r = await saveExportWithDialog(dialogs(join(dir, 'missing-folder', 'a.csv')), { format: 'csv', name: 'a.csv', data: 'x' }, dir);
    expect(r).toMatchObject({ saved: false, reason: 'error' });
    expect(r.saved ? '' : r.message).toMatch(/could not write .*missing-folder/);
  });
});
