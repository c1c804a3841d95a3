// The thread pool of the WebAssembly kernels, without knowing how threads are made: a host (the Node CLI
// and bench, the Electron utility process, the web page's Web Worker) hands createKernelPool a small
// KernelThreads object that starts helper threads (worker_threads, Web Workers), and each helper's entry
// calls runKernelHelper with the message it was sent. All threads instantiate the one kernel module on one
// shared WebAssembly.Memory and coordinate through a control block in it with Atomics.
//
// A job is GROUPS units (layout.ts): the calling thread stages each unit's rows into the memory (only it
// can read the dataset), marks it ready, then claims units like any helper; a unit is claimed by exactly
// one thread (compare-and-swap on a claim word), and the job ends when all are done. Results do not depend
// on who ran what: unit g always writes gradient group g and result slot g, summed in order afterwards.
// One thread (no helpers, or a page without shared memory) is the plain path: stage a unit, run it.

import { CONTROL_WORDS, GROUPS, LAYOUT } from './wasm-simd/layout';
import { chooseBuild, createKernelMemory, instantiateKernels, kernelModuleBytes, type KernelBuild, type KernelInstance } from './wasm-simd/module';
import { wasmApi, type WasmApi, type WasmMemory } from './wasm-simd/runtime';
import { memoryViews, runCountUnit, runTrainUnit, type MemoryViews } from './wasm-simd/units';

/** What a helper thread is sent: the compiled module and the shared memory to instantiate it on. */
export interface HelperStart {
  /** A compiled WebAssembly.Module of a shared build (structured-cloneable between threads). */
  module: object;
  /** The shared WebAssembly.Memory. */
  memory: WasmMemory;
}

/** What a host provides to run the kernels on more than one thread. */
export interface KernelThreads {
  /** Helper threads to start besides the calling one (so threads = helpers + 1). */
  readonly helpers: number;
  /**
   * Starts one helper thread and sends it `start`; its entry calls {@link runKernelHelper} with it.
   * Returns a function that stops the thread.
   */
  spawn(start: HelperStart): () => void;
}

/** Why a pool runs on fewer threads than asked, or null. */
export type PoolNote = string | null;

/** A job's kind: training units (forward, softmax, backward) or counting units (forward, argmax). */
export type JobKind = 'train' | 'count';

/** One job: GROUPS units in one bank of slots (layout.ts). */
export interface Job {
  kind: JobKind;
  /** d2l's exp / rowsum instead of the stable softmax (training units). */
  naive: boolean;
  /** The bank whose slots hold the units: unit g in slot bank * GROUPS + g. */
  bank: number;
  /** rows[g]: unit g's rows (0 = nothing to do). */
  rows: readonly number[];
  /**
   * Copies unit g's rows into its slot. Called on this thread, in order g = 0, 1, ..., each unit marked
   * ready for the helpers as soon as it is staged. Omitted when the rows are staged already.
   */
  stage?: (g: number) => void;
  /**
   * Other work for this thread while helpers compute (fast.ts stages the next batch): does one piece and
   * returns true, or returns false when none is left. This thread turns to the job's units after it.
   */
  sideWork?: () => boolean;
}

/** The kernel instance of the calling thread, and helpers that share its memory. */
export interface KernelPool {
  /** Threads that run units, the calling one included. */
  readonly threads: number;
  /** Why `threads` is 1 although more were asked for (e.g. a page that is not cross-origin isolated), or null. */
  readonly note: PoolNote;
  /** Helper threads that have started so far (they start asynchronously; until then this thread works alone). */
  readonly helpersStarted: number;
  /** Units the helper threads have run so far (for tests and the bench: who did the work). */
  readonly helperUnits: number;
  /** Which build of kernels.wat runs. */
  readonly build: KernelBuild;
  /** The calling thread's instance. */
  readonly instance: KernelInstance;
  /** Views of the memory. */
  readonly views: MemoryViews;
  /** Runs one job; returns when every unit is done. Throws when a helper thread failed. */
  run(job: Job): void;
  /** Stops the helper threads. The pool still works afterwards, on one thread. */
  close(): void;
}

/** Threads to use on a machine with `cores` logical cores: one per core, at most GROUPS (more do no work). */
export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(GROUPS, Math.floor(cores) || 1));
}

