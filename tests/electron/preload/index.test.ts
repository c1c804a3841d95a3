// The preload entry (electron/preload/index.ts) under a fake 'electron' module: it exposes exactly one key,
// `api`, and that object holds exactly the LabApi verbs — no ipcRenderer, no send/invoke/on, no function
// that takes a channel name.

import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => [] as [string, unknown][]);

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, value: unknown) => exposed.push([key, value]) },
  ipcRenderer: { invoke: vi.fn(async () => null), send: vi.fn(), on: vi.fn() },
}));

describe('the preload', () => {
  it('exposes window.api and nothing else, with exactly the LabApi verbs', async () => {
    await import('../../../electron/preload/index');
    expect(exposed.map(([key]) => key)).toEqual(['api']);
    const api = exposed[0]![1] as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([
      'configure', 'deleteRun', 'listRuns', 'loadDataset', 'onEvent', 'onMenuCommand', 'openExternal', 'openModel', 'openRunWeights', 'pause', 'pickDatasetFolder',
      'platform', 'request', 'reset', 'restartTrainer', 'resume', 'runSweep', 'saveExport', 'saveModel', 'setLanguage', 'setLearningRate', 'setPace', 'setWeightDecay', 'startTraining', 'step', 'stepEpoch', 'stop', 'stopSweep',
    ].sort());
    for (const [key, value] of Object.entries(api)) if (key !== 'platform') expect(typeof value, key).toBe('function');
  });
});
