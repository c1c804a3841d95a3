// Preprocessing of a user's picture into the 28x28 model input: inversion, cropping, aspect ratio,
// centring, tiny and huge pictures; and the pure input checks (file type, size, count, dimensions).

import { describe, expect, it } from 'vitest';
import {
  boundingBox, centreOfMass, fitSize, preprocessImage, resizeArea, shrinkStepsForDisplay, toGrey, type GreyImage, type RgbaImage,
} from '../../../renderer/predictions/preprocess';
import { boundedSize, checkDimensions, checkFile, checkFiles, MAX_FILE_BYTES, MAX_IMAGE_SIDE } from '../../../renderer/predictions/input-checks';

/** A w x h picture filled with `bg`, with the rectangle [x0, x1) x [y0, y1) filled with `fg` (grey levels 0..255). */
function picture(w: number, h: number, bg: number, rects: { x0: number; y0: number; x1: number; y1: number; fg: number }[] = []): RgbaImage {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let v = bg;
      for (const r of rects) if (x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1) v = r.fg;
      const p = (y * w + x) * 4;
      data[p] = data[p + 1] = data[p + 2] = v;
      data[p + 3] = 255;
    }
  }
  return { width: w, height: h, data };
}

/** The box of the lit pixels of a 28x28 input. */
function litBox(input: Float32Array): { x0: number; y0: number; x1: number; y1: number } {
  const box = boundingBox({ width: 28, height: 28, data: input }, 0.05);
  if (!box) throw new Error('input is black');
  return box;
}

describe('toGrey', () => {
  it('uses BT.601 luma and composites transparency over white', () => {
    const data = new Uint8ClampedArray([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 0, 0]);
    const g = toGrey({ width: 3, height: 1, data });
    expect(g.data[0]).toBeCloseTo(0.299, 5);
    expect(g.data[1]).toBeCloseTo(0.587, 5);
    expect(g.data[2]).toBeCloseTo(1, 5); // fully transparent = the white page behind it
  });
});

