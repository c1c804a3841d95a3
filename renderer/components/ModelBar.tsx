// Save model / Open model: a save dialog or a download, and a file picker; the weights come from and
// go to the trainer. Beside them the exports of the current model and run: Export report (one HTML file),
// Export for NumPy (.npz) and Export ONNX. Each button that cannot act now says why (the dataset, a
// crash, a run in progress, a sweep).

import { useId } from 'react';
import { useLab } from '../store';
import { openModel, saveModel } from '../store/actions';
import { sweepRunning } from '../store/sweep-slice';
import { exportModel, exportReport } from '../exports/actions';
import { useT } from '../i18n/use-t';
import type { MessageKey } from '../i18n';

/** The model buttons. */
export function ModelBar() {
  const t = useT();
  const crashed = useLab((s) => s.run.crash !== null);
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const training = useLab((s) => s.run.state === 'training');
  const sweeping = useLab((s) => sweepRunning(s.sweep));
  const blocked: MessageKey | null = crashed ? 'why.crashed' : !datasetReady ? 'why.noDataset' : null;
  const openReason: MessageKey | null = blocked ?? (training ? 'why.openWhileTraining' : sweeping ? 'why.sweepBusy' : null);
  const reasonId = useId();
  const reason = openReason ? t(openReason) : null;
  const exportTitle = blocked ? t(blocked) : undefined;
  return (
    <div className="model-bar" role="group" aria-label={t('model.region')}>
      <button type="button" onClick={() => void saveModel()} disabled={blocked !== null} title={exportTitle}
        aria-describedby={blocked ? reasonId : undefined}>{t('model.save')}</button>
      <button type="button" onClick={() => void openModel()} disabled={openReason !== null} title={reason ?? undefined}
        aria-describedby={openReason ? reasonId : undefined}>{t('model.open')}</button>
      <button type="button" onClick={() => void exportReport()} disabled={blocked !== null} title={exportTitle ?? t('export.reportHint')}
        aria-describedby={blocked ? reasonId : undefined}>{t('export.report')}</button>
      <button type="button" onClick={() => void exportModel('npz')} disabled={blocked !== null} title={exportTitle ?? t('export.npzHint')}
        aria-describedby={blocked ? reasonId : undefined}>{t('export.npz')}</button>
      <button type="button" onClick={() => void exportModel('onnx')} disabled={blocked !== null} title={exportTitle ?? t('export.onnxHint')}
        aria-describedby={blocked ? reasonId : undefined}>{t('export.onnx')}</button>
      {reason && <span id={reasonId} className="reason">{reason}</span>}
    </div>
  );
}
