// `npm run fetch-data` against a local HTTP server (127.0.0.1, random port, closed in afterAll): driven
// in-process through runFetchData with the fixtures' table (a good download, files already there, a
// damaged one, an oversized body, a drip with a short --deadline-s, a redirect loop, a 1-byte first
// chunk, a leftover .part file, bad flags), and the real entry point spawned with node + tsx (bad flags,
// a drip, and the published files, when Debian's copy is installed to serve).

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FETCH_EXIT, runFetchData, type FetchDataIO } from '../../../node/cli/fetch-data';
import { DATASET_FILES, SYSTEM_DATASET_DIR } from '../../../node/data/files';
import { MIRROR_DATA, startMirrorServer, type MirrorServer } from '../../fixtures/mirror-server';

const { expected } = MIRROR_DATA;
const gzNames = DATASET_FILES.map((n) => `${n}.gz`).sort();

/** Debian's dataset-fashion-mnist, served as a mirror of the published files when it is installed. */
const published = DATASET_FILES.every((n) => existsSync(join(SYSTEM_DATASET_DIR, `${n}.gz`)));

let mirror: MirrorServer;
let base = '';
const root = mkdtempSync(join(tmpdir(), 'softmax-lab-fetch-'));
let k = 0;
const freshDir = (): string => join(root, `to${k++}`);

beforeAll(async () => {
  mirror = await startMirrorServer({
    // Debian's re-gzipped copy of the real files.
    published: (res, { name }) => {
      const real = readFileSync(join(SYSTEM_DATASET_DIR, `${name}.gz`));
      res.writeHead(200, { 'content-length': real.length }).end(real);
    },
  });
  base = mirror.base;
});

afterAll(async () => {
  await mirror.close();
  rmSync(root, { recursive: true, force: true });
});

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(argv: string[], extra: Partial<FetchDataIO> = {}): Promise<Run> {
  let out = '';
  let err = '';
  const io: FetchDataIO = {
    stdout: { write: (s: string) => (out += s), isTTY: false },
    stderr: { write: (s: string) => (err += s), isTTY: false },
    expected,
    ...extra,
  };
  const code = await runFetchData(argv, io);
  return { code, out, err };
}

const lines = (s: string): string[] => s.split('\n').filter((l) => l !== '');
const errorLines = (s: string): string[] => lines(s).filter((l) => l.startsWith('error: '));
const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir).sort() : []);

