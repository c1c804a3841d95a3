// `npm run sweep` driven in-process through runSweepCli on a fixture dataset (JSON lines with exactly the
// issue's fields, the d2l-style table, log-spaced and listed values, bad flags exit 2 with one line, a
// missing dataset 1, a diverged run reported and the sweep going on), the same numbers as `npm run
// train` for the same config, and the real entry point spawned with node --import tsx (exit codes, SIGINT).

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EXIT, runCli, type CliIO } from '../../../node/cli/run-cli';
import { runSweepCli, SWEEP_TABLE_HEADER } from '../../../node/cli/run-sweep';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';

const root = mkdtempSync(join(tmpdir(), 'softmax-lab-sweep-'));
const data = join(root, 'data');
writeFixtureDir(data, { train: 64, test: 20, gzip: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface Run {
  code: number;
  out: string;
  err: string;
}

function io(collect: { out: string; err: string }): CliIO {
  return {
    stdout: { write: (s: string) => (collect.out += s), isTTY: false },
    stderr: { write: (s: string) => (collect.err += s), isTTY: false },
    env: {},
    dataOptions: { cacheDir: join(root, 'no-cache'), systemDirs: [join(root, 'no-system')], download: false },
  };
}

async function sweep(argv: string[]): Promise<Run> {
  const c = { out: '', err: '' };
  const code = await runSweepCli(argv, io(c));
  return { code, ...c };
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
const KEYS = ['lr', 'batchSize', 'epochs', 'trainLoss', 'trainAcc', 'testAcc', 'diverged', 'seconds'];

describe('npm run sweep on a fixture dataset', () => {
  it('--lr FROM:TO:COUNT --json: one line per run with exactly the issue\'s fields, log-spaced rates, same seed', async () => {
    const r = await sweep(['--data', data, '--lr', '0.01:1:3', '--epochs', '2', '--batch-size', '16', '--json']);
    expect(r.code).toBe(EXIT.ok);
    const rows = lines(r.out).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows.map((x) => Object.keys(x))).toEqual([KEYS, KEYS, KEYS]);
    expect(rows.map((x) => [x.lr, x.batchSize, x.epochs, x.diverged])).toEqual([[0.01, 16, 2, false], [0.1, 16, 2, false], [1, 16, 2, false]]);
    for (const x of rows) {
      expect(x.trainLoss).toBeGreaterThan(0);
      expect(x.testAcc).toBeGreaterThanOrEqual(0);
      expect(x.seconds).toBeGreaterThanOrEqual(0);
    }
    expect(r.err).toContain(`Fashion-MNIST from ${data} (explicit): 64 train, 20 test images; 3 runs of 2 epochs, seed 0, stable softmax`);
  });

  it('--batch-size A,B,C sweeps batch sizes at the default learning rate; both lists run every pair', async () => {
    const sizes = await sweep(['--data', data, '--batch-size', '4,8,16', '--epochs', '1', '--json']);
    expect(lines(sizes.out).map((l) => JSON.parse(l) as { lr: number; batchSize: number }).map((x) => [x.lr, x.batchSize])).toEqual([[0.1, 4], [0.1, 8], [0.1, 16]]);
    const both = await sweep(['--data', data, '--lr', '0.05,0.5', '--batch-size', '8,32', '--epochs', '1', '--json']);
    expect(lines(both.out).map((l) => JSON.parse(l) as { lr: number; batchSize: number }).map((x) => [x.lr, x.batchSize])).toEqual([[0.05, 8], [0.05, 32], [0.5, 8], [0.5, 32]]);
  });

  it('prints the d2l-style table, one row per run, and the best run; by default 0.001 to 10 in nine rates', async () => {
    const r = await sweep(['--data', data, '--epochs', '1']);
    expect(r.code).toBe(EXIT.ok);
    const out = lines(r.out);
    expect(out[0]).toBe(SWEEP_TABLE_HEADER);
    expect(out[0]).toMatch(/^\s+lr\s+batch size\s+epochs\s+train loss\s+train acc\s+test acc\s+seconds$/);
    const rows = out.slice(1, -1);
    expect(rows.map((l) => l.trim().split(/\s+/)[0])).toEqual(['0.001', '0.003162', '0.01', '0.03162', '0.1', '0.3162', '1', '3.162', '10']);
    for (const row of rows) expect(row).toMatch(/^\s+[\d.]+\s+256\s+1\s+(\d+\.\d{4}\s+\d\.\d{4}\s+\d\.\d{4}|diverged\s+–\s+–)\s+\d+\.\d$/);
    expect(out.at(-1)).toMatch(/^best test acc \d\.\d{3} at lr [\d.]+, batch size 256$/);
  });

  it('gives the same numbers as npm run train for the same config and seed', async () => {
    const s = await sweep(['--data', data, '--lr', '0.05', '--batch-size', '16', '--epochs', '2', '--seed', '3', '--json']);
    const c = { out: '', err: '' };
    expect(await runCli(['--data', data, '--lr', '0.05', '--batch-size', '16', '--epochs', '2', '--seed', '3', '--json'], io(c))).toBe(EXIT.ok);
    const fromSweep = JSON.parse(lines(s.out)[0]) as Record<string, number>;
    const fromTrain = JSON.parse(lines(c.out)[1]) as Record<string, number>;
    expect([fromSweep.trainLoss, fromSweep.trainAcc, fromSweep.testAcc]).toEqual([fromTrain.trainLoss, fromTrain.trainAcc, fromTrain.testAcc]);
  });

  it('reports a diverged run (row, JSON and stderr) and goes on; the sweep still exits 0', async () => {
    const table = await sweep(['--data', data, '--softmax', 'naive', '--lr', '1000,0.1', '--batch-size', '16', '--epochs', '20']);
    expect(table.code).toBe(EXIT.ok);
    expect(lines(table.out)[1]).toMatch(/^\s+1000\s+16\s+20\s+diverged\s+–\s+–\s+\d+\.\d$/);
    expect(lines(table.out).at(-1)).toMatch(/^best test acc \d\.\d{3} at lr 0\.1, batch size 16; 1 of 2 runs diverged$/);
    expect(table.err).toMatch(/run 1 \(lr 1000, batch size 16\) diverged: /);
    const json = await sweep(['--data', data, '--softmax', 'naive', '--lr', '1000', '--batch-size', '16', '--epochs', '20', '--json']);
    expect(JSON.parse(lines(json.out)[0])).toMatchObject({ lr: 1000, diverged: true, trainLoss: null, trainAcc: null, testAcc: null });
  });

  const bad: string[][] = [
    ['--lr', '0:10:9'],
    ['--lr', '10:0.001:9'],
    ['--lr', '0.001:10:1'],
    ['--lr', '0.001:10:51'],
    ['--lr', '0.001:10:x'],
    ['--lr', '0.001:10'],
    ['--lr', '1:2:3:4'],
    ['--lr', '0.1,,1'],
    ['--lr', '0.1,0.1'],
    ['--lr', 'fast'],
    ['--batch-size', '0'],
    ['--batch-size', '16,,64'],
    ['--batch-size', '16,16'],
    ['--batch-size', '2.5'],
    ['--epochs', '0'],
    ['--data', ''],
    ['--lr', Array.from({ length: 20 }, (_, i) => (i + 1) / 100).join(','), '--batch-size', Array.from({ length: 11 }, (_, i) => i + 1).join(',')],
    ['--frobnicate'],
    ['stray-argument'],
  ];
  for (const argv of bad) {
    it(`${argv.join(' ').slice(0, 60)} → exit 2 with a one-line error`, async () => {
      const r = await sweep(argv.includes('--data') ? argv : [...argv, '--data', data]);
      expect(r.code).toBe(EXIT.usage);
      expect(r.out).toBe('');
      expect(lines(r.err)).toHaveLength(1);
      expect(r.err).toMatch(/^error: /);
    });
  }

  it('a missing dataset exits 1 naming the folder', async () => {
    const missing = join(root, 'nothing-here');
    const r = await sweep(['--data', missing, '--epochs', '1']);
    expect(r.code).toBe(EXIT.dataError);
    expect(r.out).toBe('');
    expect(r.err).toContain(missing);
  });

  it('--help lists the flags and exits 0', async () => {
    const r = await sweep(['--help']);
    expect(r.code).toBe(EXIT.ok);
    for (const flag of ['--lr', '--batch-size', '--epochs', '--seed', '--softmax', '--kernels', '--data', '--json']) expect(r.out).toContain(flag);
    expect(r.out).toContain('0.001:10:9');
  });
});

describe('the process entry point (node --import tsx node/cli/sweep.ts)', () => {
  const entry = resolve(__dirname, '../../../node/cli/sweep.ts');
  const spawnSweep = (args: string[]) => spawn(process.execPath, ['--import', 'tsx', entry, ...args], {
    cwd: resolve(__dirname, '../../..'),
    env: { ...process.env, FASHION_MNIST_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });

  /** Waits for the child to exit (killing it in any case afterwards); `onErr` sees stderr as it grows. */
  async function finish(child: ReturnType<typeof spawnSweep>, onErr?: (all: string) => void): Promise<Run> {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
      onErr?.(err);
    });
    try {
      const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      return { code: code ?? -1, out, err };
    } finally {
      child.kill('SIGKILL');
    }
  }

  it('runs a sweep and exits 0 with one JSON line per run', async () => {
    const r = await finish(spawnSweep(['--data', data, '--lr', '0.01:1:3', '--epochs', '1', '--batch-size', '16', '--json']));
    expect(r.code).toBe(0);
    expect(lines(r.out).map((l) => (JSON.parse(l) as { lr: number }).lr)).toEqual([0.01, 0.1, 1]);
  }, 60_000);

  it('exits 2 with one line on stderr for a bad flag', async () => {
    const r = await finish(spawnSweep(['--lr', '0.001:10:1']));
    expect(r.code).toBe(2);
    expect(lines(r.err)).toHaveLength(1);
    expect(r.err).toMatch(/^error: option '--lr <rates>' argument '0.001:10:1' is invalid\./);
  }, 60_000);

  it('exits 130 cleanly on SIGINT', async () => {
    const child = spawnSweep(['--data', data, '--lr', '0.01:1:5', '--epochs', '1000', '--batch-size', '4', '--json']);
    let sent = false;
    // The dataset line comes just before the first run starts: interrupt it mid-run.
    const r = await finish(child, (err) => {
      if (!sent && err.includes('runs of 1000 epochs')) {
        sent = true;
        setTimeout(() => child.kill('SIGINT'), 200);
      }
    });
    expect(r.code).toBe(130);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/interrupted during run 1 of 5/);
    expect(r.err).not.toMatch(/Error|at .*\.ts:\d+/);
  }, 60_000);
});
