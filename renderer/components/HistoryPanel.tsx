// The run history: every run that ran a batch (done, diverged, stopped, cut by a crash), newest first, with their settings and final test
// accuracy; unreadable entries are listed as such. Recorded by the training session,
// stored by main (files) or the web bridge (localStorage). Each run can be shown on the curves beside the
// current one (a checkbox; its colour and line style appear beside it, and the run in "Compare runs"),
// its curves downloaded as CSV, and its kept weights opened.

import { useEffect } from 'react';
import { useLab } from '../store';
import { deleteRun, openRunWeights } from '../store/actions';
import { MAX_COMPARED } from '../store/compare-slice';
import { sweepRunning } from '../store/sweep-slice';
import { showOnCurves } from '../experiments/compare-actions';
import { downloadRunCsv } from '../exports/actions';
import { useT } from '../i18n/use-t';
import { ComparedSample } from './ComparedLegend';
import { fixed2, formatChanged, formatLr, formatWeightDecay } from './format';
import { formatTime } from './run-time';

/** The "Run history" region. */
export function HistoryPanel() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  useEffect(() => {
    formatTime(new Date(0).toISOString(), lang); // warm up (while the dataset loads, or when the language changes)
  }, [lang]);
  const entries = useLab((s) => s.history.entries);
  const problem = useLab((s) => s.history.problem);
  const busy = useLab((s) => s.run.state === 'training' || sweepRunning(s.sweep));
  const shown = useLab((s) => s.compare.shown);
  const full = shown.length >= MAX_COMPARED;
  return (
    <section className="history" aria-label={t('history.title')}>
      <h2>{t('history.title')}</h2>
      {problem && <p className="reason">{problem}</p>}
      {entries.length === 0 ? <p className="hint">{t('history.empty')}</p> : (
        <ol>
          {entries.slice(0, 8).map((e) => {
            if (!e.ok) return <li key={e.id} className="reason">{t('history.unreadable', { id: e.id, error: e.error })}</li>;
            const when = formatTime(e.run.endedAt ?? e.run.startedAt, lang);
            const compared = shown.find((c) => c.id === e.run.id);
            return (
              <li key={e.run.id} data-run={e.run.id}>
                <label className="compare-check" title={!compared && full ? t('history.compareFull', { n: MAX_COMPARED }) : undefined}>
                  <input type="checkbox" checked={compared !== undefined} disabled={!compared && full}
                    aria-label={t('history.compareLabel', { when, id: e.run.id })} onChange={(ev) => showOnCurves(e.run.id, ev.target.checked)} />
                  {compared ? <ComparedSample slot={compared.slot} /> : null}
                </label>{' '}
                {t('history.entry', {
                  when,
                  outcome: t(`history.outcome.${e.run.outcome}`),
                  epochs: e.run.epochs.length,
                  // The lr as it started and ended; λ likewise, when the run had weight decay at all.
                  lr: formatChanged(e.run.config.lr, e.run.lrChanges, formatLr)
                    + (e.run.config.weightDecay > 0 || e.run.wdChanges.length > 0 ? ` · λ ${formatChanged(e.run.config.weightDecay, e.run.wdChanges, formatWeightDecay)}` : ''),
                  batchSize: e.run.config.batchSize,
                  testAcc: fixed2(e.run.epochs[e.run.epochs.length - 1]?.testAcc),
                })}
                {e.hasWeights && (
                  // A run cut by a crash or a stop keeps its last weights: they can be opened again.
                  <button type="button" className="link" disabled={busy} aria-label={t('history.openWeightsLabel', { id: e.run.id, outcome: t(`history.outcome.${e.run.outcome}`) })}
                    onClick={() => void openRunWeights(e.run.id)}>{t('history.openWeights')}</button>
                )}
                <button type="button" className="link" aria-label={t('history.csvLabel', { when, id: e.run.id })} onClick={() => void downloadRunCsv(e.run)}>{t('history.csv')}</button>
                <button type="button" className="link" aria-label={t('history.delete', { id: e.run.id })} onClick={() => void deleteRun(e.run.id)}>×</button>
              </li>
            );
          })}
        </ol>
      )}
      {entries.length > 0 && <p className="hint">{t('history.compareHint')}</p>}
    </section>
  );
}
