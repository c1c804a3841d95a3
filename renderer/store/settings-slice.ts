// The settings slice: the window's own preferences (the UI language). The run's configuration and pace
// are the training session's: the run slice shows what it reports, and the controls ask it for changes.

import { DEFAULT_LANGUAGE, type Language } from '../i18n';

/** How fast training runs. */
export type Pace = 'fast' | 'watch';

/** Batches per second of the watchable pace. */
export const WATCH_BATCHES_PER_SECOND = 60;

/** Learning-rate slider range (log scale). */
export const LR_MIN = 0.001;
/** Upper end of the learning-rate slider. */
export const LR_MAX = 10;

/** The window's preferences. */
export interface SettingsSlice {
  /** The UI language. */
  language: Language;
}

/** Defaults: English. */
export const initialSettings: SettingsSlice = { language: DEFAULT_LANGUAGE };

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
