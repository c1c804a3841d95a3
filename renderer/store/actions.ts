// Module-level actions of the lab store: what the bridge's events do to the slices (applyEvent,
// applyBatches) and what the user's gestures send to the trainer through window.api. No hooks: the
// bridge listener (wire.ts), components and tests call these directly.

import type { LabApi, LabEvent, TrainConfig } from '../../common/contract';
import { encodeModelFile } from '../../core/model-file';
import { NUM_PARAMS } from '../../core/shapes';
import type { Language } from '../i18n';
import { translate } from '../i18n';
import { useLab } from './index';
import { applySweepEvent } from '../experiments/sweep-actions';
import { withHistory } from './compare-slice';
import { addBatches, addEpoch, archiveRun, hasCurves, openLrGesture, openWdGesture, settleLrGesture, settleWdGesture, type BatchPoint } from './metrics-slice';
import { withTestPredictions } from './predictions-slice';
import { receiveEpochEnd, receiveWeights } from './weights-slice';

const set = useLab.setState;
const get = useLab.getState;

function api(): LabApi {
  return window.api;
}

/** Adds per-batch points (already batched per frame by wire.ts) to the curves. */
export function applyBatches(batches: readonly BatchPoint[]): void {
  if (batches.length === 0) return;
  set((s) => ({ metrics: addBatches(s.metrics, batches) }));
}

/** Applies one event from the trainer (other than per-batch progress, which goes through applyBatches). */
export function applyEvent(e: LabEvent): void {
  switch (e.kind) {
    case 'datasetProgress':
      set((s) => ({ dataset: { ...s.dataset, status: 'loading', progress: e.progress, error: null } }));
      return;
    case 'datasetError': {
      const { kind: _k, ...error } = e;
      set((s) => ({ dataset: { ...s.dataset, status: 'error', error, progress: null }, run: { ...s.run, state: 'loading' } }));
      return;
    }
    case 'ready':
      set((s) => ({
        dataset: { status: 'ready', progress: null, error: null, info: { trainCount: e.trainCount, testCount: e.testCount, source: e.source, kernel: e.kernel } },
        run: { ...s.run, config: e.config, crash: null, divergence: null, openedModel: null },
        metrics: archiveRun(s.metrics),
      }));
      return;
    case 'state':
      set((s) => {
        const newRun = e.position.batchesDone === 0 && (e.state === 'idle' || e.state === 'training' || e.state === 'paused');
        return {
          run: {
            ...s.run, state: e.state, position: e.position, config: e.config, pace: e.pace, divergence: e.state === 'diverged' ? s.run.divergence : null, lastError: null,
            // An opened model stays the subject until the run moves on from it.
            openedModel: e.position.batchesDone > 0 ? null : s.run.openedModel,
          },
          metrics: newRun && hasCurves(s.metrics) ? archiveRun(s.metrics) : s.metrics,
        };
      });
      return;
    case 'progress':
      applyBatches(e.batches);
      return;
    case 'epoch': {
      const { kind: _k, ...epoch } = e;
      set((s) => ({ metrics: addEpoch(s.metrics, epoch) }));
      return;
    }
    case 'weights':
      if (e.weights.length !== NUM_PARAMS) return;
      set((s) => ({ weights: receiveWeights(s.weights, e.weights, e.epochProgress) }));
      return;
    case 'diverged': {
      const { kind: _k, ...divergence } = e;
      set((s) => ({ run: { ...s.run, divergence } }));
      return;
    }
    case 'run': {
      // The session records the run; the side that stores it says historyChanged when it has. An epoch's
      // checkpoint carries the exact weights at its end: the reference of the heatmaps' "change since last epoch".
      const ended = e.record.epochs[e.record.epochs.length - 1];
      if (!e.final && ended && e.weights.length === NUM_PARAMS) set((s) => ({ weights: receiveEpochEnd(s.weights, ended.epoch, e.weights) }));
      return;
    }
    case 'done':
      return;
    case 'historyChanged':
      void refreshHistory();
      return;
    case 'error':
      set((s) => ({ run: { ...s.run, lastError: e.message } }));
      return;
    case 'crashed':
      set((s) => ({ run: { ...s.run, crash: e.reason } }));
      applySweepEvent(e); // a sweep under way ends with its process
      return;
    case 'sweepProgress':
    case 'sweepPoint':
      applySweepEvent(e);
      return;
  }
}