describe('npm run fetch-data (in-process)', () => {
  it('puts the four verified files in DIR and exits 0; a second run keeps them without the network', async () => {
    const to = freshDir();
    const r = await run(['--to', to, '--mirror', `${base}/404/`, '--mirror', `${base}/good`]);
    expect(r.code).toBe(FETCH_EXIT.ok);
    expect(files(to)).toEqual(gzNames);
    expect(lines(r.out)).toEqual([`${to}: the four Fashion-MNIST files, verified (use them with npm run train -- --data ${to})`]);
    expect(r.err).toContain(`downloading train-images-idx3-ubyte.gz from ${base}/good/train-images-idx3-ubyte.gz`);
    const before = mirror.requests.length;
    const again = await run(['--to', to, '--mirror', `${base}/good/`]);
    expect(again.code).toBe(FETCH_EXIT.ok);
    expect(mirror.requests.length).toBe(before);
    expect(again.err).toContain(`train-images-idx3-ubyte: already in ${to}, verified`);
  });

  it('on a terminal, redraws one progress line per file in place', async () => {
    const to = freshDir();
    let err = '';
    const r = await run(['--to', to, '--mirror', `${base}/good/`], { stderr: { write: (s: string) => (err += s), isTTY: true } });
    expect(r.code).toBe(FETCH_EXIT.ok);
    const shown = err.split('\n').filter((l) => l !== '').map((l) => l.split('\r').pop()!.trimEnd());
    expect(shown).toEqual(DATASET_FILES.map((n) => `downloading ${n}.gz from ${base}/good/${n}.gz 100%`));
  });

  it('fetches again a file in DIR that is not the published one, and drops the bad copy', async () => {
    const to = freshDir();
    mkdirSync(to, { recursive: true });
    writeFileSync(join(to, 't10k-labels-idx1-ubyte'), 'not the labels');
    const r = await run(['--to', to, '--mirror', `${base}/good/`]);
    expect(r.code).toBe(FETCH_EXIT.ok);
    expect(r.err).toContain(`t10k-labels-idx1-ubyte: ${join(to, 't10k-labels-idx1-ubyte')} is not the published file (size-mismatch); fetching it again`);
    expect(files(to)).toEqual(gzNames);
  });

  const failures: [string, string, string[], RegExp][] = [
    ['an oversized body', 'huge-chunked', [], /^error: could not download train-images-idx3-ubyte: .*\/huge-chunked\/train-images-idx3-ubyte\.gz: sent at least \d+ bytes, more than the \d+ allowed/],
    ['a drip past --deadline-s', 'drip', ['--deadline-s', '0.5'], /^error: could not download train-images-idx3-ubyte: .*\/drip\/train-images-idx3-ubyte\.gz: not finished after 0\.5 s \(the whole-transfer deadline/],
    ['a redirect loop', 'loop', [], /^error: could not download train-images-idx3-ubyte: .*\/loop\/train-images-idx3-ubyte\.gz: more than 5 redirects/],
    ['a mirror without the files', '404', [], /^error: could not download train-images-idx3-ubyte: .*: HTTP 404 Not Found$/],
  ];
  for (const [what, mode, rest, message] of failures) {
    it(`${what} exits 1 with one line naming the file and the reason, and leaves nothing in DIR`, async () => {
      const to = freshDir();
      const started = Date.now();
      const r = await run(['--to', to, '--mirror', `${base}/${mode}/`, ...rest]);
      expect(r.code).toBe(FETCH_EXIT.failed);
      expect(r.out).toBe('');
      expect(errorLines(r.err)).toHaveLength(1);
      expect(errorLines(r.err)[0]).toMatch(message);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(files(to)).toEqual([]);
    });
  }

  it('saves gzip bytes as .gz when the first network chunk is 1 byte', async () => {
    const to = freshDir();
    const r = await run(['--to', to, '--mirror', `${base}/one-byte/`]);
    expect(r.code).toBe(FETCH_EXIT.ok);
    expect(files(to)).toEqual(gzNames);
  });

  it('removes a .part file a crashed run left in DIR', async () => {
    const to = freshDir();
    mkdirSync(to, { recursive: true });
    const stale = `.train-images-idx3-ubyte.${2 ** 22 + 1}.0badc0de.part`; // a pid no process can have
    writeFileSync(join(to, stale), Buffer.alloc(4096));
    const r = await run(['--to', to, '--mirror', `${base}/good/`]);
    expect(r.code).toBe(FETCH_EXIT.ok);
    expect(files(to)).toEqual(gzNames);
  });

  const bad: string[][] = [
    [],
    ['--to'],
    ['--to', ''],
    ['--to', 'x', '--deadline-s', '0'],
    ['--to', 'x', '--deadline-s', '-5'],
    ['--to', 'x', '--deadline-s', 'soon'],
    ['--to', 'x', '--deadline-s', '1e9'],
    ['--to', 'x', '--mirror', 'ftp://example.org/fashion/'],
    ['--to', 'x', '--mirror', 'not a url'],
    ['--to', 'x', 'stray'],
    ['--to', 'x', '--frobnicate'],
  ];
  for (const argv of bad) {
    it(`${JSON.stringify(argv)} → exit 2 with a one-line error`, async () => {
      const r = await run(argv);
      expect(r.code).toBe(FETCH_EXIT.usage);
      expect(r.out).toBe('');
      expect(lines(r.err)).toHaveLength(1);
      expect(r.err).toMatch(/^error: /);
      expect(existsSync('x')).toBe(false);
    });
  }

  it('--help lists the flags and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.code).toBe(0);
    for (const flag of ['--to', '--mirror', '--deadline-s']) expect(r.out).toContain(flag);
  });
});

describe('the process entry point (node --import tsx node/cli/fetch-data.ts)', () => {
  const entry = resolve(__dirname, '../../../node/cli/fetch-data.ts');
  const spawnCli = async (args: string[]): Promise<Run> => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: resolve(__dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      const code = await new Promise<number | null>((res) => child.on('close', (c) => res(c)));
      return { code: code ?? -1, out, err };
    } finally {
      child.kill('SIGKILL');
    }
  };

  it('exits 2 with one line for a bad flag', async () => {
    const r = await spawnCli(['--to', freshDir(), '--deadline-s', 'never']);
    expect(r.code).toBe(2);
    expect(lines(r.err)).toEqual(["error: option '--deadline-s <seconds>' argument 'never' is invalid. the deadline must be a number of seconds above 0 and at most 86400."]);
  }, 60_000);

  it('gives up on a drip at --deadline-s and exits 1 with one line', async () => {
    const to = freshDir();
    const r = await spawnCli(['--to', to, '--mirror', `${base}/drip/`, '--deadline-s', '1']);
    expect(r.code).toBe(1);
    expect(errorLines(r.err)).toHaveLength(1);
    expect(errorLines(r.err)[0]).toMatch(/not finished after 1 s \(the whole-transfer deadline/);
    expect(r.err).not.toMatch(/at .*\.ts:\d+/);
    expect(files(to)).toEqual([]);
  }, 60_000);

  it.skipIf(!published)(`fetches the published files (Debian's copy, served locally) and exits 0 with the four verified in DIR`, async () => {
    const to = freshDir();
    const r = await spawnCli(['--to', to, '--mirror', `${base}/published/`]);
    expect(r.err).not.toMatch(/^error:/m);
    expect(r.code).toBe(0);
    expect(files(to)).toEqual(gzNames);
    expect(lines(r.out)).toEqual([`${to}: the four Fashion-MNIST files, verified (use them with npm run train -- --data ${to})`]);
  }, 120_000);
});
