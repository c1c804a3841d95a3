// A fake window.api for renderer tests: every LabApi verb is a vi.fn, and emit() plays trainer events
// to whoever subscribed with onEvent.

import { vi } from 'vitest';
import type { LabApi, LabEvent } from '../../common/contract';
import type {} from '../../renderer/bridge/global';

/** A LabApi whose methods are spies, plus emit() to play events. */
export type FakeApi = { [K in keyof LabApi]: LabApi[K] extends (...a: never[]) => unknown ? ReturnType<typeof vi.fn> & LabApi[K] : LabApi[K] } & { emit(e: LabEvent): void };

/** Creates a fake API and installs it as window.api. */
export function installFakeApi(): FakeApi {
  const listeners = new Set<(e: LabEvent) => void>();
  const api = {
    platform: 'web' as const,
    onEvent: vi.fn((l: (e: LabEvent) => void) => {
      listeners.add(l);
      return () => listeners.delete(l);
    }),
    startTraining: vi.fn(),
    pause: vi.fn(),
    resume: vi.fn(),
    step: vi.fn(),
    stepEpoch: vi.fn(),
    stop: vi.fn(),
    reset: vi.fn(),
    setLearningRate: vi.fn(),
    setWeightDecay: vi.fn(),
    configure: vi.fn(),
    setPace: vi.fn(),
    runSweep: vi.fn(),
    stopSweep: vi.fn(),
    request: vi.fn(async () => ({})),
    loadDataset: vi.fn(),
    pickDatasetFolder: vi.fn(async () => null),
    saveModel: vi.fn(async () => ({ saved: true, path: 'model.json' })),
    openModel: vi.fn(async () => ({ opened: false, reason: 'cancelled' })),
    saveExport: vi.fn(async (file: { name: string }) => ({ saved: true, path: file.name })),
    listRuns: vi.fn(async () => []),
    deleteRun: vi.fn(async () => undefined),
    openRunWeights: vi.fn(async () => ({ opened: false, reason: 'cancelled' })),
    restartTrainer: vi.fn(async () => undefined),
    openExternal: vi.fn(async () => undefined),
    emit(e: LabEvent) {
      for (const l of listeners) l(e);
    },
  };
  (window as unknown as { api: unknown }).api = api;
  return api as unknown as FakeApi;
}

/** A position for 'state' events. */
export function position(batchesDone = 0, epoch = 1, batch = 0): { epoch: number; batch: number; batchesPerEpoch: number; batchesDone: number; finished: boolean; diverged: boolean } {
  return { epoch, batch, batchesPerEpoch: 235, batchesDone, finished: false, diverged: false };
}

/** A config as the trainer reports it. */
export const CONFIG = { epochs: 10, batchSize: 256, lr: 0.1, seed: 0, softmax: 'stable' as const, weightDecay: 0 };

/** A batch as the trainer reports it. */
export function batch(i: number, over: Partial<{ loss: number; acc: number; lr: number; weightDecay: number; epochProgress: number }> = {}) {
  return { epoch: Math.floor(i / 235) + 1, batch: i % 235, batchesPerEpoch: 235, epochProgress: (i + 1) / 235, loss: 2.3 - i * 0.001, acc: 0.1 + i * 0.001, lr: 0.1, weightDecay: 0, size: 256, ...over };
}
