// The dataset slice: loading progress, the failure with its way out, or what was loaded.

import type { FromTrainer } from '../../common/contract';

/** Loading progress as the trainer reports it. */
export type DatasetProgressInfo = Extract<FromTrainer, { kind: 'datasetProgress' }>['progress'];
/** Why the dataset is not there. */
export type DatasetFailure = Omit<Extract<FromTrainer, { kind: 'datasetError' }>, 'kind'>;
/** What was loaded. */
export interface DatasetInfo {
  trainCount: number;
  testCount: number;
  source: string;
  kernel: string;
}

/** The dataset's state. */
export interface DatasetSlice {
  status: 'loading' | 'ready' | 'error';
  progress: DatasetProgressInfo | null;
  error: DatasetFailure | null;
  info: DatasetInfo | null;
}

/** Before the trainer speaks. */
export const initialDataset: DatasetSlice = { status: 'loading', progress: null, error: null, info: null };
