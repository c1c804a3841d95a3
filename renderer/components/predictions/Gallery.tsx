// The prediction gallery (d2l's predict_ch3, done interactively): test images captioned true / predicted,
// mistakes marked by colour, icon and text, filters (mistakes only, true class, one confusion-matrix
// cell), and a click that shows the ten class probabilities. Follows the weights through the slice.

import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { NUM_CLASSES } from '../../../core/shapes';
import { className } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';
import { clearGalleryFilters, refreshTestPredictions, selectTestImage, setGalleryFilter, showMoreImages, testImagePixels } from '../../predictions/actions';
import { filterGallery } from '../../predictions/evidence';
import { drawTestPixels } from './draw';
import { PredictionsPending } from './PredictionsPending';
import { ProbabilityBars } from './ProbabilityBars';

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

/** The "Prediction gallery" region. */
export function Gallery() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  // Deferred: the new predictions render at transition priority, in slices React can interrupt, so an
  // epoch end never blocks the main thread for one long task (issue 5's 50 ms budget).
  const test = useDeferredValue(useLab((s) => s.predictions.test));
  const loading = useLab((s) => s.predictions.loading);
  const problem = useLab((s) => s.predictions.problem);
  const filter = useLab((s) => s.predictions.filter);
  const limit = useLab((s) => s.predictions.limit);
  const selected = useLab((s) => s.predictions.selected);
  const stale = useLab((s) => s.predictions.stale);
  const canvases = useRef(new Map<number, HTMLCanvasElement>());
  const details = useRef<HTMLDivElement | null>(null);
  const selectedIndex = selected?.index ?? null;
  const detailsReady = selected?.probs != null;
  // The details open where they can be read: scrolled into view (clear of the sticky control bar), again
  // once the probabilities arrive and the box is its full height.
  useEffect(() => {
    if (selectedIndex !== null) details.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selectedIndex, detailsReady]);

  const matching = useMemo(() => (test ? filterGallery(test.predicted, test.labels, filter) : new Uint32Array(0)), [test, filter]);
  const shown = useMemo(() => Array.from(matching.subarray(0, limit)), [matching, limit]);

  useEffect(() => {
    let live = true;
    if (shown.length === 0) return;
    testImagePixels(shown).then((pixels) => {
      if (!live) return;
      for (const [i, px] of pixels) {
        const c = canvases.current.get(i);
        if (c) drawTestPixels(c, px);
      }
    }, () => undefined); // a failed fetch leaves the canvases blank; the refresh reports problems
    return () => {
      live = false;
    };
  }, [shown]);

  const name = (k: number): string => className(lang, k);
  const cell = filter.cell;

  return (
    <section className="gallery" aria-labelledby="gallery-title">
      <h2 id="gallery-title">{t('gallery.region')}</h2>
      <p className="hint">
        {t('gallery.title')}
        {test ? ` · ${t('gallery.followsWeights', { acc: test.accuracy.toFixed(3) })}` : ''}
        {test && stale ? ` ${t('predictions.staleNote')}` : ''}
      </p>
      <div className="gallery-filters">
        <label className="check">
          <input type="checkbox" checked={filter.mistakesOnly} disabled={cell !== null} onChange={(e) => setGalleryFilter({ mistakesOnly: e.currentTarget.checked })} />
          {t('gallery.mistakesOnly')}
        </label>
        <label className="field inline">
          {t('gallery.classFilter')}
          <select
            value={filter.trueClass === null ? '' : String(filter.trueClass)}
            disabled={cell !== null}
            onChange={(e) => setGalleryFilter({ trueClass: e.currentTarget.value === '' ? null : Number(e.currentTarget.value) })}
          >
            <option value="">{t('gallery.allClasses')}</option>
            {CLASSES.map((k) => <option key={k} value={k}>{name(k)}</option>)}
          </select>
        </label>
        <button type="button" onClick={() => void refreshTestPredictions()} disabled={loading}>{t('gallery.refresh')}</button>
        {loading ? <span className="hint" role="status">{t('gallery.loading')}</span> : null}
      </div>
      {cell ? (
        <p className="cell-filter">
          {t('gallery.cellFilter', { count: matching.length, true: name(cell.trueClass), predicted: name(cell.predicted) })}{' '}
          <button type="button" className="link-button" onClick={clearGalleryFilters}>{t('gallery.clearCell')}</button>
        </p>
      ) : null}
      {problem ? <p className="reason" role="alert">{t('gallery.failed', { message: problem })}</p> : null}
      {!test ? <PredictionsPending /> : null}
      {test && matching.length === 0 ? <p className="hint">{t('gallery.none')}</p> : null}
      {test && matching.length > 0 ? (
        <>
          <p className="hint gallery-count">{t('gallery.count', { shown: shown.length, total: matching.length })}</p>
          <ul className="gallery-grid">
            {shown.map((i) => {
              const tr = test.labels[i], pr = test.predicted[i];
              const wrong = tr !== pr;
              return (
                <li key={i} className={wrong ? 'thumb mistake' : 'thumb'}>
                  <button
                    type="button"
                    aria-pressed={selected?.index === i}
                    aria-label={t('gallery.image', { index: i, true: name(tr), predicted: name(pr) }) + (wrong ? ` (${t('gallery.mistake')})` : '')}
                    onClick={() => void selectTestImage(selected?.index === i ? null : i)}
                  >
                    <canvas
                      width={28}
                      height={28}
                      ref={(el) => {
                        if (el) canvases.current.set(i, el);
                        else canvases.current.delete(i);
                      }}
                    />
                    <span className="caption" aria-hidden="true">
                      <span className="caption-true">{name(tr)}</span>
                      <span className="caption-pred">
                        {wrong ? <span className="mistake-mark">✗ </span> : null}
                        {name(pr)}
                      </span>
                      {wrong ? <span className="mistake-text">{t('gallery.mistake')}</span> : null}
                    </span>
                  </button>
                </li>
              );
            })}
          </ul>
          {shown.length < matching.length ? <button type="button" onClick={showMoreImages}>{t('gallery.more')}</button> : null}
        </>
      ) : null}
      {selected && test ? (
        <div className="gallery-details" ref={details} role="group" aria-label={t('gallery.details', { index: selected.index, name: name(test.labels[selected.index]) })}>
          <h3>{t('gallery.details', { index: selected.index, name: name(test.labels[selected.index]) })}</h3>
          {selected.probs ? <ProbabilityBars probs={selected.probs} trueClass={test.labels[selected.index]} /> : <p className="hint">{t('gallery.loading')}</p>}
          <button type="button" onClick={() => void selectTestImage(null)}>{t('gallery.closeDetails')}</button>
        </div>
      ) : null}
    </section>
  );
}
