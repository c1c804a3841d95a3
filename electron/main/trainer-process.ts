// TrainerProcess: the one owner of the training utility process (after VS Code's utilityProcess.ts).
// It starts it through an injected fork, stops it with a timeout and then kills it, detects crashes
// (the app's 'child-process-gone' filtered by service name, and unexpected exits), restarts on request,
// and connects renderers with a MessageChannel so progress skips the main process. It never trains.

import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { runRecordSchema, type RunRecord, type TrainerCrashed } from '../../common/contract';
import { allFinite } from '../../core/model';
import { NUM_PARAMS } from '../../core/shapes';
import type { ParentMessage } from '../worker/parent-messages';
import { postPortToRenderer, sendToRenderer, type RendererTarget } from './ipc';

/** The subset of Electron's UtilityProcess this class uses. */
export interface UtilityChild<P = unknown> {
  readonly pid: number | undefined;
  postMessage(message: ParentMessage, transfer?: P[]): void;
  kill(): boolean;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'spawn', listener: () => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Options handed to the fork function. */
export interface ForkOptions {
  serviceName: string;
  env?: Record<string, string | undefined>;
  stdio?: 'inherit' | 'pipe' | 'ignore';
}

/** utilityProcess.fork in production, a fake in tests. */
export type ForkFn<P = unknown> = (modulePath: string, args: string[], options: ForkOptions) => UtilityChild<P>;

/** What Electron says about a gone child process (the fields we read). */
export interface ChildGoneDetails {
  type: string;
  reason: string;
  exitCode: number;
  serviceName?: string;
}

/** The app object, for 'child-process-gone'. */
export interface ChildGoneSource {
  on(event: 'child-process-gone', listener: (event: unknown, details: ChildGoneDetails) => void): unknown;
  removeListener(event: 'child-process-gone', listener: (event: unknown, details: ChildGoneDetails) => void): unknown;
}

/** A renderer a port can be handed to (the subset of WebContents used). */
export interface PortTarget<P = unknown> extends RendererTarget<P> {
  readonly id: number;
  once(event: 'destroyed', listener: () => void): unknown;
}

/** Typed configuration of a TrainerProcess. */
export interface TrainerProcessConfig<P = unknown> {
  /** The bundled worker entry (`import workerPath from '../worker/index?modulePath'`). */
  modulePath: string;
  /** Names the process in 'child-process-gone' and the task manager. */
  serviceName: string;
  /** Extra argv for the worker (e.g. `--cache-dir=…`). */
  args?: string[];
  /** Environment of the worker (process.env when omitted). */
  env?: Record<string, string | undefined>;
  /** How long a stop waits for a clean exit before killing, ms (default 2000). */
  stopTimeoutMs?: number;
  /** Starts the process. */
  fork: ForkFn<P>;
  /** Emits 'child-process-gone' (Electron's app). */
  appEvents: ChildGoneSource;
  /** Creates a MessageChannelMain. */
  createChannel: () => { port1: P; port2: P };
  /** Diagnostics. */
  log?: (message: string) => void;
}

/** Events of a TrainerProcess. */
export interface TrainerProcessEvents {
  /** The process is up. */
  started: [pid: number | undefined];
  /** The process went away unexpectedly. */
  crashed: [TrainerCrashed];
  /** The process exited (expectedly or not). */
  exited: [code: number];
  /**
   * A run record to store: the process's checkpoints (outcome 'running') and final records, and, when the
   * process dies mid-run, its last checkpoint marked 'crashed'.
   */
  run: [record: RunRecord, weights: Float32Array | null];
}

interface Running<P> {
  child: UtilityChild<P>;
  stopping: boolean;
  exited: boolean;
  crashReported: boolean;
  exitWaiters: (() => void)[];
  /** The record of the run under way in this process (its last checkpoint) and its weights then, if any. */
  openRun: RunRecord | null;
  openWeights: Float32Array | null;
}

const GONE_REASONS: Record<string, string> = {
  'abnormal-exit': 'exited abnormally',
  killed: 'was killed',
  crashed: 'crashed',
  oom: 'ran out of memory',
  'launch-failed': 'failed to launch',
  'integrity-failure': 'failed a code integrity check',
  'memory-eviction': 'was evicted to free memory',
};

/** The one owner of the training utility process. */
export class TrainerProcess<P = unknown> extends EventEmitter<TrainerProcessEvents> {
  private readonly cfg: Required<Omit<TrainerProcessConfig<P>, 'env' | 'log'>> & Pick<TrainerProcessConfig<P>, 'env' | 'log'>;
  private current: Running<P> | null = null;
  private readonly targets = new Map<number, PortTarget<P>>();
  private readonly onChildGone = (_event: unknown, details: ChildGoneDetails): void => this.childGone(details);
  private disposed = false;
  /** Folders the user chose, by grant; handed to every process this class starts. */
  private readonly grants = new Map<string, string>();

