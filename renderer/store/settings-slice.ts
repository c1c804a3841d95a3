// The settings slice: the window's own preferences (the UI language, the colour palette). The run's
// configuration and pace are the training session's: the run slice shows what it reports, and the
// controls ask it for changes (the sliders' scales are in components/scales.ts).

import { DEFAULT_PALETTE, type PaletteId } from '../components/palettes';
import { DEFAULT_LANGUAGE, type Language } from '../i18n';

/** The window's preferences. */
export interface SettingsSlice {
  /** The UI language. */
  language: Language;
  /** The colours of the curves and heatmaps (components/palettes.ts). */
  palette: PaletteId;
}

/** Defaults: English, the standard palette. */
export const initialSettings: SettingsSlice = { language: DEFAULT_LANGUAGE, palette: DEFAULT_PALETTE };
