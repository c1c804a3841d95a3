// useT(): the translate function for the store's current language, for components; the palette's colour
// names fill {posColour} and {negColour}, so a text that names a heatmap colour names the one on screen.

import { useMemo } from 'react';
import { PALETTES } from '../components/palettes';
import { useLab } from '../store';
import { translate, translator, type Translate } from './index';

/** The translate function of the current UI language and palette (re-renders when either changes). */
export function useT(): Translate {
  const lang = useLab((s) => s.settings.language);
  const palette = useLab((s) => s.settings.palette);
  return useMemo(() => {
    const { words } = PALETTES[palette];
    return translator(lang, { posColour: translate(lang, words.positive), negColour: translate(lang, words.negative) });
  }, [lang, palette]);
}
