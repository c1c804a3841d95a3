// The window's exports in the desktop app (issue 13) through main's native save dialog, stubbed (the test
// answers it with paths of its own): Export for NumPy writes a ZIP with W.npy and b.npy, Export ONNX an
// ONNX model that ONNX Runtime loads, Export report an HTML report, a run's Download CSV its curves; the
// dialog is asked with the format's filter, and nothing is left half-written. A sweep runs in the utility
// process. Skipped, with the reason, when no Electron binary.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTempFileName } from '../../../node/files/atomic-file';
import { binary, notice, setNumberField, status, titled, useDesktopApp, warnIfSkipped } from './launch';

warnIfSkipped('exports.e2e.test.ts');

describe.skipIf(!binary.ok)(titled('exports in the desktop app'), () => {
  const fixture = useDesktopApp({ train: 512, test: 128 });
  beforeAll(() => {
    ort.env.wasm.numThreads = 1;
  });

  /** Answers the next save dialog with `path` and records what it was asked; clicks `button`; waits for the notice. */
  async function exportTo(button: string, path: string): Promise<{ filters: { extensions: string[] }[] }> {
    const { app, page } = fixture.app;
    await app.evaluate(({ dialog }, filePath) => {
      const g = globalThis as unknown as { __asked: unknown[] };
      g.__asked = [];
      dialog.showSaveDialog = async (...args: unknown[]) => {
        g.__asked.push(args.at(-1));
        return { canceled: false, filePath };
      };
    }, path);
    await page.getByRole('button', { name: button }).first().click();
    await expect.poll(() => notice(page), { timeout: 20_000 }).toBe(`Exported ${path}`);
    return app.evaluate(() => (globalThis as unknown as { __asked: { filters: { extensions: string[] }[] }[] }).__asked[0]);
  }

  it('writes the .npz, .onnx, report and CSV through the native dialog, atomically', async () => {
    const { page } = fixture.app;
    await setNumberField(page, 'Batch size', '16');
    await setNumberField(page, 'Epochs', '1');
    await page.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => status(page), { timeout: 60_000 }).toMatch(/^Done · Epoch 1\/1/);

    const npz = join(fixture.tmp, 'model.npz');
    expect((await exportTo('Export for NumPy', npz)).filters[0].extensions).toEqual(['npz']);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(npz)))).sort()).toEqual(['W.npy', 'b.npy']);

    const onnx = join(fixture.tmp, 'model.onnx');
    expect((await exportTo('Export ONNX', onnx)).filters[0].extensions).toEqual(['onnx']);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(onnx)));
    expect(session.outputNames).toEqual(['probabilities']);
    await session.release();

    const report = join(fixture.tmp, 'report.html');
    await exportTo('Export report', report);
    expect(readFileSync(report, 'utf8')).toMatch(/^<!DOCTYPE html>[\s\S]*id="confusion"/);

    const csv = join(fixture.tmp, 'curves.csv');
    await exportTo('Download the curves of the run', csv);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toMatch(/^kind,epoch_progress,epoch,/);
    expect(readdirSync(fixture.tmp).filter(isTempFileName)).toEqual([]);
  });

  it('runs a sweep in the utility process', async () => {
    const { page } = fixture.app;
    const lr = page.getByRole('region', { name: 'Learning-rate sweep' });
    await lr.getByLabel('From', { exact: true }).fill('0.01');
    await lr.getByLabel('Values', { exact: true }).fill('3');
    await lr.getByLabel('Epochs each', { exact: true }).fill('1');
    await lr.getByRole('button', { name: 'Run sweep' }).click();
    await expect.poll(() => lr.getAttribute('data-state'), { timeout: 60_000 }).toBe('done');
    expect(await lr.getByRole('table').locator('tbody tr').count()).toBe(3);
    expect(fixture.app.pageErrors).toEqual([]);
  });
});
