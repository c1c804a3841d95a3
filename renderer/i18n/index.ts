// The tiny i18n module: dictionaries by language code, t(key, params) for the current language (a
// field of the settings slice) and useT() for components. Adding a language = adding a dictionary
// file and one line in DICTIONARIES; the language switch reads LANGUAGES.

import { en, type Dictionary, type MessageKey } from './en';
import { zh } from './zh';

export type { Dictionary, MessageKey };

/** Every language the UI speaks, by code. */
export const DICTIONARIES = { en, zh } satisfies Record<string, Dictionary>;

/** A language code. */
export type Language = keyof typeof DICTIONARIES;

/** The languages, with their names in their own language, for a language switch. */
export const LANGUAGES: readonly { code: Language; name: string }[] = [{ code: 'en', name: 'English' }, { code: 'zh', name: '简体中文' }];

/** The language used before the user picks one. */
export const DEFAULT_LANGUAGE: Language = 'en';

/** Values to fill {placeholders} with. */
export type MessageParams = Record<string, string | number>;

/** A translate function bound to one language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/**
 * Translates `key` in `lang`, filling {placeholders} from `params`, else from `ambient`; falls back to
 * English, then to the key.
 */
export function translate(lang: Language, key: MessageKey, params?: MessageParams, ambient?: MessageParams): string {
  const dict: Partial<Dictionary> = DICTIONARIES[lang] ?? en;
  const text = dict[key] ?? en[key] ?? key;
  if ((!params && !ambient) || !text.includes('{')) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (params && name in params) return String(params[name]);
    return ambient && name in ambient ? String(ambient[name]) : whole;
  });
}

/**
 * A translate function for one language. `ambient` fills placeholders that no call passes itself (the
 * palette's colour names, {posColour} and {negColour}, in the texts that say which colour is which sign).
 */
export function translator(lang: Language, ambient?: MessageParams): Translate {
  return (key, params) => translate(lang, key, params, ambient);
}

/** The name of class `k` (0..9) in `lang`. */
export function className(lang: Language, k: number): string {
  return translate(lang, `class.${k}` as MessageKey);
}
