// The LabApi implementation behind window.api in Electron, as a plain factory over an ipcRenderer-like
// object so it is unit-tested under Node. Trainer traffic goes over the MessagePort main hands us
// (`trainer:port`); dialogs, files and restarts are typed invokes. No Electron object ever leaks out.

import type {
  FromTrainer,
  InvokeArgs,
  InvokeChannels,
  InvokeResult,
  LabApi,
  LabEvent,
  MenuCommand,
  ToTrainer,
  TrainerCrashed,
  TrainerReplies,
  TrainerRequest,
  UiLanguage,
  Unsubscribe,
} from '../shared/contract';

/** A DOM MessagePort as the preload sees it. */
export interface RendererPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

/** The subset of ipcRenderer used. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: { ports: readonly RendererPort[] }, ...args: unknown[]) => void): unknown;
}

/** Tuning of the bridge. */
export interface LabApiOptions {
  /** How long a trainer request may take before it is rejected, ms (default 60 s). */
  requestTimeoutMs?: number;
  /** Most commands kept while no port is connected yet. */
  maxQueued?: number;
}

/** The Electron LabApi, with the menu hook the app adds. */
export type ElectronLabApi = LabApi & { onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe; setLanguage(language: UiLanguage): void };

interface Pending {
  resolve: (value: never) => void;
  reject: (err: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** Creates window.api over ipcRenderer. */
export function createLabApi(ipc: IpcRendererLike, options: LabApiOptions = {}): ElectronLabApi {
  const timeoutMs = options.requestTimeoutMs ?? 60_000;
  const maxQueued = options.maxQueued ?? 256;
  const listeners = new Set<(event: LabEvent) => void>();
  const menuListeners = new Set<(command: MenuCommand) => void>();
  const pending = new Map<number, Pending>();
  let queue: ToTrainer[] = [];
  let port: RendererPort | null = null;
  let nextId = 1;

  // Events that arrive before anyone listens (the port can beat the page's first onEvent) are kept
  // and handed to the first listener, so the page never misses 'ready' or the first 'state'.
  let early: LabEvent[] | null = [];
  const emit = (event: LabEvent): void => {
    if (listeners.size === 0 && early) {
      if (early.length < 1000) early.push(event);
      return;
    }
    for (const l of [...listeners]) {
      try {
        l(event);
      } catch (err) {
        console.error('a LabApi event listener threw', err);
      }
    }
  };

  const failPending = (why: string): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new Error(why));
      pending.delete(id);
    }
  };

  const onPortMessage = (data: unknown): void => {
    if (typeof data !== 'object' || data === null || typeof (data as { kind?: unknown }).kind !== 'string') return;
    const msg = data as FromTrainer;
    if (msg.kind === 'reply') {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      clearTimeout(p.timer);
      if (msg.ok) p.resolve(msg.result as never);
      else p.reject(new Error(msg.error));
      return;
    }
    emit(msg);
  };

  const post = (msg: ToTrainer): void => {
    if (port) port.postMessage(msg);
    else if (queue.length < maxQueued) queue.push(msg);
  };

  ipc.on('trainer:port', (event) => {
    const next = event.ports[0];
    if (!next) return;
    if (port) {
      failPending('the training process was restarted');
      port.close();
    }
    port = next;
    port.addEventListener('message', (e) => onPortMessage(e.data));
    port.start();
    const queued = queue;
    queue = [];
    for (const msg of queued) port.postMessage(msg);
  });
  ipc.on('trainer:crashed', (_event, payload) => {
    const crashed = payload as TrainerCrashed;
    if (port) {
      port.close();
      port = null;
    }
    failPending(crashed.reason);
    emit({ kind: 'crashed', reason: String(crashed.reason), exitCode: typeof crashed.exitCode === 'number' ? crashed.exitCode : null });
  });
  ipc.on('menu:command', (_event, command) => {
    for (const l of [...menuListeners]) l(command as MenuCommand);
  });

  /** Typed invoke: argument and result types come from the contract's channel map. */
  const invoke = <C extends keyof InvokeChannels>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> =>
    ipc.invoke(channel, ...args) as Promise<InvokeResult<C>>;

  ipc.send('trainer:connect');

  return {
    platform: 'electron',
    onEvent(listener) {
      listeners.add(listener);
      const pendingEarly = early;
      early = null;
      if (pendingEarly && pendingEarly.length > 0) {
        queueMicrotask(() => {
          for (const e of pendingEarly) if (listeners.has(listener)) listener(e);
        });
      }
      return () => void listeners.delete(listener);
    },
    setLanguage: (language) => ipc.send('ui:language', language),
    onMenuCommand(listener) {
      menuListeners.add(listener);
      return () => void menuListeners.delete(listener);
    },
    startTraining: (config) => post(config ? { kind: 'start', config } : { kind: 'start' }),
    pause: () => post({ kind: 'pause' }),
    resume: () => post({ kind: 'resume' }),
    step: () => post({ kind: 'step' }),
    stop: () => post({ kind: 'stop' }),
    reset: (seed) => post(seed === undefined ? { kind: 'reset' } : { kind: 'reset', seed }),
    setLearningRate: (lr) => post({ kind: 'setLearningRate', lr }),
    configure: (patch) => post({ kind: 'configure', patch }),
    setPace: (batchesPerSecond) => post({ kind: 'setPace', batchesPerSecond }),
    loadDataset: (source) => post({ kind: 'loadDataset', source: source ?? { kind: 'default' } }),
    request<K extends TrainerRequest['kind']>(request: Extract<TrainerRequest, { kind: K }>): Promise<TrainerReplies[K]> {
      const id = nextId++;
      return new Promise<TrainerReplies[K]>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the training process did not answer '${request.kind}' within ${Math.round(timeoutMs / 1000)} s`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: never) => void, reject, timer });
        post({ kind: 'request', id, request });
      });
    },
    pickDatasetFolder: () => invoke('dataset:pickFolder'),
    saveModel: (model) => invoke('model:save', model),
    openModel: () => invoke('model:open'),
    saveRun: (run) => invoke('runs:save', run),
    listRuns: () => invoke('runs:list'),
    deleteRun: (id) => invoke('runs:delete', id),
    restartTrainer: () => invoke('trainer:restart'),
    openExternal: (url) => invoke('shell:openExternal', url),
  };
}
