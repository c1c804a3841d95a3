// The "Language" switch (English / 简体中文): sets the store's language, remembers it in localStorage,
// and keeps <html lang> in step so screen readers pronounce the UI right. The saved choice is restored
// when this module loads, before the first render, so the window never flashes in the wrong language.

import { useEffect } from 'react';
import { DICTIONARIES, LANGUAGES, type Language } from '../i18n';
import { useT } from '../i18n/use-t';
import { useLab } from '../store';
import { setLanguage } from '../store/actions';
import { readRemembered, remember } from '../store/remembered';
import './predictions/predictions.css';

/** The localStorage key of the chosen language. */
export const LANGUAGE_STORAGE_KEY = 'softmax-lab.language';

/** BCP 47 tags for <html lang>. */
const HTML_LANG: Record<Language, string> = { en: 'en', zh: 'zh-CN' };

function isLanguage(v: unknown): v is Language {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(DICTIONARIES, v);
}

/** The saved language, or null when none was saved (or storage is unavailable). */
export function savedLanguage(): Language | null {
  return readRemembered(LANGUAGE_STORAGE_KEY, isLanguage);
}

/** Switches the UI language and remembers the choice. */
export function chooseLanguage(lang: Language): void {
  setLanguage(lang);
  remember(LANGUAGE_STORAGE_KEY, lang);
}

/** Applies the saved language to the store, if any. */
export function restoreLanguage(): void {
  const saved = savedLanguage();
  if (saved && saved !== useLab.getState().settings.language) setLanguage(saved);
}

restoreLanguage();

/** A select named "Language" (translated, like every accessible name). */
export function LanguageSwitch() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
  }, [lang]);
  return (
    <label className="language-switch">
      {t('language.label')}
      <select value={lang} onChange={(e) => isLanguage(e.currentTarget.value) && chooseLanguage(e.currentTarget.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={HTML_LANG[l.code]}>{l.name}</option>
        ))}
      </select>
    </label>
  );
}