/** The big button: Start when idle or ended, Pause while training, Resume when paused. */
export function startPauseResume(): void {
  const { state } = get().run;
  if (state === 'training') api().pause();
  else if (state === 'paused') api().resume();
  else if (state === 'idle' || state === 'done' || state === 'diverged' || state === 'stopped') api().startTraining();
}

/** Runs one batch. */
export function stepOnce(): void {
  api().step();
}

/** Runs the rest of the current epoch (at full speed), then pauses. */
export function stepEpoch(): void {
  api().stepEpoch();
}

function forgetOpenedModel(): void {
  if (get().run.openedModel) set((s) => ({ run: { ...s.run, openedModel: null } }));
}

/** Re-initialises the weights from the seed; the curves move behind. */
export function resetRun(): void {
  forgetOpenedModel();
  api().reset(get().run.config.seed);
}

/**
 * Sets the learning rate from the next batch on (allowed while training). `commit: false` while a
 * gesture is under way (the slider dragged, a key held): applied at once, one change recorded and one
 * marker drawn when the gesture's last, committed value comes.
 */
export function setLearningRate(lr: number, options: { commit?: boolean } = {}): void {
  if (!Number.isFinite(lr) || lr <= 0) return;
  const commit = options.commit !== false;
  set((s) => ({ metrics: commit ? settleLrGesture(s.metrics, lr) : openLrGesture(s.metrics, s.metrics.lastBatch?.lr ?? s.run.config.lr) }));
  if (commit) api().setLearningRate(lr);
  else api().setLearningRate(lr, { commit: false });
}

/**
 * Sets the weight decay λ from the next batch on (allowed while training), with the same gestures as
 * setLearningRate: one change recorded and one marker drawn per drag or held key.
 */
export function setWeightDecay(weightDecay: number, options: { commit?: boolean } = {}): void {
  if (!Number.isFinite(weightDecay) || weightDecay < 0) return;
  const commit = options.commit !== false;
  set((s) => ({ metrics: commit ? settleWdGesture(s.metrics, weightDecay) : openWdGesture(s.metrics, s.metrics.lastBatch?.weightDecay ?? s.run.config.weightDecay) }));
  if (commit) api().setWeightDecay(weightDecay);
  else api().setWeightDecay(weightDecay, { commit: false });
}

/** Asks the session to change run-shaping settings (it resets the run). */
export function configureRun(patch: Partial<Pick<TrainConfig, 'epochs' | 'batchSize' | 'seed' | 'softmax'>>): void {
  forgetOpenedModel();
  api().configure(patch);
}

/** Asks the session for a pace: batches per second, or null for full speed. Applies at once, also mid-run. */
export function setPace(batchesPerSecond: number | null): void {
  api().setPace(batchesPerSecond);
}

/** Switches the UI language. */
export function setLanguage(language: Language): void {
  set((s) => ({ settings: { ...s.settings, language } }));
  window.api?.setLanguage?.(language); // the native menu follows (Electron); the bridge may not be installed yet in tests
}

/** Restarts the trainer after a crash. */
export async function restartTrainer(): Promise<void> {
  set((s) => ({ run: { ...s.run, crash: null, state: 'loading' }, dataset: { ...s.dataset, status: 'loading', progress: null } }));
  await api().restartTrainer();
}

/** How long a passing notice (saved, opened, failed) stays in the control bar. */
export const NOTICE_MS = 10_000;
let noticeTimer: ReturnType<typeof setTimeout> | null = null;

