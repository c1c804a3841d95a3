// `npm run train`'s files beside the JSON model (node/cli/run-files.ts through runCli), each opened by its
// real consumer: --out model.npz by NumPy (the same values as the JSON model of the same run; on the real
// data, argmax(X @ W + b) gives exactly the test accuracy the CLI printed), --out model.onnx by ONNX
// Runtime (our probabilities within 1e-5), --csv by Python's csv module, --report by Chromium with
// JavaScript disabled. Bad paths exit 2; a diverged run still gets its report and CSV, and no model.

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatherBatch, type Dataset } from '../../../core/dataset';
import { createReferenceKernels } from '../../../core/kernels/reference';
import { parseModelFile } from '../../../core/model-file';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../core/shapes';
import { predictProbabilities } from '../../../core/train';
import { EXIT, runCli, type CliIO } from '../../../node/cli/run-cli';
import { modelFormatOf } from '../../../node/cli/run-files';
import { SYSTEM_DATASET_DIR } from '../../../node/data/files';
import { locateDatasetFiles } from '../../../node/data/locate';
import { isTempFileName } from '../../../node/files/atomic-file';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';
import { chromiumAvailable, openReport, reportScreenshot } from '../../core/export/chromium';
import { PY_LOAD_TEST_SET, python3Paths, pythonsWithNumpy, runPython } from '../../core/export/python';

