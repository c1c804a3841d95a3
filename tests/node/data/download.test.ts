// Downloads against a local HTTP server (127.0.0.1, random port, closed in afterAll): good files, a 404
// then a good second mirror, a truncated file, a wrong checksum, a dropped connection, a stall, a
// cancel; and the bounds: an oversized body, a drip against the deadline, a redirect loop, a 1-byte
// first chunk, stale .part files, and the redirect policy (https never to http). Each gives the right
// outcome, and no partial file is ever left in the cache.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadBudget, downloadDeadlineMs, downloadFile, MAX_REDIRECTS, redirectTarget, type DownloadProgress } from '../../../node/data/download';
import { DatasetError } from '../../../node/data/errors';
import { DATASET_FILES, DEFAULT_MIRRORS, FASHION_MNIST_EXPECTED } from '../../../node/data/files';
import { loadFashionMnist } from '../../../node/data/load';
import { readVerified } from '../../../node/data/read';
import { datasetErrorOf } from '../../fixtures/dataset-error';
import { writeFixtureDir } from '../../fixtures/fashion-fixture';
import { MIRROR_DATA, startMirrorServer, type MirrorServer } from '../../fixtures/mirror-server';

const { test, expected, raw, gz } = MIRROR_DATA;
const JUNK_BYTES = 1 << 20; // what the mirror's "huge" modes add after the file

let mirror: MirrorServer;
let base = '';
let requests: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'softmax-lab-dl-'));
let k = 0;
const freshCache = (): string => join(root, `cache${k++}`);

beforeAll(async () => {
  mirror = await startMirrorServer();
  ({ base, requests } = mirror);
});

afterAll(async () => {
  await mirror.close();
  rmSync(root, { recursive: true, force: true });
});

const leftovers = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

describe('downloadFile', () => {
  it('downloads, reports progress, verifies and moves the file into the cache', async () => {
    const cache = freshCache();
    const progress: DownloadProgress[] = [];
    const path = await downloadFile('train-images-idx3-ubyte', cache, { mirrors: [`${base}/good/`], expected, onProgress: (p) => progress.push(p) });
    expect(path).toBe(join(cache, 'train-images-idx3-ubyte.gz'));
    expect(leftovers(cache)).toEqual(['train-images-idx3-ubyte.gz']);
    expect(await readVerified(path, 'train-images-idx3-ubyte', { expected })).toEqual(raw['train-images-idx3-ubyte']);
    const dl = progress.filter((p) => p.phase === 'downloading');
    expect(dl.length).toBeGreaterThan(0);
    const last = dl[dl.length - 1];
    expect(last).toMatchObject({ file: 'train-images-idx3-ubyte', bytes: gz['train-images-idx3-ubyte'].length, total: gz['train-images-idx3-ubyte'].length, percent: 100, from: `${base}/good/train-images-idx3-ubyte.gz` });
    for (let i = 1; i < dl.length; i++) expect(dl[i].bytes).toBeGreaterThanOrEqual(dl[i - 1].bytes);
    expect(progress.some((p) => p.phase === 'verifying')).toBe(true);
  });

  it('follows redirects', async () => {
    const cache = freshCache();
    await downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: [`${base}/redirect/`], expected });
    expect(leftovers(cache)).toEqual(['t10k-labels-idx1-ubyte.gz']);
  });

  it('after a 404, tries the second mirror', async () => {
    const cache = freshCache();
    const before = requests.length;
    await downloadFile('train-labels-idx1-ubyte', cache, { mirrors: [`${base}/404/`, `${base}/good/`], expected });
    expect(requests.slice(before)).toEqual(['/404/train-labels-idx1-ubyte.gz', '/good/train-labels-idx1-ubyte.gz']);
    expect(leftovers(cache)).toEqual(['train-labels-idx1-ubyte.gz']);
  });

  const failures: [string, string, string][] = [
    ['a 404 on every mirror', '404', 'http-status'],
    ['a truncated file', 'truncated', 'truncated'],
    ['a wrong checksum', 'wrong', 'checksum-mismatch'],
    ['a dropped connection', 'drop', 'network'],
    ['a stalled connection', 'stall', 'network'],
  ];
  for (const [what, mode, code] of failures) {
    it(`${what} is a '${code}' error and leaves no partial file`, async () => {
      const cache = freshCache();
      const e = await datasetErrorOf(downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/${mode}/`], expected, idleTimeoutMs: 300 }));
      expect(e.code).toBe(code);
      expect(e.message).toContain(`${base}/${mode}/t10k-images-idx3-ubyte.gz`);
      expect(e.lookedIn).toEqual([`${base}/${mode}/t10k-images-idx3-ubyte.gz`]);
      expect(leftovers(cache)).toEqual([]);
    });
  }

  it('a refused connection is a network error', async () => {
    const cache = freshCache();
    const e = await datasetErrorOf(downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: ['http://127.0.0.1:9/'], expected }));
    expect(e.code).toBe('network');
    expect(leftovers(cache)).toEqual([]);
  });

  it('cancelling removes the partial file', async () => {
    const cache = freshCache();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const e = await datasetErrorOf(downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/stall/`, `${base}/good/`], expected, signal: controller.signal, idleTimeoutMs: 10_000 }));
    expect(e.code).toBe('aborted');
    expect(leftovers(cache)).toEqual([]);
  });
});

