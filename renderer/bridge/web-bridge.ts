// LabApi for a plain web page: the trainer runs in a module Web Worker (trainer.worker.ts), models are
// saved as downloads and opened with a file input, and the run history lives in localStorage. The
// Electron preload implements the same interface with IPC; the renderer cannot tell them apart.

import { parseModelFile, stringifyModelFile } from '../../core/model-file';
import type { DatasetSource, FromTrainer, LabApi, LabEvent, OpenResult, RunListEntry, RunRecord, SaveResult, ToTrainer, TrainerReplies, TrainerRequest } from '../../electron/shared/contract';
import { isAllowedExternalUrl, runIdSchema, runRecordSchema } from '../../electron/shared/contract';

/** localStorage key of the run history. */
export const RUNS_STORAGE_KEY = 'softmax-lab.runs.v1';
/** Runs kept in the history. */
export const MAX_STORED_RUNS = 50;

/** What the web bridge needs from the page (injectable for tests). */
export interface WebBridgeOptions {
  /** Creates the trainer worker; `datasetBase` is the URL of the page's /dataset/ route. */
  createWorker?: (datasetBase: string) => Worker;
  storage?: Storage;
}

function defaultWorker(datasetBase: string): Worker {
  // Vite bundles the worker from this exact expression; `name` tells it where the dataset route is.
  return new Worker(new URL('./trainer.worker.ts', import.meta.url), { type: 'module', name: datasetBase });
}

function pickFile(accept: string): Promise<File | null> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.accept = accept;
    input.addEventListener('change', () => resolve(input.files?.[0] ?? null), { once: true });
    input.addEventListener('cancel', () => resolve(null), { once: true });
    input.click();
  });
}

/** Creates the web implementation of window.api. The worker starts at once; call loadDataset() to load. */
export function createWebBridge(opts: WebBridgeOptions = {}): LabApi {
  const createWorker = opts.createWorker ?? defaultWorker;
  const storage = opts.storage ?? window.localStorage;
  const datasetBase = new URL('dataset/', document.baseURI).href;
  const listeners = new Set<(e: LabEvent) => void>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let nextId = 1;
  let lastSource: DatasetSource | null = null;
  let worker: Worker | null = null;

  const emit = (e: LabEvent): void => {
    for (const l of listeners) l(e);
  };

  const crashed = (reason: string): void => {
    worker?.terminate();
    worker = null;
    for (const p of pending.values()) p.reject(new Error(reason));
    pending.clear();
    emit({ kind: 'crashed', reason, exitCode: null });
  };

  const start = (): void => {
    const w = createWorker(datasetBase);
    w.onmessage = (ev: MessageEvent<FromTrainer>) => {
      const msg = ev.data;
      if (!msg || typeof msg !== 'object' || typeof msg.kind !== 'string') return;
      if (msg.kind === 'reply') {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new Error(msg.error));
        return;
      }
      emit(msg);
    };
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      crashed(`the trainer worker crashed: ${ev.message || 'unknown error'}`);
    };
    w.onmessageerror = () => crashed('the trainer worker sent a message that could not be read');
    worker = w;
  };

  const send = (msg: ToTrainer, transfer: Transferable[] = []): void => {
    worker?.postMessage(msg, transfer);
  };

  const readRuns = (): unknown[] => {
    try {
      const raw: unknown = JSON.parse(storage.getItem(RUNS_STORAGE_KEY) ?? '[]');
      return Array.isArray(raw) ? raw : [];
    } catch {
      return [];
    }
  };

  start();

  return {
    platform: 'web',
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    startTraining: (config) => send(config ? { kind: 'start', config } : { kind: 'start' }),
    pause: () => send({ kind: 'pause' }),
    resume: () => send({ kind: 'resume' }),
    step: () => send({ kind: 'step' }),
    stop: () => send({ kind: 'stop' }),
    reset: (seed) => send(seed === undefined ? { kind: 'reset' } : { kind: 'reset', seed }),
    setLearningRate: (lr) => send({ kind: 'setLearningRate', lr }),
    configure: (patch) => {
      const { lr, ...rest } = patch;
      send({ kind: 'configure', patch: rest });
      if (lr !== undefined) send({ kind: 'setLearningRate', lr });
    },
    setPace: (batchesPerSecond) => send({ kind: 'setPace', batchesPerSecond }),
    request<K extends TrainerRequest['kind']>(request: Extract<TrainerRequest, { kind: K }>): Promise<TrainerReplies[K]> {
      if (!worker) return Promise.reject(new Error('the trainer is not running'));
      const id = nextId++;
      return new Promise<TrainerReplies[K]>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        send({ kind: 'request', id, request } as ToTrainer);
      });
    },
    loadDataset(source = { kind: 'default' }) {
      lastSource = source;
      // Picked bytes are copied, not transferred: a restart after a crash sends them again.
      send({ kind: 'loadDataset', source });
    },
    pickDatasetFolder: async () => null,
    async saveModel(model): Promise<SaveResult> {
      try {
        const blob = new Blob([stringifyModelFile(model)], { type: 'application/json' });
        const url = URL.createObjectURL(blob);
        const a = document.createElement('a');
        const name = `softmax-lab-model-${model.createdAt.replace(/[:.]/g, '-')}.json`;
        a.href = url;
        a.download = name;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        return { saved: true, path: name };
      } catch (err) {
        return { saved: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    async openModel(): Promise<OpenResult> {
      const file = await pickFile('.json,application/json');
      if (!file) return { opened: false, reason: 'cancelled' };
      try {
        const { file: model } = parseModelFile(await file.text(), file.name);
        return { opened: true, path: file.name, model };
      } catch (err) {
        return { opened: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    async saveRun(run: RunRecord) {
      const valid = runRecordSchema.parse(run);
      const runs = readRuns().filter((r) => (r as { id?: unknown }).id !== valid.id);
      runs.unshift(valid);
      storage.setItem(RUNS_STORAGE_KEY, JSON.stringify(runs.slice(0, MAX_STORED_RUNS)));
    },
    async listRuns(): Promise<RunListEntry[]> {
      return readRuns().map((raw, i): RunListEntry => {
        const parsed = runRecordSchema.safeParse(raw);
        if (parsed.success) return { ok: true, run: parsed.data };
        const id = typeof (raw as { id?: unknown })?.id === 'string' ? String((raw as { id: string }).id) : `entry-${i}`;
        return { ok: false, id, error: parsed.error.issues[0]?.message ?? 'invalid' };
      });
    },
    async deleteRun(id) {
      runIdSchema.parse(id);
      storage.setItem(RUNS_STORAGE_KEY, JSON.stringify(readRuns().filter((r) => (r as { id?: unknown }).id !== id)));
    },
    async restartTrainer() {
      worker?.terminate();
      worker = null;
      for (const p of pending.values()) p.reject(new Error('the trainer was restarted'));
      pending.clear();
      start();
      send({ kind: 'loadDataset', source: lastSource ?? { kind: 'default' } });
    },
    async openExternal(url) {
      if (isAllowedExternalUrl(url)) window.open(url, '_blank', 'noopener,noreferrer');
    },
  };
}
