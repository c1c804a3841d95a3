// Module-level actions of the lab store: what the bridge's events do to the slices (applyEvent,
// applyBatches) and what the user's gestures send to the trainer through window.api. No hooks: the
// bridge listener (wire.ts), components and tests call these directly.

import type { LabApi, LabEvent, RunRecord, TrainConfig } from '../../electron/shared/contract';
import { encodeModelFile } from '../../core/model-file';
import { NUM_PARAMS } from '../../core/shapes';
import type { Language } from '../i18n';
import { translate } from '../i18n';
import { useLab } from './index';
import { addBatches, addEpoch, archiveRun, hasCurves, type BatchPoint } from './metrics-slice';
import { paceToBatchesPerSecond, type Pace } from './settings-slice';
import { maxAbsWeight, weightScale } from './weights-slice';

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
        run: { ...s.run, config: e.config, crash: null, divergence: null },
        metrics: archiveRun(s.metrics),
      }));
      pushSettings(e.config);
      return;
    case 'state':
      set((s) => {
        const newRun = e.position.batchesDone === 0 && (e.state === 'idle' || e.state === 'training' || e.state === 'paused');
        return {
          run: { ...s.run, state: e.state, position: e.position, config: e.config, divergence: e.state === 'diverged' ? s.run.divergence : null, lastError: null },
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
      set((s) => ({ weights: { params: e.weights, maxAbs: maxAbsWeight(e.weights), scale: weightScale(e.weights), version: s.weights.version + 1 } }));
      return;
    case 'diverged': {
      const { kind: _k, ...divergence } = e;
      set((s) => ({ run: { ...s.run, divergence } }));
      void recordRun('diverged', divergence.message);
      return;
    }
    case 'done':
      void recordRun('done', null);
      return;
    case 'error':
      set((s) => ({ run: { ...s.run, lastError: e.message } }));
      return;
    case 'crashed':
      set((s) => ({ run: { ...s.run, crash: e.reason } }));
      return;
  }
}

/** After (re)loading, the trainer starts from defaults: send it the user's settings where they differ. */
function pushSettings(config: TrainConfig): void {
  const s = get().settings;
  const patch: Partial<TrainConfig> = {};
  for (const key of ['epochs', 'batchSize', 'seed', 'softmax'] as const) {
    if (s[key] !== config[key]) (patch as Record<string, unknown>)[key] = s[key];
  }
  if (Object.keys(patch).length > 0) api().configure(patch);
  if (s.lr !== config.lr) api().setLearningRate(s.lr);
  if (s.pace !== 'fast') api().setPace(paceToBatchesPerSecond(s.pace));
}

/** The big button: Start when idle or ended, Pause while training, Resume when paused. */
export function startPauseResume(): void {
  const { state } = get().run;
  if (state === 'training') api().pause();
  else if (state === 'paused') api().resume();
  else if (state === 'idle' || state === 'done' || state === 'diverged') api().startTraining();
}

/** Runs one batch. */
export function stepOnce(): void {
  api().step();
}

/** Re-initialises the weights from the seed; the curves move behind. */
export function resetRun(): void {
  api().reset(get().settings.seed);
}

/** Sets the learning rate from the next batch on (allowed while training). */
export function setLearningRate(lr: number): void {
  if (!Number.isFinite(lr) || lr <= 0) return;
  set((s) => ({ settings: { ...s.settings, lr } }));
  api().setLearningRate(lr);
}

/** Changes run-shaping settings (the trainer resets the run). */
export function configureRun(patch: Partial<Pick<TrainConfig, 'epochs' | 'batchSize' | 'seed' | 'softmax'>>): void {
  set((s) => ({ settings: { ...s.settings, ...patch } }));
  api().configure(patch);
}

/** Caps the pace (watchable) or lifts the cap. */
export function setPace(pace: Pace): void {
  set((s) => ({ settings: { ...s.settings, pace } }));
  api().setPace(paceToBatchesPerSecond(pace));
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

function say(message: string): void {
  set((s) => ({ run: { ...s.run, notice: message } }));
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
  try {
    const res = await api().openModel();
    if (!res.opened) {
      if (res.reason === 'error') say(tr('model.failed', { message: res.message ?? '' }));
      return;
    }
    const weights = new Float32Array(NUM_PARAMS);
    weights.set(res.model.W, 0);
    weights.set(res.model.b, res.model.W.length);
    await api().request({ kind: 'loadWeights', weights });
    say(tr('model.opened', { path: res.path }));
  } catch (err) {
    say(tr('model.failed', { message: err instanceof Error ? err.message : String(err) }));
  }
}

/** Records the run that just ended in the history, then refreshes the list. */
async function recordRun(outcome: RunRecord['outcome'], note: string | null): Promise<void> {
  const { run, metrics } = get();
  const record: RunRecord = {
    id: `run-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e6).toString(36)}`,
    endedAt: new Date().toISOString(),
    config: { ...run.config, lr: metrics.lastBatch?.lr ?? run.config.lr },
    epochs: metrics.epochs.map(({ epoch, trainLoss, trainAcc, testAcc, seconds }) => ({ epoch, trainLoss, trainAcc, testAcc, seconds })).filter((e) => [e.trainLoss, e.trainAcc, e.testAcc, e.seconds].every(Number.isFinite)),
    outcome,
    note: note === null ? null : note.slice(0, 1000),
  };
  try {
    await api().saveRun(record);
    await refreshHistory();
  } catch (err) {
    set((s) => ({ history: { ...s.history, problem: err instanceof Error ? err.message : String(err) } }));
  }
}

/** Reloads the run history from the bridge. */
export async function refreshHistory(): Promise<void> {
  try {
    const entries = await api().listRuns();
    set({ history: { entries, problem: null } });
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
