// What the gallery and the confusion matrix say before they have predictions, in words that are true:
// the dataset is still loading, the predictions are being computed, or they are computed when the panel
// scrolls into view (off-screen panels do not spend the main thread on work nobody sees).

import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';

/** The placeholder line for a panel without predictions yet. */
export function PredictionsPending() {
  const t = useT();
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const loading = useLab((s) => s.predictions.loading);
  const stale = useLab((s) => s.predictions.stale);
  const key = !datasetReady ? 'predictions.noDataset' : stale && !loading ? 'predictions.whenShown' : 'predictions.computing';
  return <p className="hint" data-testid="predictions-pending">{t(key)}</p>;
}
