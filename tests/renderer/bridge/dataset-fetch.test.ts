// The dataset route of the web server (vite.web.config.ts) and the worker's loader (dataset-fetch.ts)
// together, over real HTTP with tiny fixture files: only the four canonical names are served (no path
// traversal), .gz or plain as on disk; the loader reports progress, gunzips and parses; picked bytes
// work too, and a missing file or an absent server give a DatasetError that says where it looked.

import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveDataset } from '../../../vite.web.config';
import { DatasetError } from '../../../core/dataset-files';
import { datasetFromBytes, datasetFromRoute, gunzipBounded } from '../../../renderer/bridge/dataset-fetch';
import type { DatasetProgress } from '../../../core/protocol';
import { splitToIdx, separableSplit, writeFixtureDir } from '../../fixtures/fashion-fixture';

let dir: string;
let server: Server;
let base: string;
const oldEnv = process.env.FASHION_MNIST_DIR;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'softmax-lab-route-'));
  writeFixtureDir(dir, { train: 50, test: 20, gzip: true });
  process.env.FASHION_MNIST_DIR = dir;
  server = createServer((req, res) => serveDataset(req, res, () => { res.statusCode = 418; res.end('next'); }));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/dataset/`;
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  rmSync(dir, { recursive: true, force: true });
  if (oldEnv === undefined) delete process.env.FASHION_MNIST_DIR;
  else process.env.FASHION_MNIST_DIR = oldEnv;
});

describe('the /dataset route', () => {
  it('serves the four canonical files as on disk, raw (no Content-Encoding)', async () => {
    const res = await fetch(`${base}train-labels-idx1-ubyte.gz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/gzip');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
    expect(decodeURIComponent(res.headers.get('x-dataset-folder') ?? '')).toBe(dir);
    expect((await fetch(`${base}train-labels-idx1-ubyte`)).status).toBe(404); // only the .gz is on disk
  });

  it('answers nothing else: other names, traversal, other methods', async () => {
    for (const path of ['passwd', '..%2F..%2Fetc%2Fpasswd', '../package.json', 'train-images-idx3-ubyte.gz/..', 'TRAIN-IMAGES-IDX3-UBYTE.gz', 'x.gz']) {
      expect((await fetch(`${base}${path}`)).status, path).not.toBe(200);
    }
    expect((await fetch(`${base}train-labels-idx1-ubyte.gz`, { method: 'POST' })).status).toBe(404);
    expect(await (await fetch(base.replace('/dataset/', '/other'))).text()).toBe('next');
  });
});

describe('the worker’s dataset loader', () => {
  it('downloads with progress, gunzips and parses', async () => {
    const progress: DatasetProgress[] = [];
    const { data, source } = await datasetFromRoute(base, (p) => progress.push(p), () => performance.now());
    expect(data.train.count).toBe(50);
    expect(data.test.count).toBe(20);
    expect(source).toContain(dir);
    expect(progress[0].phase).toBe('locating');
    const last = progress.filter((p) => p.phase === 'downloading').pop();
    expect(last?.fraction).toBe(1);
    expect(progress[progress.length - 1].phase).toBe('parsing');
  });

  it('says where it looked when the files are not there, or the server is gone', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'softmax-lab-empty-'));
    process.env.FASHION_MNIST_DIR = empty;
    try {
      const err = await datasetFromRoute(base, () => undefined, () => 0).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetError);
      expect((err as DatasetError).code).toBe('not-found');
      expect((err as DatasetError).lookedIn).toEqual([`${base} (the page's server), which searched:`, `${empty} (FASHION_MNIST_DIR)`]);
    } finally {
      process.env.FASHION_MNIST_DIR = dir;
      rmSync(empty, { recursive: true, force: true });
    }
    const gone = await datasetFromRoute('http://127.0.0.1:9/dataset/', () => undefined, () => 0).catch((e: unknown) => e);
    expect((gone as DatasetError).code).toBe('network');
  });

  it('reads picked files, gzipped or not, and names the missing ones', async () => {
    const train = separableSplit(30, 3);
    const test = separableSplit(10, 4);
    const [trI, trL] = splitToIdx(train);
    const [teI, teL] = splitToIdx(test);
    const data = await datasetFromBytes({ 'train-images-idx3-ubyte': gzipSync(trI), 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': teI, 't10k-labels-idx1-ubyte': gzipSync(teL) });
    expect(data.train.labels).toEqual(train.labels);
    expect(data.test.images).toEqual(test.images);
    const err = await datasetFromBytes({ 'train-images-idx3-ubyte': trI }).catch((e: unknown) => e);
    expect((err as DatasetError).message).toBe('missing train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte');
  });

  it('puts the images files, and only those, where allocate says (the kernels\' memory), from the route and from picked bytes, gzipped or not', async () => {
    const region = new ArrayBuffer(1 << 20);
    let next = 0;
    const asked: number[] = [];
    const allocate = (bytes: number): Uint8Array => {
      asked.push(bytes);
      const view = new Uint8Array(region, next, bytes);
      next += bytes;
      return view;
    };
    const { data } = await datasetFromRoute(base, () => undefined, () => 0, allocate);
    expect(data.train.images.buffer).toBe(region);
    expect(data.test.images.buffer).toBe(region);
    expect(data.train.labels.buffer).not.toBe(region);
    expect(asked).toHaveLength(2);
    const plain = (await datasetFromRoute(base, () => undefined, () => 0)).data;
    expect(data.train.images).toEqual(plain.train.images);
    expect(data.test.images).toEqual(plain.test.images);
    const [trI, trL] = splitToIdx(separableSplit(30, 3));
    const [teI, teL] = splitToIdx(separableSplit(10, 4));
    const picked = await datasetFromBytes({ 'train-images-idx3-ubyte': gzipSync(trI), 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': teI, 't10k-labels-idx1-ubyte': teL }, undefined, allocate);
    expect(picked.train.images.buffer).toBe(region);
    expect(picked.test.images.buffer).toBe(region); // not gzipped: copied into the region
    expect(picked.test.images).toEqual(separableSplit(10, 4).images);
    // an allocator that declines: ordinary buffers
    expect((await datasetFromBytes({ 'train-images-idx3-ubyte': trI, 'train-labels-idx1-ubyte': trL, 't10k-images-idx3-ubyte': teI, 't10k-labels-idx1-ubyte': teL }, undefined, () => null)).train.images.buffer).not.toBe(region);
  });

  it('refuses a file (or a gzip bomb) larger than its published size before holding it all', async () => {
    const bomb = gzipSync(new Uint8Array(200_000));
    const err = await gunzipBounded(bomb, 't10k-labels-idx1-ubyte').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatasetError);
    expect((err as DatasetError).code).toBe('too-large');
    expect(((await gunzipBounded(new Uint8Array(20_000), 't10k-labels-idx1-ubyte').catch((e: unknown) => e)) as DatasetError).code).toBe('too-large');
    expect(((await gunzipBounded(new Uint8Array([0x1f, 0x8b, 1, 2, 3]), 't10k-labels-idx1-ubyte').catch((e: unknown) => e)) as DatasetError).code).toBe('bad-gzip');
    expect(await gunzipBounded(gzipSync(new Uint8Array(10_008)), 't10k-labels-idx1-ubyte')).toHaveLength(10_008);
  });
});
