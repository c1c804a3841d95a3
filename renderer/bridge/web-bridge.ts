// LabApi for a plain web page: the trainer host runs in a module Web Worker (trainer-host.worker.ts) and
// the verbs are the shared TrainerClient's (common/trainer-client.ts) over it; models are saved as
// downloads and opened with a file input, exports (report, NumPy, ONNX, CSV) are downloads too; run
// records are kept in localStorage. The Electron preload
// offers the same interface over the same client; the renderer cannot tell them apart.

import { parseModelFile, runModelFile, stringifyModelFile } from '../../core/model-file';
import type { LabApi, LabEvent, OpenResult, RunListEntry, RunRecord, SaveResult } from '../../common/contract';
import { EXPORT_FORMATS, exportFileSchema, isAllowedExternalUrl, runIdSchema, runRecordSchema } from '../../common/contract';
import { TrainerClient, type TrainerClientOptions } from '../../common/trainer-client';

/** localStorage key of the run history's index (ids, newest first); each run has a key of its own. */
export const RUNS_STORAGE_KEY = 'softmax-lab.runs.v3';
/** The key of one stored run record. */
export const runKey = (id: string): string => `softmax-lab.run.${id}`;
/** The key of one run's kept weights (a model file). */
export const weightsKey = (id: string): string => `softmax-lab.run-weights.${id}`;
/** Runs kept in the history (a record with its sampled batches is up to ~150 KB; localStorage holds ~5 MB). */
export const MAX_STORED_RUNS = 20;
/** Runs whose latest weights are kept (a model file is about 150 KB of JSON). */
export const MAX_STORED_WEIGHTS = 5;

/** What the web bridge needs from the page (injectable for tests). */
export interface WebBridgeOptions {
  /** Creates the trainer worker; `datasetBase` is the URL of the page's /dataset/ route. */
  createWorker?: (datasetBase: string) => Worker;
  storage?: Storage;
  client?: Omit<TrainerClientOptions, 'observe'>;
  /** Runs storage work after the message that asked for it (a timeout by default: never inside the message handler). */
  later?: (fn: () => void) => void;
}

/**
 * What the trainer worker posts beside the protocol, before a finished run's record: the run's weights
 * as model-file text (its SHA-256 and JSON made in the worker, so the window's thread only stores them);
 * null when they cannot be kept (not finite).
 */
export interface RunModelFileMessage {
  type: 'runModelFile';
  id: string;
  text: string | null;
}

function isRunModelFileMessage(m: unknown): m is RunModelFileMessage {
  const v = m as Partial<RunModelFileMessage> | null;
  return typeof v === 'object' && v !== null && v.type === 'runModelFile' && typeof v.id === 'string' && (v.text === null || typeof v.text === 'string');
}

function defaultWorker(datasetBase: string): Worker {
  // Vite bundles the worker from this exact expression; `name` tells it where the dataset route is.
  return new Worker(new URL('./trainer-host.worker.ts', import.meta.url), { type: 'module', name: datasetBase });
}

/** Offers `blob` as a download named `name` (the page's way to save a file). */
function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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

/**
 * The run history in browser storage: an index of ids (newest first) and one key per run, so storing a
 * run writes that run only; at most MAX_STORED_RUNS runs, the weights of the newest MAX_STORED_WEIGHTS.
 * When the storage is full, the oldest runs make room.
 */
