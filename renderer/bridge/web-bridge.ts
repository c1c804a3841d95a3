// LabApi for a plain web page: the trainer host runs in a module Web Worker (trainer-host.worker.ts) and
// the verbs are the shared TrainerClient's (common/trainer-client.ts) over it; models are saved as
// downloads and opened with a file input; run records are kept in localStorage. The Electron preload
// offers the same interface over the same client; the renderer cannot tell them apart.

import { encodeModelFile, parseModelFile, stringifyModelFile } from '../../core/model-file';
import type { LabApi, LabEvent, OpenResult, RunListEntry, RunRecord, SaveResult } from '../../common/contract';
import { isAllowedExternalUrl, runIdSchema, runRecordSchema } from '../../common/contract';
import { TrainerClient, type TrainerClientOptions } from '../../common/trainer-client';

/** localStorage key of the run history. */
export const RUNS_STORAGE_KEY = 'softmax-lab.runs.v2';
/** Runs kept in the history. */
export const MAX_STORED_RUNS = 50;
/** localStorage key of the kept weights (a model file per run id, the newest MAX_STORED_WEIGHTS runs). */
export const WEIGHTS_STORAGE_KEY = 'softmax-lab.run-weights.v1';
/** Runs whose latest weights are kept (a model file is about 150 KB of JSON; localStorage holds ~5 MB). */
export const MAX_STORED_WEIGHTS = 5;

/** What the web bridge needs from the page (injectable for tests). */
export interface WebBridgeOptions {
  /** Creates the trainer worker; `datasetBase` is the URL of the page's /dataset/ route. */
  createWorker?: (datasetBase: string) => Worker;
  storage?: Storage;
  client?: Omit<TrainerClientOptions, 'observe'>;
}

