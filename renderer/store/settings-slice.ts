// The settings slice: what the user asked for (lr, batch size, epochs, seed, softmax, pace) and the UI
// language. The trainer's answer lives in the run slice; the two differ only until it applies them.

import { DEFAULT_CONFIG, type TrainConfig } from '../../core/train';
import { DEFAULT_LANGUAGE, type Language } from '../i18n';

/** How fast training runs. */
export type Pace = 'fast' | 'watch';

/** Batches per second of the watchable pace. */
export const WATCH_BATCHES_PER_SECOND = 60;

/** Learning-rate slider range (log scale). */
export const LR_MIN = 0.001;
/** Upper end of the learning-rate slider. */
export const LR_MAX = 10;

/** The user's settings. */
export interface SettingsSlice extends TrainConfig {
  pace: Pace;
  /** The UI language (issue 6 adds a switch). */
  language: Language;
}

/** Defaults: d2l's recipe, as fast as possible, English. */
export const initialSettings: SettingsSlice = { ...DEFAULT_CONFIG, pace: 'fast', language: DEFAULT_LANGUAGE };

/** The pace as the trainer wants it: batches per second, or null for unlimited. */
export function paceToBatchesPerSecond(pace: Pace): number | null {
  return pace === 'watch' ? WATCH_BATCHES_PER_SECOND : null;
}

/** Slider position (log10 lr) for a learning rate, clamped to the slider's range. */
export function lrToSlider(lr: number): number {
  return Math.log10(Math.min(LR_MAX, Math.max(LR_MIN, lr)));
}

/** Learning rate for a slider position, rounded to 2 significant digits so values read cleanly (0.5, not 0.501). */
export function sliderToLr(pos: number): number {
  return Number((10 ** pos).toPrecision(2));
}