// The control block: Int32 words at LAYOUT.control.
const GEN = 0; // the job's generation, 1 .. 2^20 - 1; helpers wait for it to change
const CLAIM = 1; // (generation << 12) | next unclaimed unit
const DONE = 2; // units finished in this job
const KIND = 3; // 1 train, 2 count
const NAIVE = 4; // 1 for d2l's exp / rowsum
const STOP = 5; // 1: helpers return
const FAILED = 6; // 1: a helper threw
const BANK = 7; // the job's bank of slots
const STARTED = 20; // helpers that have started
const HELPER_UNITS = 21; // units the helpers have run
const READY = 8; // READY + g: the generation in which unit g was staged
const ROWS = 16; // ROWS + g: unit g's rows
const GEN_MASK = 0xfffff;
const UNIT_BITS = 12;

/** Spins before a helper waiting for the next job sleeps in Atomics.wait (~0.2-1 ms of polling). */
const IDLE_SPINS = 200_000;
/** How long the calling thread waits for a helper's unit before deciding the helper is gone (ms). */
const HELPER_TIMEOUT_MS = 20_000;

const compiled = new Map<KernelBuild, object>(); // per realm: compiling is the slow part of instantiating

function compile(api: WasmApi, build: KernelBuild): object {
  let module = compiled.get(build);
  if (!module) {
    module = new api.Module(kernelModuleBytes(build));
    compiled.set(build, module);
  }
  return module;
}

/** True when this realm can share a WebAssembly.Memory with other threads. */
function canShareMemory(): boolean {
  const g = globalThis as { SharedArrayBuffer?: unknown; crossOriginIsolated?: boolean };
  // A page (and its workers) gets SharedArrayBuffer only when cross-origin isolated; Node always has it.
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

/**
 * Creates the kernel pool: the calling thread's instance and `threads.helpers` helper threads sharing its
 * memory (none when `threads` is omitted, or where memory cannot be shared: then `note` says why). Null
 * when the engine cannot run the WebAssembly SIMD kernels (no WebAssembly, no SIMD, or a
 * Content-Security-Policy that forbids compiling).
 */
export function createKernelPool(threads?: KernelThreads | null): KernelPool | null {
  const api = wasmApi();
  if (!api) return null;
  const asked = threads ? Math.max(0, Math.floor(threads.helpers)) : 0;
  const share = asked > 0 && canShareMemory();
  const note: PoolNote = asked > 0 && !share ? 'one thread: this page is not cross-origin isolated, so it cannot share memory' : null;
  let build: KernelBuild | null;
  let instance: KernelInstance;
  try {
    build = chooseBuild(api, share);
    if (!build) return null;
    const module = compile(api, build);
    instance = instantiateKernels(api, module, createKernelMemory(api, share));
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' makes compiling throw.
    return null;
  }
  const views = memoryViews(instance.buffer);
  const ctl = new Int32Array(instance.buffer, LAYOUT.control, CONTROL_WORDS);
  const stops: (() => void)[] = [];
  if (share) {
    const start: HelperStart = { module: compile(api, build), memory: instance.memory };
    for (let i = 0; i < asked; i++) stops.push((threads as KernelThreads).spawn(start));
  }
  let generation = 0;
  const ex = instance.exports;

  const runUnit = (job: Job, g: number): void => {
    const rows = job.rows[g];
    if (rows === 0) return;
    if (job.kind === 'train') runTrainUnit(ex, views, job.bank * GROUPS + g, rows, job.naive);
    else runCountUnit(ex, views, job.bank * GROUPS + g, rows);
  };

  const closeHelpers = (): void => {
    if (stops.length === 0) return;
    Atomics.store(ctl, STOP, 1);
    Atomics.notify(ctl, GEN);
    for (const stop of stops.splice(0)) stop();
  };

  const run = (job: Job): void => {
    // After a helper failed (and its job threw), carry on with this thread alone.
    if (stops.length > 0 && Atomics.load(ctl, FAILED)) closeHelpers();
    const { rows, stage } = job;
    if (stops.length === 0) {
      for (let g = 0; g < GROUPS; g++) {
        if (rows[g] === 0) continue;
        stage?.(g);
        runUnit(job, g);
      }
      return;
    }
    generation = (generation % GEN_MASK) + 1;
    ctl[KIND] = job.kind === 'train' ? 1 : 2;
    ctl[NAIVE] = job.naive ? 1 : 0;
    ctl[BANK] = job.bank;
    for (let g = 0; g < GROUPS; g++) ctl[ROWS + g] = rows[g];
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, CLAIM, generation << UNIT_BITS);
    Atomics.store(ctl, GEN, generation);
    Atomics.notify(ctl, GEN);
    for (let g = 0; g < GROUPS; g++) {
      if (stage && rows[g] > 0) stage(g);
      Atomics.store(ctl, READY + g, generation);
    }
    // Side work first (the helpers are busy with the units meanwhile), then claim what they have not.
    for (;;) {
      if (job.sideWork?.()) continue;
      const c = Atomics.load(ctl, CLAIM);
      const g = c & ((1 << UNIT_BITS) - 1);
      if (g >= GROUPS) break;
      if (Atomics.compareExchange(ctl, CLAIM, c, c + 1) !== c) continue;
      runUnit(job, g);
      Atomics.add(ctl, DONE, 1);
    }
    waitForUnits(ctl);
  };

  return {
    get threads() {
      return stops.length + 1;
    },
    note,
    get helpersStarted() {
      return Atomics.load(ctl, STARTED);
    },
    get helperUnits() {
      return Atomics.load(ctl, HELPER_UNITS);
    },
    build,
    instance,
    views,
    run,
    close: closeHelpers,
  };
}