  constructor(config: TrainerProcessConfig<P>) {
    super();
    this.cfg = { args: [], stopTimeoutMs: 2000, ...config };
    this.cfg.appEvents.on('child-process-gone', this.onChildGone);
  }

  /** True while a process is up and not being stopped. */
  get running(): boolean {
    return this.current !== null && !this.current.stopping && !this.current.exited;
  }

  /** The process id, when running. */
  get pid(): number | undefined {
    return this.current?.child.pid;
  }

  /** Starts the process (no-op when already running). */
  start(): void {
    if (this.disposed) throw new Error('TrainerProcess is disposed');
    if (this.running) return;
    const child = this.cfg.fork(this.cfg.modulePath, this.cfg.args, { serviceName: this.cfg.serviceName, env: this.cfg.env, stdio: 'inherit' });
    const run: Running<P> = { child, stopping: false, exited: false, crashReported: false, exitWaiters: [], openRun: null, openWeights: null };
    this.current = run;
    child.on('spawn', () => this.emit('started', child.pid));
    child.on('exit', (code) => this.childExited(run, code));
    child.on('message', (message) => this.childMessage(run, message));
    for (const [grant, path] of this.grants) child.postMessage({ type: 'grant', grant, path });
  }

  /**
   * Stops the process: asks it to shut down, waits up to stopTimeoutMs for it to exit, then kills it.
   * Resolves once it has exited (or a second timeout passed after the kill).
   */
  async stop(): Promise<void> {
    const run = this.current;
    if (!run || run.exited) return;
    run.stopping = true;
    const exited = new Promise<void>((resolve) => run.exitWaiters.push(resolve));
    try {
      run.child.postMessage({ type: 'shutdown' });
    } catch {
      // already gone: the exit event follows
    }
    if (await within(exited, this.cfg.stopTimeoutMs)) return;
    this.cfg.log?.(`trainer did not exit within ${this.cfg.stopTimeoutMs} ms; killing it`);
    run.child.kill();
    if (!(await within(exited, this.cfg.stopTimeoutMs))) {
      this.cfg.log?.('trainer did not report its exit after kill; forgetting it');
      this.markExited(run, -1);
    }
  }

  /** Restarts the process (after a crash, on the user's request) and reconnects every renderer. */
  async restart(): Promise<void> {
    await this.stop();
    this.start();
    for (const target of [...this.targets.values()]) this.sendPort(target);
  }

  /**
   * Gives a renderer a direct line to the trainer: a MessageChannel whose port1 goes to the utility
   * process and port2 to the renderer (`trainer:port`). The renderer is remembered, so restarts hand
   * it a new port, and crashes are reported to it. Starts the process when needed.
   */
  connect(target: PortTarget<P>): void {
    if (!this.targets.has(target.id)) {
      this.targets.set(target.id, target);
      target.once('destroyed', () => this.targets.delete(target.id));
    }
    if (!this.running) {
      try {
        this.start();
      } catch (err) {
        const reason = `could not start the training process: ${err instanceof Error ? err.message : String(err)}`;
        this.cfg.log?.(reason);
        sendToRenderer(target, 'trainer:crashed', { kind: 'crashed', reason, exitCode: null });
        return;
      }
    }
    this.sendPort(target);
  }

