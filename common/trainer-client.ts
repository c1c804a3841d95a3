// TrainerClient: the one client of the training process, used by the Electron preload (over the
// MessagePort main hands it) and the web bridge (over the Web Worker) alike. It owns request ids and their
// timeouts, queues commands until a port is attached, keeps events that arrive before anyone listens,
// validates every message it receives against the contract (never a cast), and offers the LabApi verbs.
// After a crash, a new training process is given the configuration and pace the crashed one reported.

import type { LabApi, LabEvent, ToTrainer, TrainerCrashed, TrainerReplies, TrainerRequest, TrainConfig, Unsubscribe } from './contract';
import { fromTrainerSchema, replySchemas } from './contract';

/** What the client needs of a port to the training process. */
export interface ClientPort {
  postMessage(message: ToTrainer, transfer?: ArrayBuffer[]): void;
  /** Closes the port (when it is replaced or the process crashed). */
  close?(): void;
}

/** Tuning of a client. */
export interface TrainerClientOptions {
  /** How long a request may take before it is rejected, ms (default 60 s). */
  requestTimeoutMs?: number;
  /** Most commands kept while no port is attached. */
  maxQueued?: number;
  /** Most events kept for the first listener. */
  maxEarlyEvents?: number;
  /** Hears messages that failed validation (default: console.error). */
  onInvalid?: (why: string) => void;
  /** Sees every event first, whether or not anyone listens yet (the web bridge stores run records here). */
  observe?: (event: LabEvent) => void;
}

/** The verbs of LabApi that the training process answers. */
export type TrainerVerbs = Pick<LabApi, 'onEvent' | 'startTraining' | 'pause' | 'resume' | 'step' | 'stepEpoch' | 'stop' | 'reset' | 'setLearningRate' | 'setWeightDecay' | 'configure' | 'setPace' | 'runSweep' | 'stopSweep' | 'request' | 'loadDataset'>;

interface Pending {
  kind: TrainerRequest['kind'];
  resolve: (value: never) => void;
  reject: (err: Error) => void;
  timer: unknown;
}

const g = globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown; clearTimeout(h: unknown): void; queueMicrotask(fn: () => void): void; console: { error(...a: unknown[]): void } };

/** The client. Create one per page; attach a port when one arrives. */
export class TrainerClient {
  private readonly timeoutMs: number;
  private readonly maxQueued: number;
  private readonly maxEarly: number;
  private readonly onInvalid: (why: string) => void;
  private readonly observe: ((event: LabEvent) => void) | undefined;
  private readonly listeners = new Set<(event: LabEvent) => void>();
  private readonly pending = new Map<number, Pending>();
  private early: LabEvent[] | null = [];
  private queue: { msg: ToTrainer; transfer?: ArrayBuffer[] }[] = [];
  private port: ClientPort | null = null;
  private nextId = 1;
  /** The configuration and pace the training process last reported, restored into a replacement. */
  private lastConfig: TrainConfig | null = null;
  private lastPace: number | null = null;
  private crashedSinceAttach = false;

  constructor(options: TrainerClientOptions = {}) {
    this.timeoutMs = options.requestTimeoutMs ?? 60_000;
    this.maxQueued = options.maxQueued ?? 256;
    this.maxEarly = options.maxEarlyEvents ?? 1000;
    this.onInvalid = options.onInvalid ?? ((why) => g.console.error(why));
    this.observe = options.observe;
  }

  /** True while a port is attached. */
  get connected(): boolean {
    return this.port !== null;
  }

  /**
   * Attaches a (new) port: requests in flight on an older one fail, a replacement for a crashed process
   * gets the last configuration and pace first, then queued commands are sent in order.
   */
  attach(port: ClientPort): void {
    if (this.port) {
      this.failPending('the training process was restarted');
      this.port.close?.();
    }
    this.port = port;
    if (this.crashedSinceAttach && this.lastConfig) {
      port.postMessage({ kind: 'configure', patch: this.lastConfig });
      if (this.lastPace !== null) port.postMessage({ kind: 'setPace', batchesPerSecond: this.lastPace });
    }
    this.crashedSinceAttach = false;
    const queued = this.queue;
    this.queue = [];
    for (const q of queued) port.postMessage(q.msg, q.transfer);
  }

  /** The training process went away: forget its port, fail requests in flight, tell the listeners. */
  crashed(crash: TrainerCrashed): void {
    this.port?.close?.();
    this.port = null;
    this.crashedSinceAttach = true;
    this.failPending(crash.reason);
    this.emit(crash);
  }