function defaultWorker(datasetBase: string): Worker {
  // Vite bundles the worker from this exact expression; `name` tells it where the dataset route is.
  return new Worker(new URL('./trainer-host.worker.ts', import.meta.url), { type: 'module', name: datasetBase });
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

/** The run history in browser storage: newest first, at most MAX_STORED_RUNS. */
export function createRunStorage(storage: Storage) {
  const read = (): unknown[] => {
    try {
      const raw: unknown = JSON.parse(storage.getItem(RUNS_STORAGE_KEY) ?? '[]');
      return Array.isArray(raw) ? raw : [];
    } catch {
      return [];
    }
  };
  const idOf = (r: unknown): unknown => (r as { id?: unknown } | null)?.id;
  const readWeights = (): [string, string][] => {
    try {
      const raw: unknown = JSON.parse(storage.getItem(WEIGHTS_STORAGE_KEY) ?? '[]');
      return Array.isArray(raw) ? raw.filter((e): e is [string, string] => Array.isArray(e) && typeof e[0] === 'string' && typeof e[1] === 'string') : [];
    } catch {
      return [];
    }
  };
  return {
    /** Keeps a run's latest weights as a model file (newest first, at most MAX_STORED_WEIGHTS runs). */
    saveWeights(run: RunRecord, weights: Float32Array): void {
      const metrics = run.final && run.epochs.length > 0 ? { epochs: run.epochs.length, ...run.final } : null;
      const file = encodeModelFile(weights, { ...run.config, lr: run.lrChanges.at(-1)?.to ?? run.config.lr }, metrics, run.endedAt ?? new Date().toISOString());
      const kept = readWeights().filter(([id]) => id !== run.id);
      kept.unshift([run.id, stringifyModelFile(file)]);
      storage.setItem(WEIGHTS_STORAGE_KEY, JSON.stringify(kept.slice(0, MAX_STORED_WEIGHTS)));
    },
    /** The kept weights of a run, validated like an opened model file. */
    openWeights(id: string): OpenResult {
      const text = readWeights().find(([k]) => k === id)?.[1];
      if (!text) return { opened: false, reason: 'error', message: `no weights are kept for ${id}` };
      try {
        return { opened: true, path: `${id}.model.json`, model: parseModelFile(text, `${id}.model.json`).file };
      } catch (err) {
        return { opened: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    /** Saves (or replaces) a run after validating it. */
    save(run: RunRecord): void {
      const valid = runRecordSchema.parse(run);
      const runs = read().filter((r) => idOf(r) !== valid.id);
      runs.unshift(valid);
      storage.setItem(RUNS_STORAGE_KEY, JSON.stringify(runs.slice(0, MAX_STORED_RUNS)));
    },
    list(): RunListEntry[] {
      const withWeights = new Set(readWeights().map(([id]) => id));
      return read().map((raw, i): RunListEntry => {
        const parsed = runRecordSchema.safeParse(raw);
        if (parsed.success) return { ok: true, run: parsed.data, hasWeights: withWeights.has(parsed.data.id) };
        const id = typeof idOf(raw) === 'string' ? String(idOf(raw)) : `entry-${i}`;
        return { ok: false, id, error: parsed.error.issues[0]?.message ?? 'invalid' };
      });
    },
    delete(id: string): void {
      runIdSchema.parse(id);
      storage.setItem(RUNS_STORAGE_KEY, JSON.stringify(read().filter((r) => idOf(r) !== id)));
      storage.setItem(WEIGHTS_STORAGE_KEY, JSON.stringify(readWeights().filter(([k]) => k !== id)));
    },
  };
}

/** Creates the web implementation of window.api. The worker starts at once; call loadDataset() to load. */
export function createWebBridge(opts: WebBridgeOptions = {}): LabApi {
  const createWorker = opts.createWorker ?? defaultWorker;
  const runs = createRunStorage(opts.storage ?? window.localStorage);
  const datasetBase = new URL('dataset/', document.baseURI).href;
  let openRun: { record: RunRecord; weights: Float32Array } | null = null; // the last checkpoint of the run under way
  let lastSource: Parameters<LabApi['loadDataset']>[0] = { kind: 'default' };
  let worker: Worker | null = null;

  // The side that stores on the web: run records are kept as they arrive, before any listener sees them.
  const store = (record: RunRecord, weights: Float32Array | null): void => {
    try {
      runs.save(record);
      if (weights) runs.saveWeights(record, weights);
      queueMicrotask(() => client.emit({ kind: 'historyChanged' }));
    } catch (err) {
      console.error('could not store a run record', err);
    }
  };
  const client: TrainerClient = new TrainerClient({
    ...opts.client,
    observe: (e: LabEvent) => {
      if (e.kind !== 'run') return;
      openRun = e.final ? null : { record: e.record, weights: e.weights };
      store(e.record, e.weights);
    },
  });

  const crashed = (reason: string): void => {
    worker?.terminate();
    worker = null;
    if (openRun) store({ ...openRun.record, outcome: 'crashed', note: reason, endedAt: new Date().toISOString() }, openRun.weights);
    openRun = null;
    client.crashed({ kind: 'crashed', reason, exitCode: null });
  };

  const start = (): void => {
    const w = createWorker(datasetBase);
    w.onmessage = (ev: MessageEvent) => client.receive(ev.data);
    w.onerror = (ev: ErrorEvent) => {
      ev.preventDefault();
      crashed(`the trainer worker crashed: ${ev.message || 'unknown error'}`);
    };
    w.onmessageerror = () => crashed('the trainer worker sent a message that could not be read');
    worker = w;
    client.attach({ postMessage: (m, transfer) => w.postMessage(m, transfer ?? []) });
  };

  start();
  const verbs = client.verbs();

  return {
    platform: 'web',
    ...verbs,
    loadDataset(source = { kind: 'default' }) {
      lastSource = source;
      // Picked bytes are copied, not transferred: a restart after a crash sends them again.
      verbs.loadDataset(source);
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
    listRuns: async () => runs.list(),
    openRunWeights: async (id) => runs.openWeights(id),
    async deleteRun(id) {
      runs.delete(id);
      client.emit({ kind: 'historyChanged' });
    },
    async restartTrainer() {
      worker?.terminate();
      worker = null;
      start();
      verbs.loadDataset(lastSource);
    },
    async openExternal(url) {
      if (isAllowedExternalUrl(url)) window.open(url, '_blank', 'noopener,noreferrer');
    },
  };
}
