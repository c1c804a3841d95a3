// The status line (role="status"): the run's state, epoch and d2l's three numbers for the last finished
// epoch, or how the run diverged, failed or crashed. Updates once per epoch or state change, so a
// screen reader is not flooded; the per-batch readout next to it is not a live region.

import { useLab, type LabState } from '../store';
import { useT } from '../i18n/use-t';
import type { Translate } from '../i18n';
import { fixed2 } from './format';

/** The status sentence for a store state. */
export function statusText(s: Pick<LabState, 'run' | 'metrics' | 'dataset'>, t: Translate): string {
  const { run, metrics } = s;
  if (run.crash) return t('status.crashed', { reason: run.crash });
  if (run.state === 'diverged' && run.divergence) {
    // The core's message repeats where it happened ("… at epoch 1, batch 4"); the sentence already says it.
    const reason = run.divergence.message.replace(/ at epoch \d+, batch \d+/, '');
    return t('status.diverged', { epoch: run.divergence.epoch, batch: run.divergence.batch + 1, message: reason });
  }
  if (run.state === 'loading') return s.dataset.status === 'error' ? t('dataset.errorTitle') : t('state.loading');
  const last = metrics.epochs[metrics.epochs.length - 1];
  // Epochs finished in this run: a reset moves the curves (and their epochs) behind, so this drops to 0.
  const done = metrics.epochs.length;
  return t('status.metrics', {
    state: t(`state.${run.state}`),
    epoch: done,
    epochs: run.config.epochs,
    loss: fixed2(done ? last?.trainLoss : null),
    trainAcc: fixed2(done ? last?.trainAcc : null),
    testAcc: fixed2(done ? last?.testAcc : null),
  });
}

/** The role="status" line. */
export function StatusLine() {
  const t = useT();
  const run = useLab((s) => s.run);
  const epochs = useLab((s) => s.metrics.epochs);
  const dataset = useLab((s) => s.dataset);
  const text = statusText({ run, metrics: { epochs } as LabState['metrics'], dataset }, t);
  return (
    <p role="status" className={`status status-${run.crash ? 'crashed' : run.state}`} data-state={run.crash ? 'crashed' : run.state} data-epochs-done={epochs.length}>
      {text}
    </p>
  );
}
