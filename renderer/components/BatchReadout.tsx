// The per-batch readout under the status line: the last batch's epoch, index, loss, accuracy and the lr
// it used (also as data attributes, which the end-to-end tests read). Not a live region on purpose.

import { useLab } from '../store';
import { useT } from '../i18n/use-t';
import { fixed2, formatLr } from './format';

/** The last batch, and the last refused command or notice. */
export function BatchReadout() {
  const t = useT();
  const b = useLab((s) => s.metrics.lastBatch);
  const count = useLab((s) => s.metrics.batchCount);
  const lastError = useLab((s) => s.run.lastError);
  const notice = useLab((s) => s.run.notice);
  return (
    <div className="readout">
      <p data-testid="batch-readout" data-last-lr={b ? b.lr : ''} data-batches={count}>
        {b ? t('readout.batch', { epoch: b.epoch, batch: b.batch + 1, batches: b.batchesPerEpoch, loss: fixed2(b.loss), acc: fixed2(b.acc), lr: formatLr(b.lr) }) : t('readout.none')}
      </p>
      {lastError && <p className="readout-error">{t('readout.commandError', { message: lastError })}</p>}
      {notice && <p className="readout-notice">{notice}</p>}
    </div>
  );
}
