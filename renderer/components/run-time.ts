// How the window writes about a stored run: when it happened (the time of day in the UI's language, one
// formatter per language, made early), how long it took, how it ended, and its short name.

import type { RunRecord } from '../../common/contract';
import type { Translate } from '../i18n';
import { formatLr } from './format';

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The time of day of an ISO 8601 instant. One formatter per language, created early: Chromium's first
 * date formatting loads its locale data, about 45 ms, which must not land at the end of a training run
 * (a long task). English: the system's own time format; Chinese: China's.
 */
export function formatTime(iso: string, lang: string): string {
  const locale = lang === 'zh' ? 'zh-CN' : '';
  let format = timeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale || undefined, { timeStyle: 'medium' });
    timeFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}

/** Seconds between two ISO 8601 instants (null when either is missing or unreadable). */
export function secondsBetween(from: string, to: string | null): number | null {
  if (to === null) return null;
  const s = (Date.parse(to) - Date.parse(from)) / 1000;
  return Number.isFinite(s) && s >= 0 ? s : null;
}

/** A duration in words: 4.2 s, 3 min 05 s. */
export function formatDuration(t: Translate, seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return t('compare.seconds', { s: seconds.toFixed(1) });
  const m = Math.floor(seconds / 60);
  return t('compare.minutes', { m, s: String(Math.round(seconds - m * 60)).padStart(2, '0') });
}

/** How a run ended, in words, with its note. */
export function endedText(t: Translate, r: RunRecord): string {
  const outcome = t(`history.outcome.${r.outcome}`);
  return r.note ? `${outcome}: ${r.note}` : outcome;
}

/** The name of a run in the window: the time it started, its learning rate and batch size. */
export function runName(t: Translate, lang: string, r: RunRecord): string {
  return t('compare.runName', { when: formatTime(r.startedAt, lang), lr: formatLr(r.config.lr), batchSize: r.config.batchSize });
}