const root = mkdtempSync(join(tmpdir(), 'softmax-lab-run-files-'));
const data = join(root, 'data');
const fixture = writeFixtureDir(data, { train: 60, test: 20, gzip: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    env: {},
    dataOptions: { cacheDir: join(root, 'no-cache'), systemDirs: [join(root, 'no-system')], download: false },
  };
  const code = await runCli(argv, io);
  return { code, out, err };
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
const numpy = pythonsWithNumpy();
const python = python3Paths()[0];
const realData = locateDatasetFiles({ dir: SYSTEM_DATASET_DIR }) !== null;
const FLAGS = ['--data', data, '--epochs', '2', '--batch-size', '16', '--lr', '0.05', '--seed', '3', '--json'];

function inputs(ds: Dataset): Float32Array {
  const x = new Float32Array(ds.count * D);
  gatherBatch(ds, null, 0, ds.count, x, new Uint8Array(ds.count));
  return x;
}

describe('--out by extension', () => {
  it('picks the format from the name: .npz, .onnx (any case), JSON otherwise', () => {
    expect(['m.npz', 'M.NPZ', 'm.onnx', 'a/b.Onnx', 'm.json', 'model', 'm.npz.bak'].map(modelFormatOf)).toEqual(['npz', 'npz', 'onnx', 'onnx', 'json', 'json', 'json']);
  });

  it.runIf(numpy.length === 0 && Boolean(process.env.CI))('CI has NumPy (python3-numpy)', () => {
    expect.fail('no python3 with numpy found; .ci/run installs python3-numpy');
  });

  it.skipIf(numpy.length === 0)(`--out model.npz holds the very W and b of --out model.json for the same run (NumPy ${numpy[0]?.numpy ?? 'missing'})`, async () => {
    const npz = join(root, 'model.npz');
    const json = join(root, 'model.json');
    const a = await run([...FLAGS, '--out', npz]);
    const b = await run([...FLAGS, '--out', json]);
    expect([a.code, b.code]).toEqual([EXIT.ok, EXIT.ok]);
    expect(a.err).toContain(`saved the model to ${npz} (NumPy .npz: W float32 (784, 10), b float32 (10,)`);
    const out = runPython(numpy[0].python, `
import json, sys
import numpy as np
m = np.load(sys.argv[1])
model = json.load(open(sys.argv[2]))
W = np.array(model['W'], dtype=np.float32).reshape(784, 10)
b = np.array(model['b'], dtype=np.float32)
print(json.dumps({'files': sorted(m.files), 'W': bool((m['W'] == W).all()), 'b': bool((m['b'] == b).all()), 'dtype': [m['W'].dtype.str, m['b'].dtype.str]}))
`, [npz, json]);
    expect(JSON.parse(out)).toEqual({ files: ['W', 'b'], W: true, b: true, dtype: ['<f4', '<f4'] });
  });

  it('--out model.onnx runs in ONNX Runtime with the probabilities of the same run\'s JSON model within 1e-5', async () => {
    const onnxPath = join(root, 'model.onnx');
    const json = join(root, 'model-for-onnx.json');
    const a = await run([...FLAGS, '--out', onnxPath]);
    await run([...FLAGS, '--out', json]);
    expect(a.code).toBe(EXIT.ok);
    expect(a.err).toContain(`saved the model to ${onnxPath} (ONNX: input 'x' float32 [N, 784] in [0, 1], output 'probabilities' float32 [N, 10])`);
    const { params } = parseModelFile(readFileSync(json, 'utf8'));
    const x = inputs(fixture.test);
    const ours = predictProbabilities(createReferenceKernels(fixture.test.count), params, x, fixture.test.count);
    const session = await ort.InferenceSession.create(new Uint8Array(readFileSync(onnxPath)));
    const res = await session.run({ x: new ort.Tensor('float32', x, [fixture.test.count, D]) });
    const theirs = res.probabilities.data as Float32Array;
    let diff = 0;
    for (let i = 0; i < ours.length; i++) diff = Math.max(diff, Math.abs(ours[i] - theirs[i]));
    console.log(`CLI .onnx on the fixture: max |ORT - ours| = ${diff.toExponential(2)}`);
    expect(res.probabilities.dims).toEqual([fixture.test.count, K]);
    expect(diff).toBeLessThan(1e-5);
    await session.release();
  });
});

describe.skipIf(!realData)(`on the real Fashion-MNIST, one epoch${realData ? '' : ` — SKIPPED: ${SYSTEM_DATASET_DIR} not found`}`, () => {
  let run1: Run;
  const dir = join(root, 'real');
  beforeAll(async () => {
    mkdirSync(dir, { recursive: true });
    run1 = await run(['--data', SYSTEM_DATASET_DIR, '--epochs', '1', '--json', '--out', join(dir, 'model.npz'), '--report', join(dir, 'report.html'), '--csv', join(dir, 'curves.csv')]);
  }, 120_000);

  for (const { python: py, numpy: version } of numpy) {
    it(`NumPy's argmax(X @ W + b) on the test set gives the CLI's test accuracy exactly (${py}, NumPy ${version})`, () => {
      expect(run1.code).toBe(EXIT.ok);
      const printed = (JSON.parse(lines(run1.out)[0]) as { testAcc: number }).testAcc;
      // The README's three lines, after loading the test set with gzip + numpy.frombuffer.
      const out = runPython(py, `${PY_LOAD_TEST_SET}
import sys, json
X, y = load_test(sys.argv[2])
m = np.load(sys.argv[1])
W, b = m['W'], m['b']
pred = np.argmax(X @ W + b, axis=1)
print(json.dumps({'correct': int((pred == y).sum()), 'n': int(y.size)}))
`, [join(dir, 'model.npz'), SYSTEM_DATASET_DIR]);
      const r = JSON.parse(out) as { correct: number; n: number };
      console.log(`NumPy ${version}: ${r.correct}/${r.n} correct = ${r.correct / r.n}; the CLI printed testAcc ${printed}`);
      expect(r.n).toBe(10_000);
      expect(r.correct / r.n).toBe(printed);
    }, 60_000);
  }

  it.skipIf(!chromiumAvailable)('the report of the real run opens in Chromium with its epoch, curves, templates and 10x10 matrix', async () => {
    const r = await openReport(join(dir, 'report.html'));
    try {
      expect(await r.page.locator('table.epochs tbody tr').count()).toBe(1);
      expect(await r.page.locator('svg.chart').count()).toBe(2);
      expect(await r.page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('#templates figure img')).filter((i) => i.naturalWidth === 28).length)).toBe(10);
      expect(await r.page.locator('table.confusion tbody tr').count()).toBe(10);
      expect(await r.page.locator('#mistakes img').count()).toBe(8);
      expect(await r.page.locator('#environment').innerText()).toContain(`${SYSTEM_DATASET_DIR} (explicit)`);
      expect(r.console).toEqual([]);
      await reportScreenshot(r.page, 'report-real-1-epoch');
    } finally {
      await r.close();
    }
  }, 60_000);
});

