// The one store of the lab window, combined once from typed slices (run, metrics, settings, dataset,
// weights, history). Middleware (subscribeWithSelector, for transient subscriptions such as the
// heatmaps) is applied here and only here. Actions live in actions.ts, at module level.

import { create } from 'zustand';
import { subscribeWithSelector } from 'zustand/middleware';
import { initialDataset, type DatasetSlice } from './dataset-slice';
import { initialHistory, type HistorySlice } from './history-slice';
import { initialMetrics, type MetricsSlice } from './metrics-slice';
import { initialPredictions, type PredictionsSlice } from './predictions-slice';
import { initialRun, type RunSlice } from './run-slice';
import { initialSettings, type SettingsSlice } from './settings-slice';
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
  })),
);