/** Waits until every unit of the current job is done: spins (units take tens of µs), then sleeps in 1 ms steps. */
function waitForUnits(ctl: Int32Array): void {
  let spins = 0;
  let waitedMs = 0;
  let seen = Atomics.load(ctl, DONE);
  while (seen < GROUPS) {
    if (++spins > 2000) {
      Atomics.wait(ctl, DONE, seen, 1);
      waitedMs++;
    }
    const now = Atomics.load(ctl, DONE);
    if (now !== seen) {
      seen = now;
      waitedMs = 0;
    } else if (waitedMs > HELPER_TIMEOUT_MS) {
      throw new Error(`a kernel helper thread stopped answering (no unit finished for ${HELPER_TIMEOUT_MS / 1000} s)`);
    }
  }
  if (Atomics.load(ctl, FAILED)) throw new Error('a kernel helper thread failed; the next batches run on one thread');
}

/**
 * A helper thread's whole life: instantiates the kernels on the shared memory, then runs units of each job
 * it can claim, until the pool stops it. Blocks its thread (call it from the thread's entry, with the
 * message createKernelPool sent). Never throws for a unit: a failure is flagged for the calling thread.
 */
export function runKernelHelper(start: HelperStart): void {
  const api = wasmApi();
  if (!api) throw new Error('kernel helper: no WebAssembly in this thread');
  const instance = instantiateKernels(api, start.module, start.memory);
  const ex = instance.exports;
  const views = memoryViews(instance.buffer);
  const ctl = new Int32Array(instance.buffer, LAYOUT.control, CONTROL_WORDS);
  let seen = Atomics.load(ctl, GEN);
  Atomics.add(ctl, STARTED, 1);
  for (;;) {
    // Wait for the next job: poll for a while (batches follow each other closely), then sleep.
    let spins = 0;
    while (Atomics.load(ctl, GEN) === seen && Atomics.load(ctl, STOP) === 0) {
      if (++spins > IDLE_SPINS) Atomics.wait(ctl, GEN, seen);
    }
    if (Atomics.load(ctl, STOP)) return;
    seen = Atomics.load(ctl, GEN);
    for (;;) {
      const c = Atomics.load(ctl, CLAIM);
      if (c >>> UNIT_BITS !== seen) break; // a newer job began: start over with it
      const g = c & ((1 << UNIT_BITS) - 1);
      if (g >= GROUPS) break;
      if (Atomics.compareExchange(ctl, CLAIM, c, c + 1) !== c) continue;
      // Claimed: the job cannot end (nor its settings change) before this unit is done.
      while (Atomics.load(ctl, READY + g) !== seen) {
        if (Atomics.load(ctl, STOP)) return;
      }
      try {
        const rows = ctl[ROWS + g];
        const slot = ctl[BANK] * GROUPS + g;
        if (rows > 0) {
          if (ctl[KIND] === 1) runTrainUnit(ex, views, slot, rows, ctl[NAIVE] === 1);
          else runCountUnit(ex, views, slot, rows);
        }
      } catch {
        Atomics.store(ctl, FAILED, 1);
      }
      Atomics.add(ctl, HELPER_UNITS, 1);
      Atomics.add(ctl, DONE, 1);
      Atomics.notify(ctl, DONE);
    }
  }
}
