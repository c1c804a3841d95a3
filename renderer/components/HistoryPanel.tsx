// The run history: every run that ran a batch (done, diverged, stopped, cut by a crash), newest first, with their settings and final test
// accuracy; unreadable entries are listed as such. Recorded by the training session,
// stored by main (files) or the web bridge (localStorage).

import { useEffect } from 'react';
import { useLab } from '../store';
import { deleteRun, openRunWeights } from '../store/actions';
import { useT } from '../i18n/use-t';
import { fixed2, formatLr } from './format';

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The time of day of a run's end. One formatter, created early: Chromium's first date formatting loads
 * its locale data, about 45 ms, which must not land at the end of a training run (a long task).
 */
function formatTime(iso: string, lang: string): string {
  // English: the system's own time format; Chinese: China's, so the time reads in the UI's language.
  const locale = lang === 'zh' ? 'zh-CN' : '';
  let format = timeFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale || undefined, { timeStyle: 'medium' });
    timeFormats.set(locale, format);
  }
  return format.format(new Date(iso));
}

/** The "Run history" region. */
export function HistoryPanel() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  useEffect(() => {
    formatTime(new Date(0).toISOString(), lang); // warm up (while the dataset loads, or when the language changes)
  }, [lang]);
  const entries = useLab((s) => s.history.entries);
  const problem = useLab((s) => s.history.problem);
  const training = useLab((s) => s.run.state === 'training');
  return (
    <section className="history" aria-label={t('history.title')}>
      <h2>{t('history.title')}</h2>
      {problem && <p className="reason">{problem}</p>}
      {entries.length === 0 ? <p className="hint">{t('history.empty')}</p> : (
        <ol>
          {entries.slice(0, 8).map((e) => e.ok ? (
            <li key={e.run.id}>
              {t('history.entry', {
                when: formatTime(e.run.endedAt ?? e.run.startedAt, lang),
                outcome: t(`history.outcome.${e.run.outcome}`),
                epochs: e.run.epochs.length,
                lr: formatLr(e.run.config.lr),
                batchSize: e.run.config.batchSize,
                testAcc: fixed2(e.run.epochs[e.run.epochs.length - 1]?.testAcc),
              })}
              {e.hasWeights && (
                // A run cut by a crash or a stop keeps its last weights: they can be opened again.
                <button type="button" className="link" disabled={training} aria-label={t('history.openWeightsLabel', { id: e.run.id, outcome: t(`history.outcome.${e.run.outcome}`) })}
                  onClick={() => void openRunWeights(e.run.id)}>{t('history.openWeights')}</button>
              )}
              <button type="button" className="link" aria-label={t('history.delete', { id: e.run.id })} onClick={() => void deleteRun(e.run.id)}>×</button>
            </li>
          ) : (
            <li key={e.id} className="reason">{t('history.unreadable', { id: e.id, error: e.error })}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
