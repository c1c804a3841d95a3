// An in-memory split of Fashion-MNIST held as bytes (60000x784 uint8 is 47 MB; a float64 copy would be
// 376 MB), plus minibatch iteration as d2l's `load_data_fashion_mnist` does it: a fresh shuffle each
// epoch for training, fixed order for testing, the last partial batch kept, pixels scaled to [0, 1].

import { IdxError, parseIdxImages, parseIdxLabels } from './idx';
import { NUM_INPUTS } from './shapes';
import { shuffleInPlace, type Rng } from './rng';

/** One split: `images` (count, 784) uint8 row-major, `labels` (count) 0..9. */
export interface Dataset {
  count: number;
  images: Uint8Array; // (count, D)
  labels: Uint8Array; // (count)
}

/** Train and test splits. */
export interface FashionMnist {
  train: Dataset;
  test: Dataset;
}

/** Builds a split from the bytes of an images file and a labels file, checking they agree. */
export function datasetFromIdx(imagesBytes: Uint8Array, labelsBytes: Uint8Array, imagesFile = 'images', labelsFile = 'labels'): Dataset {
  const images = parseIdxImages(imagesBytes, imagesFile);
  const labels = parseIdxLabels(labelsBytes, labelsFile);
  if (images.count !== labels.count) {
    throw new IdxError('count-mismatch', `${imagesFile} + ${labelsFile}`, `${images.count} images but ${labels.count} labels`);
  }
  return { count: images.count, images: images.pixels, labels: labels.labels };
}

/** 1/255 as float32: pixel bytes become [0, 1] floats, as torchvision's ToTensor. */
export const PIXEL_SCALE = 1 / 255;

/** The identity order 0..n-1, to be shuffled in place each epoch. */
export function identityOrder(n: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order;
}

/** Reshuffles `order` for a new epoch (d2l's DataLoader with shuffle=True). */
export function shuffleOrder(rng: Rng, order: Uint32Array): void {
  shuffleInPlace(rng, order);
}

/** Number of minibatches in an epoch: the last partial batch is kept (60000/256 gives 235, the last of 96). */
export function batchCount(count: number, batchSize: number): number {
  return Math.ceil(count / batchSize);
}

/**
 * Copies examples order[start .. start+n) into `x` as floats in [0, 1] and their labels into `y`.
 * x: (n, D) row-major, y: (n).
 */
export function gatherBatch(ds: Dataset, order: Uint32Array | null, start: number, n: number, x: Float32Array, y: Uint8Array): void {
  // Locals, not imported bindings, in the inner loop (see kernels/reference.ts on import rewriting).
  const d = NUM_INPUTS;
  const scale = PIXEL_SCALE;
  const images = ds.images;
  for (let r = 0; r < n; r++) {
    const i = order ? order[start + r] : start + r;
    const src = i * d;
    const dst = r * d;
    for (let j = 0; j < d; j++) x[dst + j] = images[src + j] * scale;
    y[r] = ds.labels[i];
  }
}

/** One minibatch as yielded by {@link minibatches}: views valid until the next iteration. */
export interface Minibatch {
  n: number;
  x: Float32Array; // (n, D)
  y: Uint8Array; // (n)
}

/**
 * Iterates over minibatches like d2l's `data_iter`: shuffled with `rng` when given, in file order when
 * `rng` is null (the test iterator). Buffers are reused between batches.
 */
export function* minibatches(ds: Dataset, batchSize: number, rng: Rng | null): Generator<Minibatch> {
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
  const order = rng ? identityOrder(ds.count) : null;
  if (rng && order) shuffleOrder(rng, order);
  const x = new Float32Array(batchSize * NUM_INPUTS);
  const y = new Uint8Array(batchSize);
  for (let start = 0; start < ds.count; start += batchSize) {
    const n = Math.min(batchSize, ds.count - start);
    gatherBatch(ds, order, start, n, x, y);
    yield { n, x: x.subarray(0, n * NUM_INPUTS), y: y.subarray(0, n) };
  }
}