/** Shows a passing notice in the control bar (saved, opened, exported, or why not) for NOTICE_MS. */
export function say(message: string): void {
  set((s) => ({ run: { ...s.run, notice: message } }));
  // A notice passes: it must not grow the control bar for the rest of the session.
  if (noticeTimer !== null) clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => {
    noticeTimer = null;
    set((s) => (s.run.notice === message ? { run: { ...s.run, notice: null } } : {}));
  }, NOTICE_MS);
}

function tr(key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]): string {
  return translate(get().settings.language, key, params);
}

/** Saves the current weights as a model file (a save dialog, or a download on the web). */
export async function saveModel(): Promise<void> {
  try {
    const { weights } = await api().request({ kind: 'getWeights' });
    const { run, metrics } = get();
    const last = metrics.epochs[metrics.epochs.length - 1];
    const file = encodeModelFile(weights, run.config, last ? { epochs: last.epoch, trainLoss: last.trainLoss, trainAcc: last.trainAcc, testAcc: last.testAcc } : null, new Date().toISOString());
    const res = await api().saveModel(file);
    if (res.saved) say(tr('model.saved', { path: res.path }));
    else if (res.reason === 'error') say(tr('model.failed', { message: res.message ?? '' }));
  } catch (err) {
    say(tr('model.failed', { message: err instanceof Error ? err.message : String(err) }));
  }
}

/** Opens a model file and loads its weights into the trainer. */
export async function openModel(): Promise<void> {
  await openModelFrom(() => api().openModel());
}

/** Opens the latest weights kept for a run of the history (one cut by a crash or a stop included). */
export async function openRunWeights(id: string): Promise<void> {
  await openModelFrom(() => api().openRunWeights(id));
}

async function openModelFrom(open: () => ReturnType<LabApi['openModel']>): Promise<void> {
  try {
    const res = await open();
    if (!res.opened) {
      if (res.reason === 'error') say(tr('model.failed', { message: res.message ?? '' }));
      return;
    }
    const weights = new Float32Array(NUM_PARAMS);
    weights.set(res.model.W, 0);
    weights.set(res.model.b, res.model.W.length);
    await api().request({ kind: 'loadWeights', weights });
    say(tr('model.opened', { path: res.path }));
    set((s) => ({ run: { ...s.run, openedModel: { name: res.path.split(/[\\/]/).pop() ?? res.path, testAcc: null } } }));
    // Measured by the session on the test set; the gallery and the matrix show the same predictions.
    // (A refresh asked before the weights were loaded is answered first, so this one has the last word.)
    const { predicted, labels, accuracy } = await api().request({ kind: 'testPredictions' });
    set((s) => ({
      predictions: withTestPredictions(s.predictions, predicted, labels, accuracy),
      run: s.run.openedModel ? { ...s.run, openedModel: { ...s.run.openedModel, testAcc: accuracy } } : s.run,
    }));
  } catch (err) {
    say(tr('model.failed', { message: err instanceof Error ? err.message : String(err) }));
  }
}

/** Reloads the run history from the bridge. */
export async function refreshHistory(): Promise<void> {
  try {
    const entries = await api().listRuns();
    set((s) => ({ history: { entries, problem: null }, compare: withHistory(s.compare, entries) }));
  } catch (err) {
    set((s) => ({ history: { ...s.history, problem: err instanceof Error ? err.message : String(err) } }));
  }
}

/** Deletes a run from the history. */
export async function deleteRun(id: string): Promise<void> {
  await api().deleteRun(id);
  await refreshHistory();
}

/** (Re)loads the dataset from a source: the user's picked files (bytes) or folder (Electron). */
export function loadDatasetFrom(files: Parameters<LabApi['loadDataset']>[0]): void {
  set((s) => ({ dataset: { ...s.dataset, status: 'loading', error: null, progress: { phase: 'parsing' } } }));
  api().loadDataset(files);
}
