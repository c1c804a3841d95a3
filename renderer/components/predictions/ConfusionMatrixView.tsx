// The 10x10 confusion matrix of the test set (rows true, columns predicted) with counts, per-class
// accuracy and cells coloured by their share of the row. Every cell is a button: it shows exactly its
// images in the gallery.

import { useDeferredValue, useMemo } from 'react';
import { NUM_CLASSES as K } from '../../../core/shapes';
import { className } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';
import { showConfusionCell } from '../../predictions/actions';
import { confusionMatrix } from '../../predictions/evidence';
import { cellColours } from './draw';
import { PredictionsPending } from './PredictionsPending';

const CLASSES = Array.from({ length: K }, (_, k) => k);

/** The "Confusion matrix" region. */
export function ConfusionMatrixView() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  // Deferred: the new predictions render at transition priority, in slices React can interrupt, so an
  // epoch end never blocks the main thread for one long task (issue 5's 50 ms budget).
  const test = useDeferredValue(useLab((s) => s.predictions.test));
  const cell = useLab((s) => s.predictions.filter.cell);
  const m = useMemo(() => (test ? confusionMatrix(test.predicted, test.labels) : null), [test]);
  const name = (k: number): string => className(lang, k);

  return (
    <section className="confusion" aria-labelledby="confusion-title">
      <h2 id="confusion-title">{t('confusion.region')}</h2>
      {!m ? <PredictionsPending /> : (
        <>
          <p className="hint">{t('confusion.hint')} {t('confusion.legend')}</p>
          <div className="confusion-scroll">
            <table className="confusion-table">
              <caption className="visually-hidden">{t('confusion.title')}</caption>
              <thead>
                <tr>
                  <th scope="col" className="corner">
                    <span>{t('confusion.trueAxis')} ↓</span>
                    <span>{t('confusion.predictedAxis')} →</span>
                  </th>
                  {/* A break allowed after "/" only ("T恤/" + "上衣"), never inside a word. */}
                  {CLASSES.map((p) => <th key={p} scope="col" className="col-head"><span>{name(p).replace('/', '/\u200b')}</span></th>)}
                  <th scope="col" className="col-head acc-head"><span>{t('confusion.accuracy')}</span></th>
                </tr>
              </thead>
              <tbody>
                {CLASSES.map((tr) => (
                  <tr key={tr}>
                    <th scope="row" className="row-head">{name(tr)}</th>
                    {CLASSES.map((pr) => {
                      const count = m.counts[tr * K + pr];
                      const share = m.rowTotals[tr] > 0 ? count / m.rowTotals[tr] : 0;
                      const active = cell?.trueClass === tr && cell.predicted === pr;
                      return (
                        <td key={pr} className={tr === pr ? 'diag' : undefined}>
                          <button
                            type="button"
                            className={active ? 'cell active' : 'cell'}
                            style={cellColours(share)}
                            aria-pressed={active}
                            aria-label={t('confusion.cell', { count, true: name(tr), predicted: name(pr) })}
                            onClick={() => showConfusionCell(tr, pr)}
                          >
                            {count}
                          </button>
                        </td>
                      );
                    })}
                    <td className="acc">{Number.isNaN(m.perClassAccuracy[tr]) ? '—' : m.perClassAccuracy[tr].toFixed(2)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
