// The run history: finished and diverged runs, newest first, with their settings and final test
// accuracy; unreadable entries are listed as such. Stored by the bridge (files, or localStorage).

import { useLab } from '../store';
import { deleteRun } from '../store/actions';
import { useT } from '../i18n/use-t';
import { fixed2, formatLr } from './format';

/** The "Run history" region. */
export function HistoryPanel() {
  const t = useT();
  const entries = useLab((s) => s.history.entries);
  const problem = useLab((s) => s.history.problem);
  return (
    <section className="history" aria-label={t('history.title')}>
      <h2>{t('history.title')}</h2>
      {problem && <p className="reason">{problem}</p>}
      {entries.length === 0 ? <p className="hint">{t('history.empty')}</p> : (
        <ol>
          {entries.slice(0, 8).map((e) => e.ok ? (
            <li key={e.run.id}>
              {t('history.entry', {
                when: new Date(e.run.endedAt).toLocaleTimeString(),
                outcome: t(`history.outcome.${e.run.outcome}`),
                epochs: e.run.epochs.length,
                lr: formatLr(e.run.config.lr),
                batchSize: e.run.config.batchSize,
                testAcc: fixed2(e.run.epochs[e.run.epochs.length - 1]?.testAcc),
              })}
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
