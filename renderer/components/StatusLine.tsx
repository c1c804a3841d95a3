// The status line (role="status"): the run's state, the running epoch (counted from 1, the epoch of the
// last batch, so it agrees with the batch readout), the learning rate in force (as the slider and the
// field show it) and the weight decay λ when it is on, and d2l's three numbers for the last finished epoch; or the opened model and its test
// accuracy; or how the run diverged, failed or crashed. It changes once per epoch or state change, so a
// screen reader is not flooded; the per-batch readout next to it is not a live region.

import { useLab, type LabState } from '../store';
import { useT } from '../i18n/use-t';
import type { Translate } from '../i18n';
import { fixed2, formatLr, formatWeightDecay } from './format';

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
  const state = t(`state.${run.state}`);
  // λ only when on: the default run is d2l's, and its line stays d2l's.
  const lr = formatLr(run.config.lr) + (run.config.weightDecay > 0 ? ` · λ ${formatWeightDecay(run.config.weightDecay)}` : '');
  if (run.openedModel) {
    return t('status.opened', { state, name: run.openedModel.name, testAcc: fixed2(run.openedModel.testAcc), lr });
  }
  // Epochs finished in this run: a reset moves the curves (and their epochs) behind, so this drops to 0.
  const done = metrics.epochs.length;
  const last = metrics.epochs[done - 1];
  const numbers = last
    ? t('status.numbers', { done: last.epoch, loss: fixed2(last.trainLoss), trainAcc: fixed2(last.trainAcc), testAcc: fixed2(last.testAcc) })
    : t('status.noNumbers');
  return t('status.metrics', { state, epoch: metrics.lastBatch?.epoch ?? 0, epochs: run.config.epochs, lr, numbers });
}

/** The role="status" line. */
export function StatusLine() {
  const t = useT();
  const run = useLab((s) => s.run);
  const epochs = useLab((s) => s.metrics.epochs);
  // Only the epoch of the last batch, so the line re-renders once per epoch, not per batch.
  const runningEpoch = useLab((s) => s.metrics.lastBatch?.epoch ?? null);
  const dataset = useLab((s) => s.dataset);
  const lastBatch = runningEpoch === null ? null : ({ epoch: runningEpoch } as LabState['metrics']['lastBatch']);
  const text = statusText({ run, metrics: { epochs, lastBatch } as LabState['metrics'], dataset }, t);
  return (
    <p role="status" className={`status status-${run.crash ? 'crashed' : run.state}`} data-state={run.crash ? 'crashed' : run.state} data-epochs-done={epochs.length}>
      {text}
    </p>
  );
}
