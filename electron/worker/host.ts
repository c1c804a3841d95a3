// The utility process's adapter, as a plain module so it runs under plain Node with a fake parentPort:
// it accepts renderer ports from main ('connect'), validates every incoming message with the contract's
// schema, loads the dataset through node/data, hosts a core TrainingSession and broadcasts its messages.

import { createKernels, DEFAULT_KERNELS } from '../../core/kernels/registry';
import type { Kernels } from '../../core/kernels/types';
import type { FromTrainer, ToTrainer } from '../../core/protocol';
import { TrainingSession, type SessionOptions } from '../../core/session';
import { toTrainerSchema } from '../shared/contract';
import { loadDatasetFromSource, toDatasetError, type DatasetLoader } from './dataset';
import { isParentMessage } from './parent-messages';

/** A port to a renderer (Electron's MessagePortMain, or a fake). */
export interface PortLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  postMessage(message: unknown): void;
  start(): void;
  close(): void;
}

/** The utility process's link to main (process.parentPort, or a fake). */
export interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: PortLike[] }) => void): unknown;
}

/** Options of {@link startWorkerHost}. */
export interface WorkerHostOptions {
  parentPort: ParentPortLike;
  /** Dataset cache folder (from --cache-dir), or null for node/data's default. */
  cacheDir: string | null;
  /** Dataset loader (node/data by default). */
  loadDataset?: DatasetLoader;
  /** Compute kernels (the registry's fast ones by default). */
  createKernels?: (maxBatch: number) => Kernels;
  /** Session tuning (slice length, snapshot rate, initial config). */
  session?: Omit<SessionOptions, 'createKernels'>;
  /** Ends the process (process.exit in production). */
  exit?: (code: number) => void;
}

/** A running host (for tests and shutdown). */
export interface WorkerHost {
  readonly session: TrainingSession;
  /** Ports currently connected. */
  readonly portCount: number;
  /** Handles one message as if it came from a renderer port. */
  handleMessage(data: unknown, from?: PortLike): void;
  /** Closes every port. */
  close(): void;
}

/** Message kinds kept so a renderer that connects late (or reloads) learns the current situation. */
type Sticky = 'datasetProgress' | 'datasetError' | 'ready' | 'state' | 'weights';
const STICKY_ORDER: Sticky[] = ['datasetProgress', 'datasetError', 'ready', 'state', 'weights'];

/** Starts the adapter on a parentPort. */
export function startWorkerHost(opts: WorkerHostOptions): WorkerHost {
  const ports = new Set<PortLike>();
  const sticky = new Map<Sticky, FromTrainer>();
  const loader = opts.loadDataset ?? loadDatasetFromSource;
  let loadGeneration = 0;
  let loadAbort: AbortController | null = null;
  let hasData = false;

  const broadcast = (msg: FromTrainer): void => {
    if ((STICKY_ORDER as string[]).includes(msg.kind)) {
      sticky.set(msg.kind as Sticky, msg);
      if (msg.kind === 'datasetError') sticky.delete('datasetProgress');
      if (msg.kind === 'ready') {
        sticky.delete('datasetProgress');
        sticky.delete('datasetError');
      }
    }
    // Buffers are copied by structured clone: a snapshot is 31 KB, at most ~10 per second.
    for (const port of ports) port.postMessage(msg);
  };

  const session = new TrainingSession(
    {
      post: (msg) => broadcast(msg),
      schedule: (fn, delayMs) => {
        if (delayMs <= 0) setImmediate(fn);
        else setTimeout(fn, delayMs);
      },
      now: () => performance.now(),
    },
    { ...opts.session, createKernels: opts.createKernels ?? ((maxBatch) => createKernels(DEFAULT_KERNELS, maxBatch)) },
  );

  const loadDataset = async (source: Extract<ToTrainer, { kind: 'loadDataset' }>['source']): Promise<void> => {
    const generation = ++loadGeneration;
    loadAbort?.abort();
    const abort = new AbortController();
    loadAbort = abort;
    const current = (): boolean => generation === loadGeneration;
    try {
      const loaded = await loader(source, {
        cacheDir: opts.cacheDir,
        signal: abort.signal,
        onProgress: (progress) => {
          if (current()) broadcast({ kind: 'datasetProgress', progress });
        },
      });
      if (!current()) return;
      hasData = true;
      session.setData(loaded.data, loaded.source);
    } catch (err) {
      if (!current()) return;
      broadcast(toDatasetError(err));
      if (!hasData) session.datasetFailed();
    }
  };

  const reply = (to: PortLike | undefined, msg: FromTrainer): void => {
    if (to) to.postMessage(msg);
    else broadcast(msg);
  };

  const handleMessage = (data: unknown, from?: PortLike): void => {
    const parsed = toTrainerSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const why = `invalid message to the trainer (${issue.path.join('.') || 'message'}: ${issue.message})`;
      const id = (data as { kind?: unknown; id?: unknown } | null)?.kind === 'request' ? (data as { id: unknown }).id : undefined;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) reply(from, { kind: 'reply', id, ok: false, error: why });
      else reply(from, { kind: 'error', message: why });
      return;
    }
    const msg = parsed.data as ToTrainer;
    if (msg.kind === 'loadDataset') void loadDataset(msg.source);
    else session.handle(msg);
  };

  const attach = (port: PortLike): void => {
    ports.add(port);
    port.on('message', (e) => handleMessage(e.data, port));
    port.on('close', () => ports.delete(port));
    port.start();
    for (const kind of STICKY_ORDER) {
      const msg = sticky.get(kind);
      if (msg) port.postMessage(msg);
    }
  };

  const close = (): void => {
    loadAbort?.abort();
    for (const port of ports) port.close();
    ports.clear();
  };

  opts.parentPort.on('message', (e) => {
    if (!isParentMessage(e.data)) return;
    if (e.data.type === 'connect') {
      for (const port of e.ports ?? []) attach(port);
    } else {
      close();
      (opts.exit ?? ((code: number) => process.exit(code)))(0);
    }
  });

  return {
    session,
    get portCount() {
      return ports.size;
    },
    handleMessage,
    close,
  };
}
