// node/data on disk: bounded gunzip (a gzip bomb is a typed error), verification of the uncompressed
// bytes (strict for cache and system folders, 'auto' for --data), the search order, and errors that name
// the file, or every place searched and how to get the files.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeIdxLabels, IdxError } from '../../../core/idx';
import { createKernelPool, type KernelPool } from '../../../core/kernels/pool';
import { FASHION_MNIST_EXPECTED } from '../../../node/data/files';
import { loadFashionMnist } from '../../../node/data/load';
import { locateDatasetFiles, searchPlaces } from '../../../node/data/locate';
import { decodeVerified, readVerified } from '../../../node/data/read';
import { datasetErrorOf } from '../../fixtures/dataset-error';
import { expectedTableFor } from '../../fixtures/expected-table';
import { separableSplit, splitToIdx, writeFixtureDir } from '../../fixtures/fashion-fixture';

const root = mkdtempSync(join(tmpdir(), 'softmax-lab-data-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => join(root, `d${n++}`);
const nowhere = (): string => join(root, `missing-${n++}`);


describe('readVerified', () => {
  const ds = separableSplit(4);
  const [, labels] = splitToIdx(ds);

  it('reads plain and gzipped files to the same uncompressed bytes', async () => {
    const dir = freshDir();
    writeFixtureDir(dir, { train: 4, test: 2 });
    const gzDir = freshDir();
    writeFixtureDir(gzDir, { train: 4, test: 2, gzip: true });
    const a = await readVerified(join(dir, 'train-labels-idx1-ubyte'), 'train-labels-idx1-ubyte', { verify: 'auto' });
    const b = await readVerified(join(gzDir, 'train-labels-idx1-ubyte.gz'), 'train-labels-idx1-ubyte', { verify: 'auto' });
    expect(b).toEqual(a);
    expect(a).toEqual(labels);
  });

  it('stops a gzip bomb at the size bound with a typed error naming the file', async () => {
    const path = join(root, 'bomb-train-images-idx3-ubyte.gz');
    // 64 gzip members of 1 MB of zeros each: 64 MB once inflated, about 64 KB on disk, and more than
    // the 47,040,016 bytes train-images may have.
    const member = gzipSync(Buffer.alloc(1024 * 1024));
    writeFileSync(path, Buffer.concat(Array.from({ length: 64 }, () => member)));
    const e = await datasetErrorOf(readVerified(path, 'train-images-idx3-ubyte'));
    expect(e.code).toBe('too-large');
    expect(e.file).toBe(path);
    expect(e.message).toContain(path);
    expect(e.message).toMatch(/gzip bomb/);
    // A caller's own bound applies the same way.
    const small = join(root, 'small-bomb.gz');
    writeFileSync(small, gzipSync(Buffer.alloc(100_000)));
    expect((await datasetErrorOf(readVerified(small, 't10k-labels-idx1-ubyte', { verify: 'none', maxBytes: 50_000 }))).code).toBe('too-large');
  });

  it('refuses truncated and corrupt gzip data', async () => {
    const gz = gzipSync(labels);
    const truncated = join(root, 'truncated.gz');
    writeFileSync(truncated, gz.subarray(0, gz.length - 10));
    const t = await datasetErrorOf(readVerified(truncated, 'train-labels-idx1-ubyte', { verify: 'none' }));
    expect(t.code).toBe('truncated');
    expect(t.message).toContain(truncated);
    const corrupt = join(root, 'corrupt.gz');
    const bad = Buffer.from(gz);
    bad.fill(0xff, 10, 30);
    writeFileSync(corrupt, bad);
    const c = await datasetErrorOf(readVerified(corrupt, 'train-labels-idx1-ubyte', { verify: 'none' }));
    expect(c.code).toBe('bad-gzip');
    expect(c.message).toContain(corrupt);
  });

  it('strict mode checks the uncompressed size and SHA-256 against the table', async () => {
    const path = join(root, 'labels-strict');
    writeFileSync(path, labels);
    const good = { ...FASHION_MNIST_EXPECTED, 'train-labels-idx1-ubyte': expectedTableFor(ds, ds)['train-labels-idx1-ubyte'] };
    expect(await readVerified(path, 'train-labels-idx1-ubyte', { expected: good })).toEqual(labels);
    const wrongHash = { ...good, 'train-labels-idx1-ubyte': { bytes: labels.length, sha256: '0'.repeat(64) } };
    const h = await datasetErrorOf(readVerified(path, 'train-labels-idx1-ubyte', { expected: wrongHash }));
    expect(h.code).toBe('checksum-mismatch');
    expect(h.message).toContain(path);
    const s = await datasetErrorOf(readVerified(path, 'train-labels-idx1-ubyte'));
    expect(s.code).toBe('size-mismatch');
    expect(s.message).toMatch(/expected 60008/);
  });

  it("'auto' (for --data) verifies files of the published size and only parses the rest", async () => {
    const path = join(root, 't10k-labels-fake');
    writeFileSync(path, encodeIdxLabels(new Uint8Array(10_000))); // 10,008 bytes: the published size, wrong content
    const e = await datasetErrorOf(readVerified(path, 't10k-labels-idx1-ubyte', { verify: 'auto' }));
    expect(e.code).toBe('checksum-mismatch');
    const small = join(root, 't10k-labels-small');
    writeFileSync(small, encodeIdxLabels(new Uint8Array(7)));
    expect((await readVerified(small, 't10k-labels-idx1-ubyte', { verify: 'auto' })).length).toBe(15);
  });

  it('names a missing file', async () => {
    const path = join(root, 'nope');
    const e = await datasetErrorOf(readVerified(path, 'train-labels-idx1-ubyte'));
    expect(e.code).toBe('unreadable');
    expect(e.message).toContain(path);
  });
});

describe('locating the files', () => {
  it('searches the explicit folder alone, else FASHION_MNIST_DIR alone, else cache then system', () => {
    expect(searchPlaces({ dir: '/a', env: { FASHION_MNIST_DIR: '/b' } })).toEqual([{ kind: 'explicit', dir: '/a' }]);
    expect(searchPlaces({ env: { FASHION_MNIST_DIR: '/b' } })).toEqual([{ kind: 'env', dir: '/b' }]);
    expect(searchPlaces({ env: { XDG_CACHE_HOME: '/xdg' }, systemDirs: ['/sys'] })).toEqual([
      { kind: 'cache', dir: '/xdg/softmax-lab/fashion-mnist' },
      { kind: 'system', dir: '/sys' },
    ]);
    expect(searchPlaces({ env: {}, cacheDir: '/mine' })[0]).toEqual({ kind: 'cache', dir: '/mine' });
    expect(searchPlaces({ env: {} })[1].dir).toBe('/usr/share/datasets/fashion-mnist');
  });

  it('returns the paths for serving, preferring the uncompressed file', () => {
    const dir = freshDir();
    writeFixtureDir(dir, { gzip: true });
    writeFixtureDir(dir, { gzip: false, train: 5, test: 5 }); // now both forms exist
    const found = locateDatasetFiles({ dir });
    expect(found?.kind).toBe('explicit');
    expect(found?.files['train-images-idx3-ubyte']).toMatchObject({ path: join(dir, 'train-images-idx3-ubyte'), gzipped: false });
    const gzOnly = freshDir();
    writeFixtureDir(gzOnly, { gzip: true });
    expect(locateDatasetFiles({ dir: gzOnly })?.files['t10k-labels-idx1-ubyte']).toMatchObject({ path: join(gzOnly, 't10k-labels-idx1-ubyte.gz'), gzipped: true });
    expect(locateDatasetFiles({ dir: nowhere() })).toBeNull();
  });
});

describe('loadFashionMnist', () => {
  it('loads an explicit folder of fixture files (gzipped or not)', async () => {
    for (const gzip of [false, true]) {
      const dir = freshDir();
      const { train, test } = writeFixtureDir(dir, { gzip, train: 30, test: 10 });
      const data = await loadFashionMnist({ dir, download: false });
      expect(data).toMatchObject({ source: 'explicit', dir });
      expect(data.train.count).toBe(30);
      expect(data.test.count).toBe(10);
      expect(data.train.images).toEqual(train.images);
      expect(data.test.labels).toEqual(test.labels);
    }
  });

  it('puts the images files where `allocate` says (the fast kernels\' memory), gzipped or not; the labels stay in ordinary buffers', async () => {
    for (const gzip of [false, true]) {
      const dir = freshDir();
      const { train, test } = writeFixtureDir(dir, { gzip, train: 30, test: 10 });
      const pool = createKernelPool(null, { datasets: true }) as KernelPool;
      const asked: number[] = [];
      const data = await loadFashionMnist({ dir, download: false, allocate: (bytes) => (asked.push(bytes), pool.allocate(bytes)) });
      expect(asked).toHaveLength(2);
      expect(pool.addressOf(data.train.images)).toBeGreaterThan(0);
      expect(pool.addressOf(data.test.images)).toBeGreaterThan(0);
      expect(pool.addressOf(data.train.labels)).toBe(-1);
      expect(data.train.images).toEqual(train.images);
      expect(data.test.images).toEqual(test.images);
      expect(data.test.labels).toEqual(test.labels);
    }
    // picked bytes (decodeVerified), gzipped or not, the same way
    const pool = createKernelPool(null, { datasets: true }) as KernelPool;
    const [images] = splitToIdx(separableSplit(12, 2));
    for (const raw of [images, new Uint8Array(gzipSync(images))]) {
      const placed = await decodeVerified(raw, 'train-images-idx3-ubyte', 'picked', { verify: 'none', allocate: (bytes) => pool.allocate(bytes) });
      expect(pool.addressOf(placed)).toBeGreaterThan(0);
      expect(placed).toEqual(images);
    }
    // an allocator that declines (null): ordinary buffers, the same bytes
    const dir = freshDir();
    const { train } = writeFixtureDir(dir, { gzip: true, train: 30, test: 10 });
    expect((await loadFashionMnist({ dir, download: false, allocate: () => null })).train.images).toEqual(train.images);
  });

  it('uses FASHION_MNIST_DIR, then the cache before the system folder', async () => {
    const envDir = freshDir();
    writeFixtureDir(envDir, { train: 11, test: 3 });
    expect((await loadFashionMnist({ env: { FASHION_MNIST_DIR: envDir }, download: false })).source).toBe('env');

    const cache = freshDir();
    const sys = freshDir();
    const c = writeFixtureDir(cache, { train: 12, test: 4, gzip: true });
    const s = writeFixtureDir(sys, { train: 12, test: 4, seed: 1 });
    expect(expectedTableFor(c.train, c.test)).toEqual(expectedTableFor(s.train, s.test));
    const expected = expectedTableFor(c.train, c.test);
    const fromCache = await loadFashionMnist({ env: {}, cacheDir: cache, systemDirs: [sys], expected, download: false });
    expect(fromCache).toMatchObject({ source: 'cache', dir: cache });
    const fromSystem = await loadFashionMnist({ env: {}, cacheDir: nowhere(), systemDirs: [sys], expected, download: false });
    expect(fromSystem).toMatchObject({ source: 'system', dir: sys });
  });

  it('holds the cache and system folders to the published checksums', async () => {
    const sys = freshDir();
    writeFixtureDir(sys);
    const e = await datasetErrorOf(loadFashionMnist({ env: {}, cacheDir: nowhere(), systemDirs: [sys], download: false }));
    expect(e.code).toBe('size-mismatch');
    expect(e.message).toContain(sys);
  });

  it('when nothing is found, says every place it looked and how to get the files', async () => {
    const cache = nowhere();
    const sys = freshDir();
    writeFixtureDir(sys);
    rmSync(join(sys, 't10k-labels-idx1-ubyte'));
    const e = await datasetErrorOf(loadFashionMnist({ env: {}, cacheDir: cache, systemDirs: [sys], download: false }));
    expect(e.code).toBe('not-found');
    expect(e.lookedIn).toEqual([cache, sys]);
    expect(e.message).toContain(`${cache} (user cache): folder does not exist`);
    expect(e.message).toContain(`${sys} (Debian package dataset-fashion-mnist): missing t10k-labels-idx1-ubyte`);
    expect(e.message).toContain('sudo apt install dataset-fashion-mnist');
    expect(e.help).toContain('sudo apt install dataset-fashion-mnist');
  });

  it('an explicit folder without the files is an error about that folder, with no download', async () => {
    const dir = nowhere();
    const e = await datasetErrorOf(loadFashionMnist({ dir, mirrors: ['http://127.0.0.1:9/'] }));
    expect(e.code).toBe('not-found');
    expect(e.lookedIn).toEqual([dir]);
    expect(e.message).toContain(`${dir} (--data)`);
    expect(e.message).not.toContain('127.0.0.1');
  });

  it('bad IDX contents become invalid-idx errors naming the file', async () => {
    const cases: [string, (dir: string) => void, string][] = [
      ['label 10', (dir) => {
        const labels = new Uint8Array(20);
        labels[3] = 10;
        writeFileSync(join(dir, 't10k-labels-idx1-ubyte'), encodeIdxLabels(labels));
      }, 'bad-label'],
      ['counts mismatch', (dir) => writeFileSync(join(dir, 'train-labels-idx1-ubyte'), encodeIdxLabels(new Uint8Array(59))), 'count-mismatch'],
      ['empty', (dir) => writeFileSync(join(dir, 'train-images-idx3-ubyte'), new Uint8Array(0)), 'empty'],
      ['truncated', (dir) => writeFileSync(join(dir, 'train-images-idx3-ubyte'), splitToIdx(separableSplit(60))[0].subarray(0, 5000)), 'bad-length'],
    ];
    for (const [what, damage, idxCode] of cases) {
      const dir = freshDir();
      writeFixtureDir(dir, { train: 60, test: 20 });
      damage(dir);
      const e = await datasetErrorOf(loadFashionMnist({ dir }));
      expect(e.code, what).toBe('invalid-idx');
      expect(e.cause).toBeInstanceOf(IdxError);
      expect((e.cause as IdxError).code, what).toBe(idxCode);
      expect(e.message, what).toContain(dir);
    }
  });
});
