// TrainerHost: the one host of the training process, used by the Electron utility process
// (electron/worker/index.ts) and the browser's Web Worker (renderer/bridge/trainer-host.worker.ts) alike.
// It receives messages on ports, validates them, owns the TrainingSession, loads the dataset through the
// injected loader, replays the latest state to a view that connects late, and posts events. Each entry
// only says how it gets its ports, how it yields, and how it reads bytes. Runtime-neutral: no Node, no DOM.

import { createKernels as createRegistryKernels, DEFAULT_KERNELS } from '../core/kernels/registry';
import type { KernelPool } from '../core/kernels/pool';
import type { Kernels } from '../core/kernels/types';
import type { Dataset, FashionMnist } from '../core/dataset';
import type { DatasetSource, FromTrainer, RunRecord } from '../core/protocol';
import { TrainingSession, type SessionOptions } from '../core/session';
import { toTrainerSchema } from './contract';
import { datasetErrorMessage, type DatasetLoader } from './dataset-loader';

/**
 * A two-way message port to one view (a renderer): Electron's MessagePortMain or a Web Worker's scope,
 * adapted by the entry. Structural, so tests drive the host over Node's MessageChannel.
 */
export interface TrainerPort {
  /** Sends a message; `transfer` lists buffers that may be moved (only ever for a reply to this port). */
  postMessage(message: FromTrainer, transfer?: ArrayBuffer[]): void;
  /** Registers the one listener for incoming messages (each message's data). */
  onMessage(listener: (data: unknown) => void): void;
  /** Registers a listener for the port closing (the view went away), where the port can tell. */
  onClose?(listener: () => void): void;
  /** Closes the port. */
  close?(): void;
}

/** Options of {@link createTrainerHost}. */
export interface TrainerHostOptions {
  /** Loads the dataset for a source (files on disk, or the page's fetch). */
  loadDataset: DatasetLoader;
  /** How to get the files on this host, shown with a dataset error. */
  datasetHelp: string;
  /** Runs fn after delayMs; 0 = as soon as pending messages have been handled (the runtime's fastest yield). */
  schedule: (fn: () => void, delayMs: number) => void;
  /** Monotonic milliseconds (performance.now). */
  now: () => number;
  /** Milliseconds since 1970, for run records (Date.now by default). */
  wallClock?: () => number;
  /**
   * The fast kernels' pool (made on first use; null where there is none), whose memory a load may put the
   * images files' bytes in (KernelPool.allocate, as DatasetLoadContext.allocate). A region there is never
   * handed out twice, so a load that fails cannot touch the dataset in use. Once one dataset fills it, a
   * later load gets ordinary buffers; when it has loaded and been checked, its images are copied over the
   * region of the dataset they replace (same sizes), so the process holds one dataset, not two.
   */
  kernelMemory?: () => Pick<KernelPool, 'allocate' | 'addressOf'> | null;
  /** Compute kernels for a maximum batch size (the registry's default kernels when omitted). */
  createKernels?: (maxBatch: number) => Kernels;
  /** Session tuning: slice length, snapshot rate, the configuration it starts with. */
  session?: Omit<SessionOptions, 'createKernels'>;
  /** Hears every run record (checkpoints and final ones, with the run's latest weights) besides the views, e.g. to store it in main. */
  onRunRecord?: (record: RunRecord, final: boolean, weights: Float32Array) => void;
}

/** A running host. */
export interface TrainerHost {
  /** The session it owns. */
  readonly session: TrainingSession;
  /** Views connected now. */
  readonly portCount: number;
  /** Connects a view: it hears every event from now on, after a replay of the latest state. */
  connect(port: TrainerPort): void;
  /** Handles one message as if it came from `from` (or from no particular view). */
  handleMessage(data: unknown, from?: TrainerPort): void;
  /** Cancels a load under way and closes every port. */
  close(): void;
}

/**
 * `next` with its images moved into the kernels' memory where `prev`'s lie, split by split, when they are
 * in an ordinary buffer and have the same size; else `next` as it is. Called once `next` has loaded and
 * been checked, between batches (no kernel reads the region then): `prev` is replaced at once.
 */
export function intoRegionOf(next: FashionMnist, prev: FashionMnist | null, holds: (bytes: Uint8Array) => boolean): FashionMnist {
  if (!prev) return next;
  const move = (n: Dataset, p: Dataset): Dataset => {
    if (holds(n.images) || !holds(p.images) || n.images.length !== p.images.length) return n;
    p.images.set(n.images);
    return { ...n, images: p.images };
  };
  return { train: move(next.train, prev.train), test: move(next.test, prev.test) };
}

