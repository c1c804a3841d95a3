// The window's remembered choices (the language, the palette): a string in localStorage, read back only
// when it is still a valid choice. Storage may be unavailable or disabled (private mode): a choice then
// lasts the session only, and nothing fails.

/** The saved choice under `key`, or null when none was saved, it is no longer valid, or storage is unavailable. */
export function readRemembered<T extends string>(key: string, valid: (v: unknown) => v is T): T | null {
  try {
    const v = globalThis.localStorage?.getItem(key);
    return valid(v) ? v : null;
  } catch {
    return null;
  }
}

/** Saves `value` under `key` where storage allows. */
export function remember(key: string, value: string): void {
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // Storage may be disabled (private mode): the choice still holds for this session.
  }
}
