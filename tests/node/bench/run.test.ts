// `npm run bench -- --quick`, the bench's smoke run, as a real process on the real data (skipped without
// Debian's dataset-fashion-mnist): it exits 0 and prints only JSON lines, among them a line for each kernel
// and thread count, the bit-for-bit check across thread counts (true), the NumPy configurations and the
// ratio against the fastest (or the one line saying NumPy is missing), the streaming and memory measures.
// What it checks is the bench's shape and its checks' verdicts, never a time: this machine is shared.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SYSTEM_DATASET_DIR } from '../../../node/data/files';
import { locateDatasetFiles } from '../../../node/data/locate';

const realData = locateDatasetFiles({ dir: SYSTEM_DATASET_DIR }) !== null;

/** Runs the bench with `args`; resolves with its exit code and stdout once it has exited. */
function bench(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const root = resolve(__dirname, '../../..');
  const child = spawn(process.execPath, ['--import', 'tsx', resolve(root, 'node/bench/run.ts'), ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res) => child.on('close', (code) => res({ code, out, err }))).finally(() => child.kill('SIGKILL')) as Promise<{ code: number | null; out: string; err: string }>;
}

describe.skipIf(!realData)('npm run bench -- --quick', () => {
  it('prints JSON lines: every kernel and thread count, the same numbers on each, NumPy and the ratio, streaming and memory', async () => {
    const { code, out, err } = await bench(['--quick', '--data', SYSTEM_DATASET_DIR]);
    expect(code, err.slice(-2000)).toBe(0);
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ quick: true, appThreads: expect.any(Number), machine: expect.objectContaining({ cpus: expect.any(Number) }) });
    const kernels = lines.filter((l) => typeof l.kernel === 'string' && typeof l.medianSec === 'number');
    const names = kernels.map((l) => l.kernel);
    for (const name of ['reference', 'fast-js', 'fast (wasm SIMD, 1 thread)', 'fast (wasm SIMD, 2 threads)']) expect(names).toContain(name);
    // the fast kernels' final numbers are the reference's on the same epochs (one epoch of each here)
    const reference = kernels.find((l) => l.kernel === 'reference');
    expect(kernels.find((l) => l.kernel === 'fast-js')).toMatchObject({ trainAcc: reference?.trainAcc, testAcc: reference?.testAcc });
    expect(lines.find((l) => typeof l.check === 'string' && /bit for bit/.test(l.check))).toMatchObject({ same: true });
    const numpy = lines.filter((l) => typeof l.kernel === 'string' && l.kernel.startsWith('numpy'));
    if (numpy.some((l) => typeof l.skipped === 'string')) {
      expect(numpy).toHaveLength(1); // NumPy missing: said once, and no ratio
      expect(lines.some((l) => typeof l.ratio === 'string' && /NumPy/.test(l.ratio))).toBe(false);
    } else {
      expect(numpy.map((l) => l.kernel)).toEqual(['numpy', 'numpy-1thread', 'numpy-openblas-unset', 'numpy-1thread-openblas-unset']);
      const ratio = lines.find((l) => typeof l.ratio === 'string' && /fastest NumPy \(median/.test(l.ratio));
      expect(ratio).toMatchObject({ value: expect.any(Number), target: 0.5, fastest: expect.stringMatching(/^numpy/) });
      expect(Object.keys(ratio?.byThreads as object)).toEqual(expect.arrayContaining(['1', '2']));
    }
    expect(lines.find((l) => l.measure === 'streaming')).toMatchObject({ fractionOfEpoch: expect.any(Number) });
    expect(lines.find((l) => l.measure === 'memory')).toMatchObject({ peakRssMB: expect.any(Number), imagesInKernelMemory: true, targetMB: 150 });
  }, 240_000);
});
