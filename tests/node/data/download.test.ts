// Downloads against a local HTTP server (127.0.0.1, random port, closed in afterAll): good files, a 404
// then a good second mirror, a truncated file, a wrong checksum, a dropped connection, a stall, a
// cancel. Each gives the right outcome, and no partial file is ever left in the cache.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile, type DownloadProgress } from '../../../node/data/download';
import type { DatasetError } from '../../../node/data/errors';
import { DATASET_FILES, type DatasetFileName } from '../../../node/data/files';
import { loadFashionMnist } from '../../../node/data/load';
import { readVerified } from '../../../node/data/read';
import { datasetErrorOf } from '../../fixtures/dataset-error';
import { expectedTableFor } from '../../fixtures/expected-table';
import { separableSplit, splitToIdx } from '../../fixtures/fashion-fixture';

const train = separableSplit(60, 1);
const test = separableSplit(20, 2);
const expected = expectedTableFor(train, test);
const [trI, trL] = splitToIdx(train);
const [teI, teL] = splitToIdx(test);
const raw: Record<DatasetFileName, Uint8Array> = {
  'train-images-idx3-ubyte': trI, 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': teI, 't10k-labels-idx1-ubyte': teL,
};
const gz = Object.fromEntries(DATASET_FILES.map((n) => [n, gzipSync(raw[n])])) as Record<DatasetFileName, Buffer>;

let server: Server;
let base = '';
const requests: string[] = [];
const root = mkdtempSync(join(tmpdir(), 'softmax-lab-dl-'));
let k = 0;
const freshCache = (): string => join(root, `cache${k++}`);

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = req.url ?? '/';
    requests.push(url);
    const [, mode, file] = url.split('/');
    const name = (file ?? '').replace(/\.gz$/, '') as DatasetFileName;
    const body = gz[name];
    if (!body || mode === '404') {
      res.writeHead(404).end('not here');
      return;
    }
    switch (mode) {
      case 'good':
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
        return;
      case 'redirect':
        res.writeHead(302, { location: `/good/${file}` }).end();
        return;
      case 'truncated': { // a complete HTTP response whose gzip stream stops short
        const half = body.subarray(0, Math.floor(body.length / 2));
        res.writeHead(200, { 'content-length': half.length }).end(half);
        return;
      }
      case 'wrong': { // same size, one label changed: only the SHA-256 can tell
        const bad = raw[name].slice();
        bad[bad.length - 1] = (bad[bad.length - 1] + 1) % 10;
        const z = gzipSync(bad);
        res.writeHead(200, { 'content-length': z.length }).end(z);
        return;
      }
      case 'drop': // announce the whole file, send half, then kill the connection
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
        return;
      case 'stall': // headers, some bytes, then silence
        res.writeHead(200, { 'content-length': body.length });
        res.write(body.subarray(0, 10));
        return;
      default:
        res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
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
