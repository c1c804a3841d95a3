// The one store of the lab window, combined once from typed slices (run, metrics, settings, dataset,
// weights, history, predictions, sweeps, compared runs, batch classification). Middleware (subscribeWithSelector, for transient subscriptions such as the
// heatmaps) is applied here and only here. Actions live in actions.ts, at module level.

import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import { initialBatch, type BatchSlice } from './batch-slice';
import { initialCompare, type CompareSlice } from './compare-slice';
import { initialDataset, type DatasetSlice } from './dataset-slice';
import { initialHistory, type HistorySlice } from './history-slice';
import { initialMetrics, type MetricsSlice } from './metrics-slice';
import { initialPredictions, type PredictionsSlice } from './predictions-slice';
import { initialRun, type RunSlice } from './run-slice';
import { initialSettings, type SettingsSlice } from './settings-slice';
import { initialSweep, type SweepSlice } from './sweep-slice';
import { initialWeights, type WeightsSlice } from './weights-slice';

/** The whole store: one namespace per slice. A colleague's predictions slice is added here too. */
export interface LabState {
  run: RunSlice;
  metrics: MetricsSlice;
  settings: SettingsSlice;
  dataset: DatasetSlice;
  weights: WeightsSlice;
  history: HistorySlice;
  predictions: PredictionsSlice;
  sweep: SweepSlice;
  compare: CompareSlice;
  batch: BatchSlice;
}

/** The lab store (a React hook; also getState/setState/subscribe for module-level code). */
export const useLab = create<LabState>()(
  subscribeWithSelector(() => ({
    run: initialRun,
    metrics: initialMetrics,
    settings: initialSettings,
    dataset: initialDataset,
    weights: initialWeights,
    history: initialHistory,
    predictions: initialPredictions,
    sweep: initialSweep,
    compare: initialCompare,
    batch: initialBatch,
  })),
);
