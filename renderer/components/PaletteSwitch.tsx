// The "Colours" switch: the palette of the curves and the heatmaps (components/palettes.ts: the standard
// one, or a colour-blind safe one), remembered in localStorage like the language. The saved choice is
// restored when this module loads, before the first render and the first heatmap is painted.

import { useLab } from '../store';
import { readRemembered, remember } from '../store/remembered';
import { useT } from '../i18n/use-t';
import { repaintHeatmaps } from './heatmap';
import { isPaletteId, PALETTE_IDS, PALETTES, type CurveColours, type PaletteId } from './palettes';

/** The localStorage key of the chosen palette. */
export const PALETTE_STORAGE_KEY = 'softmax-lab.palette';

/** The saved palette, or null when none was saved (or storage is unavailable). */
export function savedPalette(): PaletteId | null {
  return readRemembered(PALETTE_STORAGE_KEY, isPaletteId);
}

/** Uses `palette` for the curves and every heatmap (those already painted are painted again). */
export function setPalette(palette: PaletteId): void {
  if (useLab.getState().settings.palette === palette) return;
  useLab.setState((s) => ({ settings: { ...s.settings, palette } }));
  repaintHeatmaps();
}

/** Switches the palette and remembers the choice. */
export function choosePalette(palette: PaletteId): void {
  setPalette(palette);
  remember(PALETTE_STORAGE_KEY, palette);
}

/** Applies the saved palette to the store, if any. */
export function restorePalette(): void {
  const saved = savedPalette();
  if (saved) setPalette(saved);
}

restorePalette();

/** The curves' colours in the palette in use (the live curves, a recorded run's, a sweep's chart). */
export function useCurveColours(): CurveColours {
  return useLab((s) => PALETTES[s.settings.palette].curves);
}

/** A select named "Colours" (translated, like every accessible name). */
export function PaletteSwitch() {
  const t = useT();
  const palette = useLab((s) => s.settings.palette);
  return (
    <label className="palette-switch">
      {t('palette.label')}
      <select value={palette} onChange={(e) => isPaletteId(e.currentTarget.value) && choosePalette(e.currentTarget.value)}>
        {PALETTE_IDS.map((id) => <option key={id} value={id}>{t(PALETTES[id].label)}</option>)}
      </select>
    </label>
  );
}
