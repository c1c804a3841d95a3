// Save model / Open model: a save dialog or a download, and a file picker; the weights come from and
// go to the trainer. Each button that cannot act now says why (the dataset, a crash, a run in progress).

import { useId } from 'react';
import { useLab } from '../store';
import { openModel, saveModel } from '../store/actions';
import { useT } from '../i18n/use-t';
import type { MessageKey } from '../i18n';

/** The model buttons. */
export function ModelBar() {
  const t = useT();
  const crashed = useLab((s) => s.run.crash !== null);
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const training = useLab((s) => s.run.state === 'training');
  const blocked: MessageKey | null = crashed ? 'why.crashed' : !datasetReady ? 'why.noDataset' : null;
  const openReason: MessageKey | null = blocked ?? (training ? 'why.openWhileTraining' : null);
  const reasonId = useId();
  const reason = openReason ? t(openReason) : null;
  return (
    <div className="model-bar" role="group" aria-label={t('model.region')}>
      <button type="button" onClick={() => void saveModel()} disabled={blocked !== null} title={blocked ? t(blocked) : undefined}
        aria-describedby={blocked ? reasonId : undefined}>{t('model.save')}</button>
      <button type="button" onClick={() => void openModel()} disabled={openReason !== null} title={reason ?? undefined}
        aria-describedby={openReason ? reasonId : undefined}>{t('model.open')}</button>
      {reason && <span id={reasonId} className="reason">{reason}</span>}
    </div>
  );
}