/** Message kinds kept so a view that connects late (or reloads) learns the current situation, in this order. */
const STICKY_ORDER = ['datasetProgress', 'datasetError', 'ready', 'state', 'weights'] as const;
type Sticky = (typeof STICKY_ORDER)[number];
const isSticky = (kind: string): kind is Sticky => (STICKY_ORDER as readonly string[]).includes(kind);

/** Starts a host. It does nothing until a view connects and asks for the dataset. */
export function createTrainerHost(opts: TrainerHostOptions): TrainerHost {
  const ports = new Set<TrainerPort>();
  const sticky = new Map<Sticky, FromTrainer>();
  let requester: TrainerPort | undefined; // the view whose request the session is answering right now
  let loadGeneration = 0;
  let loadAbort: AbortController | null = null;
  let inUse: FashionMnist | null = null; // the dataset the session has
  const memory = opts.kernelMemory;
  const allocate = memory ? (bytes: number): Uint8Array | null => memory()?.allocate(bytes) ?? null : undefined;
  const holds = (bytes: Uint8Array): boolean => (memory?.()?.addressOf(bytes) ?? -1) >= 0;

  const broadcast = (msg: FromTrainer): void => {
    if (isSticky(msg.kind)) {
      sticky.set(msg.kind, msg);
      if (msg.kind === 'datasetError') sticky.delete('datasetProgress');
      if (msg.kind === 'ready') {
        sticky.delete('datasetProgress');
        sticky.delete('datasetError');
      }
    }
    // Structured clone copies buffers for each view (a weight snapshot is 31 KB, at most ~10 per second),
    // so the kept copy stays valid for replays.
    for (const port of ports) port.postMessage(msg);
  };

  const post = (msg: FromTrainer, transfer?: ArrayBuffer[]): void => {
    if (msg.kind === 'reply') {
      // A reply goes to the view that asked (request ids are per view), and may move its buffers.
      if (requester) requester.postMessage(msg, transfer);
      else broadcast(msg);
      return;
    }
    if (msg.kind === 'run') opts.onRunRecord?.(msg.record, msg.final, msg.weights);
    broadcast(msg);
  };

  const session = new TrainingSession(
    { post, schedule: opts.schedule, now: opts.now, ...(opts.wallClock ? { wallClock: opts.wallClock } : {}) },
    { ...opts.session, createKernels: opts.createKernels ?? ((maxBatch) => createRegistryKernels(DEFAULT_KERNELS, maxBatch)) },
  );

  const loadDataset = async (source: DatasetSource): Promise<void> => {
    const generation = ++loadGeneration;
    loadAbort?.abort();
    const abort = new AbortController();
    loadAbort = abort;
    const current = (): boolean => generation === loadGeneration;
    try {
      const loaded = await opts.loadDataset(source, {
        signal: abort.signal,
        ...(allocate ? { allocate } : {}),
        onProgress: (progress) => {
          if (current()) broadcast({ kind: 'datasetProgress', progress });
        },
      });
      if (!current()) return; // a newer load superseded this one
      inUse = memory ? intoRegionOf(loaded.data, inUse, holds) : loaded.data;
      session.setData(inUse, loaded.source);
    } catch (err) {
      if (!current()) return;
      broadcast(datasetErrorMessage(err, opts.datasetHelp));
      if (!inUse) session.datasetFailed();
    }
  };

  const handleMessage = (data: unknown, from?: TrainerPort): void => {
    const parsed = toTrainerSchema.safeParse(data);
    const answer = (msg: FromTrainer): void => (from ? from.postMessage(msg) : broadcast(msg));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const why = `refused an invalid message to the trainer (${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'})`;
      const id = (data as { kind?: unknown; id?: unknown } | null)?.kind === 'request' ? (data as { id: unknown }).id : undefined;
      if (typeof id === 'number' && Number.isInteger(id) && id >= 0) answer({ kind: 'reply', id, ok: false, error: why });
      else answer({ kind: 'error', message: why });
      return;
    }
    const msg = parsed.data;
    if (msg.kind === 'loadDataset') {
      void loadDataset(msg.source);
      return;
    }
    requester = from;
    try {
      session.handle(msg);
    } finally {
      requester = undefined;
    }
  };

  const connect = (port: TrainerPort): void => {
    ports.add(port);
    port.onMessage((data) => handleMessage(data, port));
    port.onClose?.(() => ports.delete(port));
    for (const kind of STICKY_ORDER) {
      const msg = sticky.get(kind);
      if (msg) port.postMessage(msg);
    }
  };

  const close = (): void => {
    loadAbort?.abort();
    for (const port of ports) port.close?.();
    ports.clear();
  };

  return {
    session,
    get portCount() {
      return ports.size;
    },
    connect,
    handleMessage,
    close,
  };
}
