// useT(): the translate function for the store's current language, for components.

import { useMemo } from 'react';
import { useLab } from '../store';
import { translator, type Translate } from './index';

/** The translate function of the current UI language (re-renders when the language changes). */
export function useT(): Translate {
  const lang = useLab((s) => s.settings.language);
  return useMemo(() => translator(lang), [lang]);
}