describe('--report and --csv on a fixture', () => {
  it('writes both atomically, says so, and the CSV parses back (Python csv) to the run\'s batches and epochs', async () => {
    const report = join(root, 'run.html');
    const csv = join(root, 'run.csv');
    const r = await run([...FLAGS, '--report', report, '--csv', csv]);
    expect(r.code).toBe(EXIT.ok);
    expect(lines(r.err).slice(-2)).toEqual([`wrote the curves (CSV) to ${csv}`, `wrote the run report to ${report}`]);
    expect(readdirSync(root).filter(isTempFileName)).toEqual([]); // no temp file left behind
    const epochs = lines(r.out).map((l) => JSON.parse(l) as { epoch: number; trainLoss: number; testAcc: number });
    const rows = JSON.parse(runPython(python, `
import csv, json, sys
print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline='')))))
`, [csv])) as Record<string, string>[];
    expect(rows.filter((x) => x.kind === 'batch')).toHaveLength(2 * 4); // 60 images in batches of 16: 4 per epoch
    expect(rows.filter((x) => x.kind === 'epoch').map((x) => [Number(x.epoch), Number(x.train_loss), Number(x.test_acc)])).toEqual(epochs.map((e) => [e.epoch, e.trainLoss, e.testAcc]));
    const html = readFileSync(report, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
  });

  it.skipIf(!chromiumAvailable)('the report opens in Chromium without script: the table, the SVG curves and ten templates', async () => {
    const report = join(root, 'run-chromium.html');
    expect((await run([...FLAGS, '--report', report])).code).toBe(EXIT.ok);
    const r = await openReport(report);
    try {
      expect(await r.page.locator('table.epochs tbody tr').count()).toBe(2);
      expect(await r.page.locator('svg.chart polyline').count()).toBe(5);
      expect(await r.page.evaluate(() => Array.from(document.querySelectorAll<HTMLImageElement>('#templates figure img')).map((i) => i.naturalWidth))).toEqual(Array(10).fill(28));
      expect(r.requests).toHaveLength(1);
    } finally {
      await r.close();
    }
  }, 60_000);

  it('a diverged run exits 3 with no model, but writes its report and CSV saying where it diverged', async () => {
    const out = join(root, 'diverged.npz');
    const report = join(root, 'diverged.html');
    const csv = join(root, 'diverged.csv');
    const r = await run(['--data', data, '--softmax', 'naive', '--lr', '1000', '--batch-size', '16', '--epochs', '20', '--out', out, '--report', report, '--csv', csv]);
    expect(r.code).toBe(EXIT.diverged);
    expect(existsSync(out)).toBe(false);
    expect(r.err).toContain(`wrote the run report to ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toMatch(/id="summary">diverged after \d+ of 20 epochs/);
    expect(readFileSync(csv, 'utf8').split('\r\n')[0]).toBe('kind,epoch_progress,epoch,batch_loss,batch_acc,lr,weight_decay,train_loss,train_acc,test_acc,seconds');
  });

  it('--help describes the formats of --out and the new flags', async () => {
    const r = await run(['--help']);
    expect(r.out).toMatch(/--out <file>\s+save the trained model: FILE\.npz for NumPy/);
    expect(r.out).toContain('--report <file>');
    expect(r.out).toContain('--csv <file>');
  });
});

describe('bad output paths exit 2 with one line, before any training', () => {
  const cases: [string, string[], RegExp][] = [
    ['--report into a missing folder', ['--report', join(root, 'no-such-folder', 'r.html')], /^error: cannot save the report to .*: folder .*no-such-folder does not exist$/],
    ['--csv into a missing folder', ['--csv', join(root, 'no-such-folder', 'c.csv')], /^error: cannot save the curves to .*: folder .*no-such-folder does not exist$/],
    ['--csv naming a folder', ['--csv', root], /^error: cannot save the curves to .*: it is a folder$/],
    ['an empty --report', ['--report', ''], /^error: --report needs a file name$/],
    ['--report and --out naming one file', ['--out', join(root, 'same.npz'), '--report', join(root, 'same.npz')], /^error: --out and --report name the same file/],
    ['--csv and --report naming one file', ['--report', join(root, 'x.html'), '--csv', join(root, '.', 'x.html')], /^error: --report and --csv name the same file/],
  ];
  for (const [what, argv, message] of cases) {
    it(what, async () => {
      const r = await run(['--data', data, ...argv]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.out).toBe('');
      expect(lines(r.err)).toHaveLength(1);
      expect(r.err.trim()).toMatch(message);
    });
  }
});
