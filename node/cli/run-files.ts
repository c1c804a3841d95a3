// The files `npm run train` writes besides its table: the model in the format its name asks for
// (--out model.npz for NumPy, model.onnx for ONNX runtimes; the JSON model file otherwise), the run
// report (--report FILE.html) and the curves as CSV (--csv FILE). The bytes come from core/export; this
// file only checks the paths, writes atomically (node/files/atomic-file.ts) and says what it wrote.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { runCurvesCsv } from '../../core/export/csv';
import { encodeModelNpz } from '../../core/export/npz';
import { encodeModelOnnx } from '../../core/export/onnx';
import { predictDataset, runReportHtml } from '../../core/export/report';
import type { RunRecorder } from '../../core/run-recorder';
import type { Trainer } from '../../core/train';
import { writeFileAtomic } from '../files/atomic-file';
import type { LoadedFashionMnist } from '../data/load';

/** What --out writes, by the file's extension. */
export type ModelFormat = 'json' | 'npz' | 'onnx';

/** The model format a file name asks for: .npz, .onnx (any case), else the JSON model file. */
export function modelFormatOf(path: string): ModelFormat {
  const ext = extname(path).toLowerCase();
  return ext === '.npz' ? 'npz' : ext === '.onnx' ? 'onnx' : 'json';
}

/** How each format is named in the "saved" line. */
export const MODEL_FORMAT_LABEL: Readonly<Record<ModelFormat, string>> = {
  json: 'Softmax Lab model file (JSON)',
  npz: "NumPy .npz: W float32 (784, 10), b float32 (10,); np.load(path)['W']",
  onnx: "ONNX: input 'x' float32 [N, 784] in [0, 1], output 'probabilities' float32 [N, 10]",
};

/** The app's version, from package.json (for the report and the ONNX producer version). */
export function appVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * A problem with an output path given on the command line (its folder must exist; it must not be a
 * folder itself), in one sentence, or null. `what` names the file ("the model", "the report").
 */
export function outputPathProblem(flag: string, path: string, what: string): string | null {
  if (path.trim() === '') return `${flag} needs a file name`;
  const full = resolve(path);
  const dir = dirname(full);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return `cannot save ${what} to ${path}: folder ${dir} does not exist`;
  if (existsSync(full) && statSync(full).isDirectory()) return `cannot save ${what} to ${path}: it is a folder`;
  return null;
}

/** Two flags naming the same file would overwrite one with the other: the pair, or null. */
export function sameOutputFile(paths: Record<string, string | undefined>): string | null {
  const seen = new Map<string, string>();
  for (const [flag, path] of Object.entries(paths)) {
    if (path === undefined) continue;
    const full = resolve(path);
    const other = seen.get(full);
    if (other) return `${other} and ${flag} name the same file (${path}); give each its own`;
    seen.set(full, flag);
  }
  return null;
}

/** Writes the model as .npz or .onnx (the JSON model file stays run-cli's own). */
export async function writeModelExport(path: string, format: Exclude<ModelFormat, 'json'>, params: Float32Array, description: string): Promise<void> {
  const bytes = format === 'npz' ? encodeModelNpz(params, { modified: new Date() }) : encodeModelOnnx(params, { appVersion: appVersion(), description });
  await writeFileAtomic(path, bytes);
}

/** What the report and the CSV are made from. */
export interface RunFilesInput {
  trainer: Trainer;
  recorder: RunRecorder;
  data: LoadedFashionMnist;
}

/**
 * Writes --report and --csv, if asked for, for the run as it ended (done or diverged: a diverged run's
 * report shows where it went wrong, with the last finite weights). Returns false after printing an
 * error when a file could not be written.
 */
export async function writeRunFiles(opts: { report?: string; csv?: string }, input: RunFilesInput, io: { stderr: { write(s: string): unknown } }): Promise<boolean> {
  if (opts.report === undefined && opts.csv === undefined) return true;
  const endedAt = new Date().toISOString();
  const record = input.recorder.snapshot(endedAt);
  const writes: [string, string, () => string][] = [];
  if (opts.csv !== undefined) writes.push([opts.csv, 'the curves (CSV)', () => runCurvesCsv(record)]);
  if (opts.report !== undefined) {
    writes.push([opts.report, 'the run report', () => {
      const { trainer, data } = input;
      const probabilities = predictDataset((x, n) => trainer.predict(x, n), data.test);
      return runReportHtml({
        record,
        environment: { appVersion: appVersion(), kernel: trainer.kernelName, dataset: `${data.dir} (${data.source})`, generatedAt: endedAt },
        weights: trainer.weights(),
        test: { labels: data.test.labels, probabilities, images: data.test.images },
      });
    }]);
  }
  for (const [path, what, make] of writes) {
    try {
      await writeFileAtomic(path, make());
      io.stderr.write(`wrote ${what} to ${path}\n`);
    } catch (e) {
      io.stderr.write(`error: could not write ${what} to ${path}: ${(e as Error).message}\n`);
      return false;
    }
  }
  return true;
}