describe('preprocessImage', () => {
  it('inverts a dark object on a light background into a light object on black', () => {
    const r = preprocessImage(picture(100, 100, 255, [{ x0: 30, y0: 20, x1: 70, y1: 80, fg: 0 }]));
    expect(r.inverted).toBe(true);
    expect(r.steps.map((s) => s.id)).toEqual(['grey', 'inverted', 'cropped', 'scaled', 'centred']);
    expect(r.input[0]).toBe(0); // the corner is background: black
    expect(r.input[14 * 28 + 14]).toBeCloseTo(1, 5); // the object is bright
  });

  it('leaves a light object on a dark background as it is', () => {
    const r = preprocessImage(picture(60, 60, 0, [{ x0: 10, y0: 20, x1: 50, y1: 40, fg: 200 }])); // 40x20: rows above and below stay black
    expect(r.inverted).toBe(false);
    expect(r.input[14 * 28 + 14]).toBeCloseTo(1, 5); // stretched so the brightest pixel is 1
    expect(r.input[0]).toBe(0);
  });

  it('by default fills the 28x28 frame as Fashion-MNIST does: longest side 28, box centred', () => {
    const r = preprocessImage(picture(200, 150, 255, [{ x0: 150, y0: 5, x1: 190, y1: 25, fg: 0 }]));
    expect(litBox(r.input)).toEqual({ x0: 0, y0: 7, x1: 28, y1: 21 }); // 40x20 -> 28x14, centred
  });

  it('centres an off-centre object, by bounding box and by centre of mass (MNIST: 20 px)', () => {
    const img = picture(200, 150, 255, [{ x0: 5, y0: 100, x1: 45, y1: 140, fg: 30 }]); // bottom-left corner
    for (const centre of ['box', 'mass'] as const) {
      const r = preprocessImage(img, { centre, fitSide: 20 });
      expect(r.box).toEqual({ x0: 5, y0: 100, x1: 45, y1: 140 });
      expect(litBox(r.input)).toEqual({ x0: 4, y0: 4, x1: 24, y1: 24 }); // 20x20, 4 px margins
      const c = centreOfMass({ width: 28, height: 28, data: r.input });
      expect(c.x).toBeCloseTo(14, 0);
      expect(c.y).toBeCloseTo(14, 0);
    }
  });

  it('keeps the aspect ratio: a 60x30 object becomes 20x10', () => {
    const r = preprocessImage(picture(300, 300, 255, [{ x0: 100, y0: 200, x1: 160, y1: 230, fg: 0 }]), { fitSide: 20 });
    const scaled = r.steps[3].image;
    expect([scaled.width, scaled.height]).toEqual([20, 10]);
    expect(litBox(r.input)).toEqual({ x0: 4, y0: 9, x1: 24, y1: 19 });
  });

  it('keeps the aspect ratio of a tall object too: 30x40 becomes 21x28', () => {
    const r = preprocessImage(picture(90, 120, 255, [{ x0: 10, y0: 10, x1: 40, y1: 50, fg: 0 }]));
    expect(litBox(r.input)).toEqual({ x0: 4, y0: 0, x1: 25, y1: 28 }); // 30x40 -> 21x28
  });

  it('handles tiny pictures: 1x1 and 3x40', () => {
    const one = preprocessImage(picture(1, 1, 128));
    expect(one.input).toHaveLength(784);
    expect(one.input.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);

    const thin = preprocessImage(picture(3, 40, 0, [{ x0: 1, y0: 0, x1: 2, y1: 40, fg: 255 }]), { fitSide: 20 });
    const scaled = thin.steps[3].image;
    expect([scaled.width, scaled.height]).toEqual([1, 20]); // 1x40 -> 1x20 (never 0 px wide)
    expect(thin.input.every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
    const box = litBox(thin.input);
    expect(box.y1 - box.y0).toBe(20);
  });

  it('gives a black input for a flat picture, with no box', () => {
    const r = preprocessImage(picture(50, 40, 255));
    expect(r.box).toBeNull();
    expect(r.input.every((v) => v === 0)).toBe(true);
  });

  it('handles a picture at the decode bound (512x512) quickly', () => {
    const img = picture(512, 384, 240, [{ x0: 400, y0: 10, x1: 500, y1: 300, fg: 20 }]);
    const t0 = performance.now();
    const r = preprocessImage(img);
    const ms = performance.now() - t0;
    expect(r.inverted).toBe(true);
    expect(ms).toBeLessThan(200); // well under a frame budget in a browser; generous for CI
  });

  it('refuses pixel buffers that do not match their size', () => {
    expect(() => preprocessImage({ width: 2, height: 2, data: new Uint8ClampedArray(4) })).toThrow(/2x2x4/);
  });
});

describe('resizeArea', () => {
  it('keeps the mean when downscaling (area averaging) and averages blocks exactly', () => {
    const src: GreyImage = { width: 4, height: 2, data: new Float32Array([0, 1, 1, 1, 0, 0, 1, 0]) };
    const out = resizeArea(src, 2, 1);
    expect(Array.from(out.data)).toEqual([0.25, 0.75]);
  });
  it('keeps the mean for non-integer scales', () => {
    const data = new Float32Array(7 * 5).map((_, i) => (i * 37) % 11 / 10);
    const out = resizeArea({ width: 7, height: 5, data }, 3, 2);
    const mean = (a: Float32Array): number => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(out.data)).toBeCloseTo(mean(data), 5);
  });
  it('upscales by repeating pixels', () => {
    const out = resizeArea({ width: 1, height: 1, data: new Float32Array([0.5]) }, 3, 2);
    expect(Array.from(out.data)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  });
});

describe('fitSize and boundedSize', () => {
  it('fits the longest side and keeps at least 1 px', () => {
    expect(fitSize(40, 3, 20)).toEqual({ width: 20, height: 2 });
    expect(fitSize(1000, 1, 20)).toEqual({ width: 20, height: 1 });
    expect(fitSize(1, 1, 20)).toEqual({ width: 20, height: 20 });
  });
  it('bounds big pictures before preprocessing, keeping the aspect ratio', () => {
    expect(boundedSize(8000, 4000, 512)).toEqual({ width: 512, height: 256 });
    expect(boundedSize(300, 200, 512)).toEqual({ width: 300, height: 200 });
  });
});

describe('input checks', () => {
  const png = { name: 'shoe.png', type: 'image/png', size: 1234 };
  it('accepts one ordinary image, also without a type when the extension says image', () => {
    expect(checkFiles([png])).toBeNull();
    expect(checkFile({ name: 'photo.JPG', type: '', size: 10 })).toBeNull();
  });
  it('refuses no file and several files', () => {
    expect(checkFiles([])?.code).toBe('no-file');
    expect(checkFiles([png, png, png])).toEqual({ code: 'several-files', count: 3 });
  });
  it('refuses SVG by type or by extension', () => {
    expect(checkFile({ name: 'a.svg', type: 'image/svg+xml', size: 100 })?.code).toBe('svg');
    expect(checkFile({ name: 'a.svg', type: '', size: 100 })?.code).toBe('svg');
  });
  it('refuses non-images', () => {
    expect(checkFile({ name: 'notes.txt', type: 'text/plain', size: 100 })?.code).toBe('not-image');
    expect(checkFile({ name: 'data', type: '', size: 100 })?.code).toBe('not-image');
    expect(checkFile({ name: 'a.pdf', type: 'application/pdf', size: 100 })?.code).toBe('not-image');
  });
  it('refuses empty files and files over 20 MB', () => {
    expect(checkFile({ ...png, size: 0 })?.code).toBe('empty-file');
    expect(checkFile({ ...png, size: MAX_FILE_BYTES })).toBeNull();
    expect(checkFile({ ...png, size: MAX_FILE_BYTES + 1 })).toEqual({ code: 'file-too-large', name: 'shoe.png', bytes: MAX_FILE_BYTES + 1 });
  });
  it('refuses images over 8000 px on a side', () => {
    expect(checkDimensions(MAX_IMAGE_SIDE, MAX_IMAGE_SIDE)).toBeNull();
    expect(checkDimensions(MAX_IMAGE_SIDE + 1, 10)?.code).toBe('image-too-large');
    expect(checkDimensions(10, MAX_IMAGE_SIDE + 1)?.code).toBe('image-too-large');
  });
});

describe('shrinkStepsForDisplay', () => {
  it('reduces big step images for display and keeps their real size', () => {
    const r = preprocessImage(picture(400, 200, 255, [{ x0: 10, y0: 10, x1: 60, y1: 30, fg: 0 }]));
    const shown = shrinkStepsForDisplay(r.steps, 168);
    expect(shown[0].image.width).toBe(168);
    expect(shown[0].image.height).toBe(84);
    expect(shown[0].size).toEqual({ width: 400, height: 200 });
    expect(shown[4]).toBe(r.steps[4]); // 28x28: unchanged
  });
});
