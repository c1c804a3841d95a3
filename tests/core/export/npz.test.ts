// core/export/npz.ts: the .npy header byte by byte against the NPY v1.0 spec, and the .npz read back by
// the real consumer, NumPy (every python3 here that has it: Debian's python3-numpy in CI, and a current
// NumPy where installed): names, dtype, shape, C order, stored (uncompressed) entries with good CRC-32s,
// headers parsed by numpy.lib.format's strict v1.0 reader, and the values bit for bit.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeModelNpz, encodeNpyFloat32 } from '../../../core/export/npz';
import { checksumParams } from '../../../core/model-file';
import { createRng, fillNormal } from '../../../core/rng';
import { NUM_PARAMS } from '../../../core/shapes';
import { pythonsWithNumpy, runPython } from './python';

const dir = mkdtempSync(join(tmpdir(), 'softmax-lab-npz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function someParams(seed = 7): Float32Array {
  const p = new Float32Array(NUM_PARAMS);
  fillNormal(createRng(seed), p, 0, 0.05);
  p[0] = -0; // signed zero, the smallest subnormal and a large value survive the trip too
  p[1] = 1.4e-45;
  p[2] = 3.4e38;
  return p;
}

const ascii = (bytes: Uint8Array): string => String.fromCharCode(...bytes);

describe('encodeNpyFloat32 (NPY format 1.0)', () => {
  it('writes magic, version 1.0, the header length, the dict, space padding and a newline on a 64-byte boundary', () => {
    const npy = encodeNpyFloat32(new Float32Array(7840), [784, 10]);
    expect(Array.from(npy.subarray(0, 6))).toEqual([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]);
    expect([npy[6], npy[7]]).toEqual([1, 0]);
    const headerLength = npy[8] | (npy[9] << 8);
    const dataStart = 10 + headerLength;
    expect(dataStart % 64).toBe(0);
    expect(npy.length).toBe(dataStart + 7840 * 4);
    const header = ascii(npy.subarray(10, dataStart));
    expect(header.endsWith('\n')).toBe(true);
    expect(header.trimEnd()).toBe("{'descr': '<f4', 'fortran_order': False, 'shape': (784, 10), }");
    expect(header.slice(0, -1)).toMatch(/^\{[^\n]*\} *$/); // only spaces between the dict and the newline
  });

  it("writes a 1-D shape as Python's 1-tuple (10,)", () => {
    const npy = encodeNpyFloat32(new Float32Array(10), [10]);
    const header = ascii(npy.subarray(10, 10 + (npy[8] | (npy[9] << 8))));
    expect(header).toContain("'shape': (10,), }");
    expect((10 + header.length) % 64).toBe(0);
  });

  it('stores the values little-endian in C order', () => {
    const npy = encodeNpyFloat32(Float32Array.from([1, -2, 0.5, 3]), [2, 2]);
    const view = new DataView(npy.buffer, npy.byteOffset + 10 + (npy[8] | (npy[9] << 8)));
    expect([0, 1, 2, 3].map((i) => view.getFloat32(i * 4, true))).toEqual([1, -2, 0.5, 3]);
  });

  it('refuses a shape that does not hold the values', () => {
    expect(() => encodeNpyFloat32(new Float32Array(10), [3, 3])).toThrow(/does not hold 10 values/);
    expect(() => encodeNpyFloat32(new Float32Array(0), [-1])).toThrow(RangeError);
  });
});

describe('encodeModelNpz', () => {
  it('refuses a wrong length and non-finite weights (a diverged model is not exported)', () => {
    expect(() => encodeModelNpz(new Float32Array(10))).toThrow(/expected 7850 parameters/);
    const p = someParams();
    p[100] = Number.NaN;
    expect(() => encodeModelNpz(p)).toThrow(/NaN or Infinity/);
    p[100] = Number.POSITIVE_INFINITY;
    expect(() => encodeModelNpz(p)).toThrow(/NaN or Infinity/);
  });

  it('gives the same bytes for the same weights (a fixed entry date unless one is given)', () => {
    expect(encodeModelNpz(someParams())).toEqual(encodeModelNpz(someParams()));
  });

  const pythons = pythonsWithNumpy();
  it.runIf(pythons.length === 0 && Boolean(process.env.CI))('CI has NumPy (python3-numpy)', () => {
    expect.fail('no python3 with numpy found; .ci/run installs python3-numpy');
  });
  for (const { python, numpy } of pythons) {
    it(`numpy.load reads W (784, 10) and b (10,) float32 bit for bit (${python}, NumPy ${numpy})`, () => {
      const params = someParams();
      const path = join(dir, 'model.npz');
      writeFileSync(path, encodeModelNpz(params, { modified: new Date(2026, 0, 2, 3, 4, 6) }));
      const out = runPython(python, `
import hashlib, json, sys, zipfile
import numpy as np
path = sys.argv[1]
with zipfile.ZipFile(path) as z:
    entries = [(i.filename, i.compress_type, i.date_time) for i in z.infolist()]
    bad_crc = z.testzip()
    headers = {}
    for name in z.namelist():
        with z.open(name) as f:
            version = np.lib.format.read_magic(f)
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(f)
            headers[name] = [list(version), list(shape), fortran, dtype.str]
m = np.load(path)  # allow_pickle=False, as by default
W, b = m['W'], m['b']
print(json.dumps({
  'files': sorted(m.files), 'entries': entries, 'badCrc': bad_crc, 'headers': headers,
  'W': [W.dtype.str, list(W.shape), bool(W.flags['C_CONTIGUOUS'])], 'b': [b.dtype.str, list(b.shape)],
  'sha256': hashlib.sha256(W.astype('<f4').tobytes() + b.astype('<f4').tobytes()).hexdigest(),
  'w_0_1': float(W[0, 1]), 'w_1_0': float(W[1, 0]), 'b_9': float(b[9]),
}))
`, [path]);
      const r = JSON.parse(out) as Record<string, unknown>;
      expect(r.files).toEqual(['W', 'b']);
      // Stored (method 0), as numpy.savez writes; each entry's CRC-32 checks out (testzip returns None).
      expect(r.entries).toEqual([['W.npy', 0, [2026, 1, 2, 3, 4, 6]], ['b.npy', 0, [2026, 1, 2, 3, 4, 6]]]);
      expect(r.badCrc).toBeNull();
      expect(r.headers).toEqual({ 'W.npy': [[1, 0], [784, 10], false, '<f4'], 'b.npy': [[1, 0], [10], false, '<f4'] });
      expect(r.W).toEqual(['<f4', [784, 10], true]);
      expect(r.b).toEqual(['<f4', [10]]);
      // W[d, k] = params[d*10 + k]: row-major (784, 10), as core keeps it; b after W.
      expect(r.sha256).toBe(checksumParams(params));
      expect(r.w_0_1).toBe(params[1]);
      expect(r.w_1_0).toBe(params[10]);
      expect(r.b_9).toBe(params[7849]);
    }, 60_000);
  }
});
