// Save model / Open model: a save dialog or a download, and a file picker; the weights come from and
// go to the trainer. Saving is refused while the weights are not usable (no dataset, crashed).

import { useLab } from '../store';
import { openModel, saveModel } from '../store/actions';
import { useT } from '../i18n/use-t';

/** The model buttons. */
export function ModelBar() {
  const t = useT();
  const ready = useLab((s) => s.dataset.status === 'ready' && s.run.crash === null);
  const training = useLab((s) => s.run.state === 'training');
  return (
    <div className="model-bar">
      <button type="button" onClick={() => void saveModel()} disabled={!ready}>{t('model.save')}</button>
      <button type="button" onClick={() => void openModel()} disabled={!ready || training} title={training ? t('why.settingsWhileTraining') : undefined}>{t('model.open')}</button>
    </div>
  );
}
