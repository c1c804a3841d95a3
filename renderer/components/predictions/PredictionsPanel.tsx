// Issue 6's part of the lab window: the prediction gallery, the confusion matrix, "classify an image" and
// (issue 13) "classify many images",
// kept in step with the weights (followWeights subscribes once, on mount). App renders it below the
// weights.

import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/use-t';
import { followWeights, setPredictionsShown } from '../../predictions/actions';
import { BatchClassify } from './BatchClassify';
import { ClassifyImage } from './ClassifyImage';
import { ConfusionMatrixView } from './ConfusionMatrixView';
import { Gallery } from './Gallery';
import './predictions.css';

/** The predictions panel: gallery, confusion matrix and own-image classification. */
export function PredictionsPanel() {
  const t = useT();
  const row = useRef<HTMLDivElement>(null);
  useEffect(() => followWeights(), []);
  useEffect(() => {
    const el = row.current;
    if (!el || typeof IntersectionObserver !== 'function') return; // no observer (jsdom): always refresh
    const observer = new IntersectionObserver((entries) => setPredictionsShown(entries.some((e) => e.isIntersecting)), { rootMargin: '0px' });
    observer.observe(el);
    return () => {
      observer.disconnect();
      setPredictionsShown(true);
    };
  }, []);
  return (
    <div className="predictions" role="group" aria-label={t('predictions.title')}>
      <ClassifyImage />
      <BatchClassify />
      <div className="predictions-row" ref={row}>
        <Gallery />
        <ConfusionMatrixView />
      </div>
    </div>
  );
}
