// The IDX parser on tiny fixture files and on a corpus of bad ones: each bad file is a typed IdxError
// with the right code and a message that names the file.

import { describe, expect, it } from 'vitest';
import { datasetFromIdx } from '../../core/dataset';
import { encodeIdxImages, encodeIdxLabels, IdxError, parseIdxImages, parseIdxLabels } from '../../core/idx';
import { NUM_INPUTS } from '../../core/shapes';
import { badIdxCorpus, separableSplit, splitToIdx } from '../fixtures/fashion-fixture';

describe('IDX parsing', () => {
  it('reads tiny fixture files back exactly', () => {
    const ds = separableSplit(5);
    const [img, lab] = splitToIdx(ds);
    expect(img.length).toBe(16 + 5 * NUM_INPUTS);
    expect(Array.from(img.subarray(0, 4))).toEqual([0, 0, 8, 3]);
    const images = parseIdxImages(img, 'fixture-images');
    expect(images).toMatchObject({ count: 5, rows: 28, cols: 28 });
    expect(images.pixels).toEqual(ds.images);
    const labels = parseIdxLabels(lab, 'fixture-labels');
    expect(labels.count).toBe(5);
    expect(labels.labels).toEqual(ds.labels);
    const split = datasetFromIdx(img, lab);
    expect(split.count).toBe(5);
  });

  it('refuses an images file that declares 0 images, saying so (training on it would report a NaN loss)', () => {
    const empty = encodeIdxImages(new Uint8Array(0), 0);
    expect(() => parseIdxImages(empty, 'zero-images.idx3')).toThrow(IdxError);
    try {
      parseIdxImages(empty, 'zero-images.idx3');
    } catch (e) {
      expect((e as IdxError).code).toBe('no-images');
      expect((e as IdxError).message).toBe('zero-images.idx3: declares 0 images; a dataset needs at least one');
    }
    expect(() => datasetFromIdx(empty, encodeIdxLabels(new Uint8Array(0)))).toThrow(/declares 0 images/);
    // A labels file alone may be empty; with its images file it is refused above.
    expect(parseIdxLabels(encodeIdxLabels(new Uint8Array(0))).count).toBe(0);
  });

  for (const [file, { bytes, code, kind }] of Object.entries(badIdxCorpus())) {
    it(`refuses ${file} with IdxError '${code}'`, () => {
      const parse = kind === 'images' ? parseIdxImages : parseIdxLabels;
      let err: unknown;
      try {
        parse(bytes, file);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(IdxError);
      const e = err as IdxError;
      expect(e.code).toBe(code);
      expect(e.file).toBe(file);
      expect(e.message.startsWith(`${file}: `)).toBe(true);
      expect(e.message.length).toBeGreaterThan(file.length + 10);
    });
  }

  it('refuses images and labels whose counts differ', () => {
    const [img] = splitToIdx(separableSplit(4));
    const [, lab] = splitToIdx(separableSplit(3));
    try {
      datasetFromIdx(img, lab, 'a-images', 'b-labels');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IdxError);
      expect((e as IdxError).code).toBe('count-mismatch');
      expect((e as IdxError).message).toMatch(/a-images \+ b-labels: 4 images but 3 labels/);
    }
  });
});
