// The run slice: what the training session reports (its state, position, configuration and pace: the
// session owns them), how a diverged run ended, the last refused command, and a crash of the trainer.

import type { FromTrainer, RunState, TrainConfig } from '../../common/contract';
import { DEFAULT_CONFIG } from '../../core/train';

/** Where the trainer is in the run. */
export type RunPosition = Extract<FromTrainer, { kind: 'state' }>['position'];
/** How a diverged run ended. */
export type Divergence = Omit<Extract<FromTrainer, { kind: 'diverged' }>, 'kind'>;

/** The run's state. */
export interface RunSlice {
  /** The trainer's state; 'loading' until the dataset is ready. */
  state: RunState;
  position: RunPosition;
  /** The config the trainer runs with (the lr is the one it uses now). */
  config: TrainConfig;
  /** The session's pace in batches per second (null: full speed). */
  pace: number | null;
  /** Set when the run diverged; cleared by the next run. */
  divergence: Divergence | null;
  /** The last command the trainer refused (shown, not fatal). */
  lastError: string | null;
  /** The trainer process/worker went away: why. Null while it is alive. */
  crash: string | null;
  /** A passing message for the user (model saved, opened, or why not). */
  notice: string | null;
  /**
   * The model file whose weights the session holds, until the run moves on (a batch, a reset, new
   * settings): its name and its accuracy on the test set as the session measured it (null until then).
   */
  openedModel: { name: string; testAcc: number | null } | null;
}

/** The run slice before the trainer speaks. */
export const initialRun: RunSlice = {
  state: 'loading',
  position: { epoch: 1, batch: 0, batchesPerEpoch: 0, batchesDone: 0, finished: false, diverged: false },
  config: { ...DEFAULT_CONFIG },
  pace: null,
  divergence: null,
  lastError: null,
  crash: null,
  notice: null,
  openedModel: null,
};