  /**
   * Lets the training process read a folder the user chose in main's dialog: returns an opaque grant (the
   * renderer loads it with `{ kind: 'dir', grant }`); the process refuses any folder without one.
   */
  grantFolder(path: string): string {
    const grant = randomBytes(16).toString('hex');
    this.grants.set(grant, path);
    const run = this.current;
    if (run && !run.exited) run.child.postMessage({ type: 'grant', grant, path });
    return grant;
  }

  /** Stops the process and stops listening to the app. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cfg.appEvents.removeListener('child-process-gone', this.onChildGone);
    await this.stop();
    this.targets.clear();
  }

  private sendPort(target: PortTarget<P>): void {
    const run = this.current;
    if (!run || target.isDestroyed()) return;
    const { port1, port2 } = this.cfg.createChannel();
    run.child.postMessage({ type: 'connect' }, [port1]);
    postPortToRenderer(target, port2);
  }

  /** A run record from the process (validated: the process is less trusted than main). */
  private childMessage(run: Running<P>, message: unknown): void {
    const m = message as { type?: unknown; record?: unknown; final?: unknown; weights?: unknown } | null;
    if (m?.type !== 'run' || typeof m.final !== 'boolean') return;
    const parsed = runRecordSchema.safeParse(m.record);
    if (!parsed.success) {
      this.cfg.log?.(`ignored an invalid run record from the training process (${parsed.error.issues[0]?.message ?? 'invalid'})`);
      return;
    }
    const w = m.weights;
    const weights = w instanceof Float32Array && w.length === NUM_PARAMS && allFinite(w) ? w : null;
    run.openRun = m.final ? null : parsed.data;
    run.openWeights = m.final ? null : weights;
    this.emit('run', parsed.data, weights);
  }

  private childExited(run: Running<P>, code: number): void {
    const unexpected = !run.stopping;
    this.markExited(run, code);
    if (unexpected) {
      this.reportCrash(run, {
        kind: 'crashed',
        reason: code === 0 ? 'the training process exited unexpectedly' : `the training process exited unexpectedly (exit code ${code})`,
        exitCode: code,
      });
    }
  }

  private childGone(details: ChildGoneDetails): void {
    if (details.type !== 'Utility' || details.serviceName !== this.cfg.serviceName) return;
    const run = this.current;
    if (!run || run.stopping || details.reason === 'clean-exit') return;
    const what = GONE_REASONS[details.reason] ?? `went away (${details.reason})`;
    this.reportCrash(run, { kind: 'crashed', reason: `the training process ${what} (exit code ${details.exitCode})`, exitCode: details.exitCode });
  }

  private markExited(run: Running<P>, code: number): void {
    if (run.exited) return;
    run.exited = true;
    if (this.current === run) this.current = null;
    for (const w of run.exitWaiters.splice(0)) w();
    this.emit('exited', code);
  }

  /** Reports a crash once per process, to listeners and to every connected renderer. */
  private reportCrash(run: Running<P>, crashed: TrainerCrashed): void {
    if (run.crashReported) return;
    run.crashReported = true;
    this.cfg.log?.(crashed.reason);
    if (run.openRun) {
      // The run the process was in the middle of: recorded with what had arrived, marked as crashed.
      this.emit('run', { ...run.openRun, outcome: 'crashed', note: crashed.reason, endedAt: new Date().toISOString() }, run.openWeights);
      run.openRun = null;
      run.openWeights = null;
    }
    this.emit('crashed', crashed);
    for (const target of this.targets.values()) sendToRenderer(target, 'trainer:crashed', crashed);
  }
}

function within(p: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void p.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}
