// Module-level actions of the predictions slice: refreshing the test set's predictions (at epoch ends,
// after a reset or an opened model, and on demand), the gallery's filters and selection, and classifying
// the user's own image, re-predicted as the weights change. Everything goes through window.api.request.

import { NUM_CLASSES, NUM_INPUTS } from '../../core/shapes';
import { useLab } from '../store';
import { GALLERY_PAGE, initialOwnImage, withFilter, withTestPredictions, type PredictionsSlice } from '../store/predictions-slice';
import { prepareImage } from './decode';
import type { GalleryFilter } from './evidence';
import { checkFiles, type InputError } from './input-checks';

/** Shortest time between two re-predictions of the user's image while the weights change. */
export const OWN_IMAGE_REPREDICT_MS = 250;

const set = useLab.setState;
const get = useLab.getState;

function patch(fn: (p: PredictionsSlice) => PredictionsSlice): void {
  set((s) => ({ predictions: fn(s.predictions) }));
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

let refreshing: Promise<void> | null = null;
let refreshAgain = false;

/**
 * Asks the trainer for its predictions on all 10k test images. A call during a refresh queues exactly
 * one more, so the gallery always ends on the newest weights.
 */
export function refreshTestPredictions(): Promise<void> {
  if (refreshing) {
    refreshAgain = true;
    return refreshing;
  }
  patch((p) => ({ ...p, loading: true }));
  refreshing = (async () => {
    try {
      const { predicted, labels, accuracy } = await window.api.request({ kind: 'testPredictions' });
      patch((p) => withTestPredictions(p, predicted, labels, accuracy));
      const selected = get().predictions.selected;
      if (selected) void selectTestImage(selected.index);
    } catch (err) {
      patch((p) => ({ ...p, loading: false, problem: messageOf(err) }));
    } finally {
      refreshing = null;
      if (refreshAgain) {
        refreshAgain = false;
        void refreshTestPredictions();
      }
    }
  })();
  return refreshing;
}

let shown = true;
let stale = false;

/**
 * Refreshes the test-set predictions now when the gallery and matrix are on screen, else marks them
 * stale and refreshes when they scroll into view: re-rendering 10x10 cells and a page of images nobody
 * sees, at every epoch end, is main-thread work taken from the curves and the controls.
 */
function refreshWhenShown(): void {
  if (shown) void refreshTestPredictions();
  else {
    stale = true;
    patch((p) => (p.stale ? p : { ...p, stale: true }));
  }
}

/** Tells the actions whether the gallery and confusion matrix are visible (IntersectionObserver). */
export function setPredictionsShown(visible: boolean): void {
  shown = visible;
  if (visible && stale) {
    stale = false;
    void refreshTestPredictions();
  }
}

/** Changes the gallery's filter (mistakes only, true class, or one confusion-matrix cell). */
export function setGalleryFilter(change: Partial<GalleryFilter>): void {
  patch((p) => withFilter(p, change));
}

/**
 * Shows exactly the images of one confusion-matrix cell (true class t predicted as p); the other filters
 * show the same (that true class; mistakes only when the cell is off the diagonal), so none contradicts it.
 */
export function showConfusionCell(trueClass: number, predicted: number): void {
  patch((p) => withFilter(p, { cell: { trueClass, predicted }, trueClass, mistakesOnly: trueClass !== predicted }));
}

/** Leaves a confusion-matrix cell: every filter cleared, all images shown. */
export function clearGalleryFilters(): void {
  patch((p) => withFilter(p, { cell: null, trueClass: null, mistakesOnly: false }));
}

/** Shows another page of the filtered images. */
export function showMoreImages(): void {
  patch((p) => ({ ...p, limit: p.limit + GALLERY_PAGE }));
}

// Test images never change while the page lives: fetch each once.
const pixelCache = new Map<number, Uint8Array>(); // index -> (784) pixels 0..255

/** The pixels (784, 0..255) of the given test images, from the cache or the trainer. */
export async function testImagePixels(indices: readonly number[]): Promise<Map<number, Uint8Array>> {
  const missing = indices.filter((i) => !pixelCache.has(i));
  if (missing.length > 0) {
    const { pixels } = await window.api.request({ kind: 'testExamples', indices: missing });
    missing.forEach((idx, r) => pixelCache.set(idx, pixels.slice(r * NUM_INPUTS, (r + 1) * NUM_INPUTS)));
  }
  const out = new Map<number, Uint8Array>();
  for (const i of indices) {
    const px = pixelCache.get(i);
    if (px) out.set(i, px);
  }
  return out;
}

/** Selects a gallery image (or none) and fetches its ten class probabilities. */
export async function selectTestImage(index: number | null): Promise<void> {
  if (index === null) {
    patch((p) => ({ ...p, selected: null }));
    return;
  }
  const keep = get().predictions.selected;
  patch((p) => ({ ...p, selected: { index, probs: keep?.index === index ? keep.probs : null } }));
  try {
    const px = (await testImagePixels([index])).get(index);
    if (!px) return;
    const x = new Float32Array(NUM_INPUTS);
    for (let i = 0; i < NUM_INPUTS; i++) x[i] = px[i] / 255;
    const { probs } = await window.api.request({ kind: 'predict', x, n: 1 });
    patch((p) => (p.selected?.index === index ? { ...p, selected: { index, probs } } : p));
  } catch (err) {
    patch((p) => ({ ...p, problem: messageOf(err) }));
  }
}

let classifyToken = 0;

/** Refuses a file: its message is shown, and an earlier image's result stays. */
function refuse(name: string, error: InputError | null, failure: string | null = null): void {
  patch((p) => ({
    ...p,
    own: p.own.input
      ? { ...p.own, status: 'ready', error, refusedName: name, refusedFailure: failure }
      : { ...initialOwnImage, status: 'error', name, error, refusedName: name, refusedFailure: failure },
  }));
}

/**
 * Classifies the user's file(s): checks (one image file, not SVG, not empty, ≤ 20 MB), decodes with
 * the browser (≤ 8000 px) and preprocesses in a worker, then predicts. Every refusal ends as a message
 * in the slice.
 */
export async function classifyFiles(files: readonly File[], fallbackName = 'image'): Promise<void> {
  const token = ++classifyToken;
  const refused = checkFiles(files.map((f) => ({ name: f.name || fallbackName, type: f.type, size: f.size })));
  const name = files.length === 1 ? files[0].name || fallbackName : '';
  if (refused) return refuse(name, refused);
  patch((p) => ({ ...p, own: { ...p.own, status: 'working', reading: name } }));
  try {
    const prepared = await prepareImage(files[0], name);
    if (token !== classifyToken) return;
    if (!prepared.ok) return refuse(name, prepared.error);
    const r = prepared.result;
    patch((p) => ({
      ...p,
      own: { ...initialOwnImage, status: 'ready', name, steps: r.steps, inverted: r.inverted, blank: r.box === null, input: r.input, original: { width: prepared.width, height: prepared.height } },
    }));
    await predictOwnImage();
  } catch (err) {
    if (token !== classifyToken) return;
    refuse(name, null, messageOf(err));
  }
}

let predicting = false;
let predictAgain = false;

/** (Re-)predicts the user's image with the trainer's current weights. */
export async function predictOwnImage(): Promise<void> {
  const input = get().predictions.own.input;
  if (!input) return;
  if (predicting) {
    predictAgain = true;
    return;
  }
  predicting = true;
  try {
    const { probs } = await window.api.request({ kind: 'predict', x: input.slice(), n: 1 });
    patch((p) => (p.own.input === input ? { ...p, own: { ...p.own, probs, failure: null } } : p));
  } catch (err) {
    patch((p) => (p.own.input === input ? { ...p, own: { ...p.own, failure: messageOf(err) } } : p));
  } finally {
    predicting = false;
    if (predictAgain) {
      predictAgain = false;
      void predictOwnImage();
    }
  }
}

/** Chooses the class whose evidence map is shown (null: the top class). */
export function setEvidenceClass(k: number | null): void {
  if (k !== null && (!Number.isInteger(k) || k < 0 || k >= NUM_CLASSES)) return;
  patch((p) => ({ ...p, own: { ...p.own, evidenceClass: k } }));
}

/** Forgets the user's image. */
export function clearOwnImage(): void {
  classifyToken++;
  patch((p) => ({ ...p, own: initialOwnImage }));
}

/**
 * Keeps the predictions in step with the weights: the test set at every epoch end and whenever the run
 * starts over (reset, opened model, reloaded dataset); the user's image at most every
 * OWN_IMAGE_REPREDICT_MS while weights stream in. Returns the unsubscribe function.
 */
export function followWeights(): () => void {
  const offs: (() => void)[] = [];
  offs.push(useLab.subscribe((s) => s.metrics.epochs.length, (n, before) => {
    if (n > before) refreshWhenShown();
  }));
  offs.push(useLab.subscribe((s) => s.run.state, (state, before) => {
    if (state === 'idle' && before !== 'idle') refreshWhenShown();
  }));
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = -Infinity;
  offs.push(useLab.subscribe((s) => s.weights.version, () => {
    if (timer !== null || get().predictions.own.status !== 'ready') return;
    timer = setTimeout(() => {
      timer = null;
      last = performance.now();
      void predictOwnImage();
    }, Math.max(0, OWN_IMAGE_REPREDICT_MS - (performance.now() - last)));
  }));
  if (get().run.state !== 'loading') void refreshTestPredictions();
  return () => {
    for (const off of offs) off();
    if (timer !== null) clearTimeout(timer);
  };
}