/** A pid no process can have: above the largest pid_max Linux allows (2^22). */
const DEAD_PID = 2 ** 22 + 12_345;

describe('bounded downloads', () => {
  it('the published mirrors are HTTPS only', () => {
    expect(DEFAULT_MIRRORS.length).toBeGreaterThan(0);
    for (const m of DEFAULT_MIRRORS) expect(new URL(m).protocol).toBe('https:');
  });

  it('budgets and deadlines come from the published sizes', () => {
    for (const name of DATASET_FILES) {
      const file = FASHION_MNIST_EXPECTED[name];
      const budget = downloadBudget(file);
      expect(budget.raw).toBe(file.bytes);
      // Zalando's .gz and Debian's (24 bytes smaller) both fit; the bound is finite and near the file.
      expect(budget.gzip).toBeGreaterThan(file.gzBytes!);
      expect(budget.gzip).toBeLessThan(file.bytes * 1.001 + 2048);
      const deadline = downloadDeadlineMs(file);
      expect(deadline).toBe(60_000 + Math.ceil((file.gzBytes! / 50_000) * 1000));
      // A byte every 40 ms gets nowhere near the file before the deadline.
      expect((deadline / 40)).toBeLessThan(file.gzBytes!);
    }
    expect(downloadDeadlineMs(FASHION_MNIST_EXPECTED['train-images-idx3-ubyte'])).toBe(588_438);
  });

  const oversized: [string, string, 'gzip' | 'raw'][] = [
    ['announced with a Content-Length', 'huge', 'gzip'],
    ['without a Content-Length', 'huge-chunked', 'gzip'],
    ['of uncompressed bytes', 'huge-raw', 'raw'],
  ];
  for (const [what, mode, kind] of oversized) {
    it(`a body over budget ${what} is cut at the budget, refused ('too-large') and never on disk`, async () => {
      const cache = freshCache();
      const progress: DownloadProgress[] = [];
      const e = await datasetErrorOf(downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/${mode}/`], expected, onProgress: (p) => progress.push(p) }));
      expect(e.code).toBe('too-large');
      const limit = downloadBudget(expected['t10k-images-idx3-ubyte'])[kind];
      expect(e.message).toContain(`more than the ${limit} allowed for t10k-images-idx3-ubyte`);
      // Progress counts the bytes written: never past the budget.
      for (const p of progress) expect(p.bytes).toBeLessThanOrEqual(limit);
      if (mode === 'huge') {
        // Refused on the announcement, before reading a byte.
        expect(e.message).toContain(`announces ${gz['t10k-images-idx3-ubyte'].length + JUNK_BYTES} bytes`);
        expect(progress).toEqual([]);
      }
      expect(leftovers(cache)).toEqual([]);
    });
  }

  it('a body that is not gzip is kept under the uncompressed name', async () => {
    const cache = freshCache();
    const path = await downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: [`${base}/raw/`], expected });
    expect(path).toBe(join(cache, 't10k-labels-idx1-ubyte'));
    expect(leftovers(cache)).toEqual(['t10k-labels-idx1-ubyte']);
  });

  it('a drip (a byte every 40 ms) is given up on at the deadline with a clear network error', async () => {
    const cache = freshCache();
    const started = Date.now();
    const e = await datasetErrorOf(downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/drip/`], expected, deadlineMs: 500 }));
    const took = Date.now() - started;
    expect(e.code).toBe('network');
    expect(e.message).toContain(`${base}/drip/t10k-images-idx3-ubyte.gz: not finished after 0.5 s (the whole-transfer deadline`);
    expect(took).toBeGreaterThanOrEqual(450);
    expect(took).toBeLessThan(5_000);
    expect(leftovers(cache)).toEqual([]);
  });

  it(`a redirect loop is refused after ${MAX_REDIRECTS} hops`, async () => {
    const cache = freshCache();
    const before = requests.length;
    const e = await datasetErrorOf(downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: [`${base}/loop/`], expected }));
    expect(e.code).toBe('http-status');
    expect(e.message).toContain(`more than ${MAX_REDIRECTS} redirects`);
    expect(requests.length - before).toBe(MAX_REDIRECTS + 1);
    expect(leftovers(cache)).toEqual([]);
  });

  it('gzip is recognised when the first network chunk is 1 byte', async () => {
    const cache = freshCache();
    const path = await downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/one-byte/`], expected });
    expect(path).toBe(join(cache, 't10k-images-idx3-ubyte.gz'));
    expect(leftovers(cache)).toEqual(['t10k-images-idx3-ubyte.gz']);
    expect(await readVerified(path, 't10k-images-idx3-ubyte', { expected })).toEqual(raw['t10k-images-idx3-ubyte']);
  });

  it('removes the .part files of dead downloads before downloading, and keeps a live one', async () => {
    const cache = freshCache();
    mkdirSync(cache, { recursive: true });
    const dead = `.t10k-labels-idx1-ubyte.${DEAD_PID}.0badc0de.part`; // its process is gone
    const ours = `.t10k-labels-idx1-ubyte.${process.pid}.00000001.part`; // this process, no download writing it
    const unnamed = 'leftover.part'; // no owner in its name, older than this process
    const live = `.t10k-labels-idx1-ubyte.${process.ppid}.00000002.part`; // a live process, written just now
    for (const n of [dead, ours, unnamed, live]) writeFileSync(join(cache, n), 'partial');
    const past = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(join(cache, unnamed), past, past);
    await downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: [`${base}/good/`], expected });
    expect(leftovers(cache).sort()).toEqual([live, 't10k-labels-idx1-ubyte.gz'].sort());
  });

  it("a second download into the same folder leaves the first one's .part alone", async () => {
    const cache = freshCache();
    const first = downloadFile('t10k-images-idx3-ubyte', cache, { mirrors: [`${base}/slow/`], expected });
    await new Promise((r) => setTimeout(r, 100)); // the first is writing its .part now
    expect(leftovers(cache).filter((n) => n.endsWith('.part'))).toHaveLength(1);
    await downloadFile('t10k-labels-idx1-ubyte', cache, { mirrors: [`${base}/good/`], expected });
    expect(await first).toBe(join(cache, 't10k-images-idx3-ubyte.gz'));
    expect(leftovers(cache).sort()).toEqual(['t10k-images-idx3-ubyte.gz', 't10k-labels-idx1-ubyte.gz']);
  });
});

describe('the redirect policy', () => {
  it('never follows https to http', () => {
    const e = (() => {
      try {
        redirectTarget('https://mirror.example/f.gz', 'http://mirror.example/f.gz', 0);
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).code).toBe('http-status');
    expect((e as DatasetError).message).toBe('https://mirror.example/f.gz: a redirect from https to plain http (http://mirror.example/f.gz); refused');
  });

  it('follows https to https, relative locations, and http (a mirror the user named) to either', () => {
    expect(redirectTarget('https://a.example/x/f.gz', 'https://b.example/f.gz', 0).href).toBe('https://b.example/f.gz');
    expect(redirectTarget('https://a.example/x/f.gz', '../y/f.gz', 0).href).toBe('https://a.example/y/f.gz');
    expect(redirectTarget('https://a.example/x/f.gz', '//cdn.example/f.gz', 0).href).toBe('https://cdn.example/f.gz');
    expect(redirectTarget('http://a.example/f.gz', 'https://a.example/f.gz', 0).href).toBe('https://a.example/f.gz');
    expect(redirectTarget('http://a.example/f.gz', 'http://b.example/f.gz', MAX_REDIRECTS - 1).href).toBe('http://b.example/f.gz');
  });

  const refused: [string, string, string | null, number, RegExp][] = [
    ['a loop', 'http://a.example/f.gz', 'http://a.example/f.gz', MAX_REDIRECTS, /more than 5 redirects/],
    ['another scheme', 'https://a.example/f.gz', 'file:///etc/passwd', 0, /redirect to file:/],
    ['no Location', 'https://a.example/f.gz', null, 0, /without a Location/],
    ['a protocol-relative downgrade', 'https://a.example/f.gz', 'http:f.gz', 0, /from https to plain http/],
  ];
  for (const [what, from, location, hops, message] of refused) {
    it(`refuses ${what}`, () => {
      expect(() => redirectTarget(from, location, hops)).toThrow(message);
    });
  }
});

describe('loadFashionMnist with downloads', () => {
  it('downloads what the cache lacks, then reads from the cache without the network', async () => {
    const cache = freshCache();
    const missing = join(root, 'no-system');
    const opts = { env: {}, cacheDir: cache, systemDirs: [missing], mirrors: [`${base}/404/`, `${base}/good/`], expected };
    const first = await loadFashionMnist(opts);
    expect(first).toMatchObject({ source: 'download', dir: cache });
    expect(first.train.count).toBe(60);
    expect(first.test.labels).toEqual(test.labels);
    expect(leftovers(cache).sort()).toEqual(DATASET_FILES.map((n) => `${n}.gz`).sort());
    const before = requests.length;
    const second = await loadFashionMnist(opts);
    expect(second.source).toBe('cache');
    expect(requests.length).toBe(before);
  });

  it('using a complete cache removes the .part file a crashed download left there', async () => {
    const cache = freshCache();
    writeFixtureDir(cache, { train: 60, test: 20, gzip: true });
    const stale = `.train-images-idx3-ubyte.${DEAD_PID}.0badc0de.part`;
    writeFileSync(join(cache, stale), 'partial');
    const loaded = await loadFashionMnist({ env: {}, cacheDir: cache, systemDirs: [], download: false, expected });
    expect(loaded.source).toBe('cache');
    expect(leftovers(cache)).not.toContain(stale);
    expect(leftovers(cache)).toHaveLength(4);
  });

  it('when every mirror fails, the error lists the folders and the URLs tried and how to get the files', async () => {
    const cache = freshCache();
    const sys = join(root, 'no-system-2');
    const mirrors = [`${base}/404/`, `${base}/wrong/`];
    const e = await datasetErrorOf(loadFashionMnist({ env: {}, cacheDir: cache, systemDirs: [sys], mirrors, expected }));
    expect(e.code).toBe('not-found');
    expect(e.lookedIn).toEqual([cache, sys, ...mirrors]);
    expect(e.message).toContain(cache);
    expect(e.message).toContain(sys);
    expect(e.message).toContain(`${base}/wrong/train-images-idx3-ubyte.gz`);
    expect(e.message).toContain('sudo apt install dataset-fashion-mnist');
    expect((e.cause as DatasetError).code).toBe('checksum-mismatch');
    expect(leftovers(cache)).toEqual([]);
  });
});
