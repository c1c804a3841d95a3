// The predictions slice (issue 6): the test set's predictions behind the gallery and the confusion
// matrix, the gallery's filter and selection, and the user's own image with its preprocessing steps
// and probabilities. State and pure reducers only; the actions are in renderer/predictions/actions.ts.

import { NO_FILTER, type GalleryFilter } from '../predictions/evidence';
import type { InputError } from '../predictions/input-checks';
import type { PreprocessStep } from '../predictions/preprocess';

/** Gallery images shown at first, and added by "Show more". */
export const GALLERY_PAGE = 36;

/** The current model's predictions for the whole test set. */
export interface TestPredictions {
  /** Predicted class per test image (N). */
  predicted: Uint8Array;
  /** True class per test image (N). */
  labels: Uint8Array;
  accuracy: number;
  /** Bumped at every refresh, so views that depend on the weights know to redo their work. */
  version: number;
}

/** The user's own image. */
export interface OwnImage {
  status: 'empty' | 'working' | 'ready' | 'error';
  /** The file's name (or "pasted image"). */
  name: string;
  /**
   * Why the last file was refused. When an earlier image had a result, that result stays (status
   * 'ready') and this says why the newer file was not used; otherwise status is 'error'.
   */
  error: InputError | null;
  /** The refused file's name (the kept result keeps its own `name`). */
  refusedName: string;
  /** The last file failed for another reason (decoding crashed), in words. */
  refusedFailure: string | null;
  /** A failure to predict (e.g. the trainer is not ready), in words. */
  failure: string | null;
  /** The file being read while status is 'working' (the result shown meanwhile is the earlier one). */
  reading: string;
  /** The picture's own size before any downscaling (null when unknown). */
  original: { width: number; height: number } | null;
  /** The preprocessing steps' images, for display. */
  steps: PreprocessStep[] | null;
  /** True when the picture was inverted (light background). */
  inverted: boolean;
  /** True when nothing stood out from the background. */
  blank: boolean;
  /** The model input (784) in [0, 1]. */
  input: Float32Array | null;
  /** Class probabilities (10) with the current weights; null until the first answer. */
  probs: Float32Array | null;
  /** The class whose evidence map is shown (null: the top class). */
  evidenceClass: number | null;
}

/** The slice. */
export interface PredictionsSlice {
  test: TestPredictions | null;
  /** A refresh of the test predictions is under way. */
  loading: boolean;
  /** The last refresh failed: why. */
  problem: string | null;
  /** The weights changed while the panels were off screen: they refresh when shown. */
  stale: boolean;
  filter: GalleryFilter;
  /** How many of the filtered images the gallery shows. */
  limit: number;
  /** The clicked gallery image (test index) and its probabilities. */
  selected: { index: number; probs: Float32Array | null } | null;
  own: OwnImage;
}

/** No image yet. */
export const initialOwnImage: OwnImage = {
  status: 'empty', name: '', error: null, refusedName: '', refusedFailure: null, failure: null, reading: '', original: null, steps: null, inverted: false, blank: false, input: null, probs: null, evidenceClass: null,
};

/** Before the first refresh. */
export const initialPredictions: PredictionsSlice = {
  test: null,
  loading: false,
  problem: null,
  stale: false,
  filter: NO_FILTER,
  limit: GALLERY_PAGE,
  selected: null,
  own: initialOwnImage,
};

/** Changes the gallery filter: the page starts over and the selection goes. */
export function withFilter(s: PredictionsSlice, patch: Partial<GalleryFilter>): PredictionsSlice {
  return { ...s, filter: { ...s.filter, ...patch }, limit: GALLERY_PAGE, selected: null };
}

/** Stores a refresh's answer, keeping the filter. */
export function withTestPredictions(s: PredictionsSlice, predicted: Uint8Array, labels: Uint8Array, accuracy: number): PredictionsSlice {
  return { ...s, test: { predicted, labels, accuracy, version: (s.test?.version ?? 0) + 1 }, loading: false, problem: null, stale: false };
}
