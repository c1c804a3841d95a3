// The trainer as a Web Worker (the web build's stand-in for Electron's utility process): hosts the pure
// TrainingSession, validates every incoming message, loads the dataset (local route or picked bytes),
// and yields between time slices through a MessageChannel so commands are handled between batches.

import { TrainingSession, type SessionHost } from '../../core/session';
import { createKernels, DEFAULT_KERNELS } from '../../core/kernels/registry';
import type { DatasetSource, FromTrainer } from '../../core/protocol';
import { toTrainerSchema } from '../../electron/shared/contract';
import { DATASET_HELP, DatasetLoadError, datasetFromBytes, datasetFromRoute } from './dataset-fetch';

interface WorkerScope {
  name: string;
  postMessage(msg: unknown, transfer?: Transferable[]): void;
  onmessage: ((ev: MessageEvent) => void) | null;
}
const scope = self as unknown as WorkerScope;

// Zero-delay continuations through a MessageChannel: unlike setTimeout(0) they are not clamped to
// 4 ms, and unlike microtasks they let queued commands (pause, lr) run between slices.
const channel = new MessageChannel();
const soon: (() => void)[] = [];
channel.port1.onmessage = () => soon.shift()?.();

const host: SessionHost = {
  post: (msg: FromTrainer, transfer?: ArrayBuffer[]) => scope.postMessage(msg, transfer ?? []),
  schedule(fn, delayMs) {
    if (delayMs <= 0) {
      soon.push(fn);
      channel.port2.postMessage(0);
    } else setTimeout(fn, delayMs);
  },
  now: () => performance.now(),
};

const session = new TrainingSession(host, { createKernels: (maxBatch) => createKernels(DEFAULT_KERNELS, maxBatch) });

/** Where the page's dataset route is; the bridge passes it as the worker's name. */
const datasetBase = scope.name || new URL('../dataset/', location.href).href;
let loadGeneration = 0;

async function loadDataset(source: DatasetSource): Promise<void> {
  const generation = ++loadGeneration;
  try {
    let result;
    if (source.kind === 'bytes') {
      host.post({ kind: 'datasetProgress', progress: { phase: 'parsing', from: 'picked files' } });
      result = { data: await datasetFromBytes(source.files), source: 'the files you picked' };
    } else if (source.kind === 'dir') {
      throw new DatasetLoadError('a web page cannot read a folder by its path', 'unsupported', [source.path]);
    } else {
      result = await datasetFromRoute(datasetBase, (progress) => host.post({ kind: 'datasetProgress', progress }), host.now);
    }
    if (generation !== loadGeneration) return; // a newer load superseded this one
    session.setData(result.data, result.source);
  } catch (err) {
    if (generation !== loadGeneration) return;
    session.datasetFailed();
    const e = err instanceof DatasetLoadError ? err : new DatasetLoadError(err instanceof Error ? err.message : String(err), 'invalid', []);
    host.post({ kind: 'datasetError', message: e.message, code: e.code, lookedIn: e.lookedIn, help: DATASET_HELP });
  }
}

scope.onmessage = (ev: MessageEvent) => {
  const parsed = toTrainerSchema.safeParse(ev.data);
  if (!parsed.success) {
    host.post({ kind: 'error', message: `refused a malformed message: ${parsed.error.issues[0]?.message ?? 'invalid'}` });
    return;
  }
  const msg = parsed.data;
  if (msg.kind === 'loadDataset') void loadDataset(msg.source);
  else session.handle(msg);
};
