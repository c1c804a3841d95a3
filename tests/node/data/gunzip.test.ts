// node/data/gunzip: the two ways of gunzipping into one buffer (GunzipInto on node:zlib's handle, and the
// stream) give the same bytes and the same typed errors: bombs stop at the bound, truncated and corrupt
// data are named, zero padding after the data is skipped, multi-member files and chunk boundaries
// anywhere work, short output is cut to size.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { DatasetError } from '../../../node/data/errors';
import { gunzipInto, gunzipTo } from '../../../node/data/gunzip';

const root = mkdtempSync(join(tmpdir(), 'softmax-lab-gunzip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** Bytes that compress unevenly: runs of zeros and noise, like images. */
function imageLike(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = (i >> 9) % 3 === 0 ? 0 : s >>> 24;
  }
  return out;
}

async function errorOf(p: Promise<unknown>): Promise<DatasetError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e).toBeInstanceOf(DatasetError);
  return e as DatasetError;
}

function fileOf(bytes: Uint8Array): string {
  const path = join(root, `f${n++}.gz`);
  writeFileSync(path, bytes);
  return path;
}

describe('gunzipInto', () => {
  it("drives node:zlib's handle on this Node (else loading falls back to the stream and its garbage)", () => {
    const inflater = gunzipInto(new Uint8Array(1), 'x');
    expect(inflater).not.toBeNull();
    inflater?.close();
  });

  it('inflates into the given buffer whatever the chunk boundaries, members included', () => {
    const raw = imageLike(300_000);
    const gz = Buffer.concat([gzipSync(raw.subarray(0, 100_000)), gzipSync(raw.subarray(100_000))]);
    for (const step of [1, 7, 4096, 65_536, gz.length]) {
      const out = new Uint8Array(raw.length);
      const inflater = gunzipInto(out, 'x');
      if (!inflater) throw new Error('no handle');
      for (let at = 0; at < gz.length; at += step) inflater.write(gz.subarray(at, at + step));
      const got = inflater.end();
      expect(got.buffer).toBe(out.buffer);
      expect(got).toEqual(raw);
    }
  });
});

describe('gunzipTo, both ways', () => {
  for (const stream of [false, true]) {
    const way = stream ? 'the stream' : 'GunzipInto';
    const from = (raw: Uint8Array, asFile: boolean) => (asFile ? { path: fileOf(raw) } : { bytes: raw });

    for (const asFile of [true, false]) {
      const src = asFile ? 'a file' : 'bytes';

      it(`${way}, from ${src}: the exact bytes, in the allocated buffer, filled to the bound or cut short`, async () => {
        const raw = imageLike(700_000);
        const gz = gzipSync(raw);
        const pool = new Uint8Array(raw.length + 16);
        const placed = await gunzipTo(from(gz, asFile), raw.length, 'x', { stream, allocate: (b) => (b === raw.length ? pool.subarray(16) : null) });
        expect(placed).toEqual(raw);
        expect(placed.buffer).toBe(pool.buffer);
        // short output in an ordinary buffer: copied to its size, the large buffer left to be freed
        const short = await gunzipTo(from(gz, asFile), raw.length * 3, 'x', { stream });
        expect(short).toEqual(raw);
        expect(short.buffer.byteLength).toBe(raw.length);
        // ...and in an allocated one: its start
        const big = new Uint8Array(raw.length * 3);
        const start = await gunzipTo(from(gz, asFile), big.length, 'x', { stream, allocate: () => big });
        expect(start.buffer).toBe(big.buffer);
        expect(start).toEqual(raw);
      });

      it(`${way}, from ${src}: a bomb stops at the bound; truncated and corrupt data are named`, async () => {
        const member = gzipSync(Buffer.alloc(1024 * 1024));
        const bomb = Buffer.concat(Array.from({ length: 8 }, () => member));
        const e = await errorOf(gunzipTo(from(bomb, asFile), 3 * 1024 * 1024, 'bomb.gz', { stream }));
        expect(e.code).toBe('too-large');
        expect(e.message).toMatch(/^bomb\.gz: .*gzip bomb/);
        // one byte over the bound is too large; exactly the bound is not
        const raw = imageLike(50_000);
        expect((await errorOf(gunzipTo(from(gzipSync(raw), asFile), raw.length - 1, 'x', { stream }))).code).toBe('too-large');
        expect(await gunzipTo(from(gzipSync(raw), asFile), raw.length, 'x', { stream })).toEqual(raw);
        const gz = gzipSync(raw);
        const t = await errorOf(gunzipTo(from(gz.subarray(0, gz.length - 10), asFile), raw.length, 'cut.gz', { stream }));
        expect(t.code).toBe('truncated');
        expect(t.message).toContain('cut.gz');
        const bad = Buffer.from(gz);
        bad.fill(0xff, 10, 30);
        const c = await errorOf(gunzipTo(from(bad, asFile), raw.length, 'bad.gz', { stream }));
        expect(c.code).toBe('bad-gzip');
        expect(c.message).toContain('bad.gz');
        // zero padding after the data is skipped (as gzip(1) does); other bytes after it are not gzip data
        expect(await gunzipTo(from(Buffer.concat([gz, Buffer.alloc(70_000)]), asFile), raw.length, 'x', { stream })).toEqual(raw);
        expect((await errorOf(gunzipTo(from(Buffer.concat([gz, Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])]), asFile), raw.length, 'x', { stream }))).code).toBe('bad-gzip');
      });
    }
  }
});