export function createRunStorage(storage: Storage) {
  const readIndex = (): string[] => {
    try {
      const raw: unknown = JSON.parse(storage.getItem(RUNS_STORAGE_KEY) ?? '[]');
      return Array.isArray(raw) ? raw.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  };
  const writeIndex = (ids: string[]): void => storage.setItem(RUNS_STORAGE_KEY, JSON.stringify(ids));
  // Parsed records by id, with the text they were parsed from (listing the history again parses only what changed).
  const parsedRuns = new Map<string, { text: string; entry: RunListEntry }>();
  const drop = (id: string): void => {
    storage.removeItem(runKey(id));
    storage.removeItem(weightsKey(id));
  };
  /** Sets a key; when the storage is full, drops the oldest runs (never `keep`) and tries again. */
  const setWithRoom = (key: string, value: string, keep: string): void => {
    for (;;) {
      try {
        storage.setItem(key, value);
        return;
      } catch (err) {
        const ids = readIndex();
        const oldest = [...ids].reverse().find((id) => id !== keep);
        if (!oldest) throw err;
        drop(oldest);
        writeIndex(ids.filter((id) => id !== oldest));
      }
    }
  };
  return {
    /** Saves (or replaces) a run after validating it. */
    save(run: RunRecord): void {
      const valid = runRecordSchema.parse(run);
      setWithRoom(runKey(valid.id), JSON.stringify(valid), valid.id);
      const ids = [valid.id, ...readIndex().filter((id) => id !== valid.id)];
      for (const old of ids.slice(MAX_STORED_RUNS)) drop(old);
      writeIndex(ids.slice(0, MAX_STORED_RUNS));
    },
    /**
     * Keeps a run's latest weights as a model file (for the newest MAX_STORED_WEIGHTS runs only): its text
     * as the trainer worker made it, or made here from the parameters.
     */
    saveWeights(run: RunRecord, weights: Float32Array | string): void {
      const text = typeof weights === 'string' ? weights : stringifyModelFile(runModelFile(run, weights, new Date().toISOString()));
      setWithRoom(weightsKey(run.id), text, run.id);
      readIndex().slice(MAX_STORED_WEIGHTS).forEach((id) => storage.removeItem(weightsKey(id)));
    },
    /** The kept weights of a run, validated like an opened model file. */
    openWeights(id: string): OpenResult {
      const text = storage.getItem(weightsKey(runIdSchema.parse(id)));
      if (!text) return { opened: false, reason: 'error', message: `no weights are kept for ${id}` };
      try {
        return { opened: true, path: `${id}.model.json`, model: parseModelFile(text, `${id}.model.json`).file };
      } catch (err) {
        return { opened: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    /** The stored runs, newest first; a record whose text has not changed since the last look is not parsed again. */
    list(): RunListEntry[] {
      const ids = readIndex();
      for (const id of [...parsedRuns.keys()]) if (!ids.includes(id)) parsedRuns.delete(id);
      return ids.map((id): RunListEntry => {
        const text = storage.getItem(runKey(id)) ?? 'null';
        const hasWeights = storage.getItem(weightsKey(id)) !== null;
        const known = parsedRuns.get(id);
        if (known?.text === text) return known.entry.ok ? { ...known.entry, hasWeights } : known.entry;
        let entry: RunListEntry;
        try {
          const parsed = runRecordSchema.safeParse(JSON.parse(text));
          entry = parsed.success ? { ok: true, run: parsed.data, hasWeights } : { ok: false, id, error: parsed.error.issues[0]?.message ?? 'invalid' };
        } catch {
          entry = { ok: false, id, error: 'not valid JSON (truncated or damaged)' };
        }
        parsedRuns.set(id, { text, entry });
        return entry;
      });
    },
    delete(id: string): void {
      runIdSchema.parse(id);
      drop(id);
      writeIndex(readIndex().filter((k) => k !== id));
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

  const later = opts.later ?? ((fn: () => void) => void setTimeout(fn, 0));
  // Model-file texts the worker made for finished runs, until their records come (right after).
  const modelFiles = new Map<string, string | null>();
  // The side that stores on the web: a run is stored when it ends (or its worker crashes), never inside
  // the message handler: the record, its weights and the history's refresh each in a task of their own,
  // so none is a long task. The checkpoints sent at each epoch end stay in memory (openRun) until then.
  const store = (record: RunRecord, weights: Float32Array | string | null): void => {
    const guarded = (what: string, fn: () => void) => () => {
      try {
        fn();
      } catch (err) {
        console.error(`could not store ${what} of run ${record.id}`, err);
      }
    };
    later(guarded('the record', () => runs.save(record)));
    if (weights !== null) later(guarded('the weights', () => runs.saveWeights(record, weights)));
    later(() => client.emit({ kind: 'historyChanged' }));
  };
  const client: TrainerClient = new TrainerClient({
    ...opts.client,
    observe: (e: LabEvent) => {
      if (e.kind !== 'run') return;
      openRun = e.final ? null : { record: e.record, weights: e.weights };
      if (!e.final) return;
      const text = modelFiles.get(e.record.id);
      modelFiles.delete(e.record.id);
      // The worker's text, or (a worker that sent none) the weights, made into a file here.
      store(e.record, text === undefined ? e.weights : text);
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
    w.onmessage = (ev: MessageEvent) => {
      if (isRunModelFileMessage(ev.data)) modelFiles.set(ev.data.id, ev.data.text);
      else client.receive(ev.data);
    };
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
        const name = `softmax-lab-model-${model.createdAt.replace(/[:.]/g, '-')}.json`;
        download(new Blob([stringifyModelFile(model)], { type: 'application/json' }), name);
        return { saved: true, path: name };
      } catch (err) {
        return { saved: false, reason: 'error', message: err instanceof Error ? err.message : String(err) };
      }
    },
    async saveExport(file): Promise<SaveResult> {
      // The same checks main makes before it writes: the page offers only what the file claims to be.
      const parsed = exportFileSchema.safeParse(file);
      if (!parsed.success) return { saved: false, reason: 'error', message: `the export is invalid (${parsed.error.issues[0]?.message ?? 'invalid'})` };
      const { format, name, data } = parsed.data;
      const spec = EXPORT_FORMATS[format];
      download(new Blob([data as BlobPart], { type: spec.text ? `${spec.mime};charset=utf-8` : spec.mime }), name);
      return { saved: true, path: name };
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