  /** Handles one message from the training process: validated, then a reply or an event. */
  receive(data: unknown): void {
    const parsed = fromTrainerSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      this.onInvalid(`ignored an invalid message from the training process (${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'})`);
      return;
    }
    const msg = parsed.data;
    if (msg.kind === 'reply') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      g.clearTimeout(p.timer);
      if (!msg.ok) return p.reject(new Error(msg.error));
      const result = replySchemas[p.kind].safeParse(msg.result);
      if (result.success) p.resolve(result.data as never);
      else p.reject(new Error(`the training process answered '${p.kind}' with an invalid result (${result.error.issues[0]?.message ?? 'invalid'})`));
      return;
    }
    if (msg.kind === 'state') {
      this.lastConfig = msg.config;
      this.lastPace = msg.pace;
    }
    this.emit(msg);
  }

  /** Hands an event to every listener (the first listener also gets the ones that came before it). */
  emit(event: LabEvent): void {
    this.observe?.(event);
    if (this.listeners.size === 0 && this.early) {
      if (this.early.length < this.maxEarly) this.early.push(event);
      return;
    }
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        g.console.error('a LabApi event listener threw', err);
      }
    }
  }

  /** Sends a command now, or when a port is attached. */
  send(msg: ToTrainer, transfer?: ArrayBuffer[]): void {
    if (this.port) this.port.postMessage(msg, transfer);
    else if (this.queue.length < this.maxQueued) this.queue.push({ msg, ...(transfer ? { transfer } : {}) });
  }

  /** Sends a request and resolves with its validated result; rejects on a failed reply, a crash or the timeout. */
  request<K extends TrainerRequest['kind']>(request: Extract<TrainerRequest, { kind: K }>): Promise<TrainerReplies[K]> {
    if (!this.port && this.crashedSinceAttach) return Promise.reject(new Error('the training process is not running (it stopped unexpectedly): restart it first'));
    const id = this.nextId++;
    return new Promise<TrainerReplies[K]>((resolve, reject) => {
      const timer = g.setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`the training process did not answer '${request.kind}' within ${Math.round(this.timeoutMs / 1000)} s`));
      }, this.timeoutMs);
      this.pending.set(id, { kind: request.kind, resolve: resolve as (v: never) => void, reject, timer });
      this.send({ kind: 'request', id, request });
    });
  }

  /** Fails every request in flight with `why`. */
  failPending(why: string): void {
    for (const [id, p] of this.pending) {
      g.clearTimeout(p.timer);
      p.reject(new Error(why));
      this.pending.delete(id);
    }
  }

  /** The LabApi verbs over this client. */
  verbs(): TrainerVerbs {
    return {
      onEvent: (listener): Unsubscribe => {
        this.listeners.add(listener);
        const early = this.early;
        this.early = null;
        if (early && early.length > 0) {
          g.queueMicrotask(() => {
            for (const e of early) if (this.listeners.has(listener)) listener(e);
          });
        }
        return () => void this.listeners.delete(listener);
      },
      startTraining: (config) => this.send(config ? { kind: 'start', config } : { kind: 'start' }),
      pause: () => this.send({ kind: 'pause' }),
      resume: () => this.send({ kind: 'resume' }),
      step: () => this.send({ kind: 'step' }),
      stepEpoch: () => this.send({ kind: 'stepEpoch' }),
      stop: () => this.send({ kind: 'stop' }),
      reset: (seed) => this.send(seed === undefined ? { kind: 'reset' } : { kind: 'reset', seed }),
      setLearningRate: (lr, options) => this.send(options?.commit === false ? { kind: 'setLearningRate', lr, commit: false } : { kind: 'setLearningRate', lr }),
      setWeightDecay: (weightDecay, options) => this.send(options?.commit === false ? { kind: 'setWeightDecay', weightDecay, commit: false } : { kind: 'setWeightDecay', weightDecay }),
      configure: (patch) => this.send({ kind: 'configure', patch }),
      setPace: (batchesPerSecond) => this.send({ kind: 'setPace', batchesPerSecond }),
      runSweep: (plan) => this.send({ kind: 'sweep', ...plan }),
      stopSweep: () => this.send({ kind: 'stopSweep' }),
      request: (request) => this.request(request),
      loadDataset: (source) => this.send({ kind: 'loadDataset', source: source ?? { kind: 'default' } }),
    };
  }
}
