// The thread pool of the WebAssembly kernels, without knowing how threads are made: a host (the Node CLI
// and bench, the Electron utility process, the web page's Web Worker) hands createKernelPool a small
// KernelThreads object that starts helper threads (worker_threads, Web Workers), and each helper's entry
// calls runKernelHelper with the message it was sent. All threads instantiate the one kernel module on one
// shared WebAssembly.Memory and coordinate through a control block in it with Atomics.
//
// A job is GROUPS units (layout.ts). The calling thread stages each unit's rows into an input slot (only it
// can read the dataset) and marks it ready; helpers claim units from the first on, the calling thread from
// the last (so unit 0 is a helper's, and the last unit this thread's: a helper may have gathered the
// rows of both ahead, see announce), and each runs its units into its own output;
// the first thread to finish a unit commits it (compare-and-swap on the unit's owner word, tagged with the
// job's generation, so a late finisher of an old job commits nothing). The calling thread claims units
// too, and when none is left but one a helper took is still running (a helper the OS has not scheduled),
// it runs that unit itself rather than wait: it never blocks on a helper. Results do not depend on who ran
// what: every thread computes the same numbers for a unit, and the caller sums the committed outputs in
// order. One thread (no helpers, or a page without shared memory) is the plain path: stage a unit, run it.

import { aheadArea, BANKS, CONTROL_WORDS, DATA_PAGES, GROUPS, LAYOUT, MAX_THREADS, MEMORY_PAGES, REGION_ALIGN, scratchArea, WASM_PAGE_BYTES } from './wasm-simd/layout';
import { chooseBuild, createKernelMemory, instantiateKernels, kernelModuleBytes, type KernelBuild, type KernelInstance } from './wasm-simd/module';
import { wasmApi, type WasmApi, type WasmMemory } from './wasm-simd/runtime';
import { memoryViews, prepareTrainUnit, runCountUnit, runTrainUnit, type MemoryViews } from './wasm-simd/units';

/** What a helper thread is sent: the compiled module, the shared memory to instantiate it on, its number. */
export interface HelperStart {
  /** A compiled WebAssembly.Module of a shared build (structured-cloneable between threads). */
  module: object;
  /** The shared WebAssembly.Memory. */
  memory: WasmMemory;
  /** The helper's thread number, 1 .. MAX_THREADS - 1 (0 is the calling thread): its scratch and outputs. */
  thread: number;
}

/** What a host provides to run the kernels on more than one thread. */
export interface KernelThreads {
  /** Helper threads to start besides the calling one (so threads = helpers + 1; at most MAX_THREADS do work). */
  readonly helpers: number;
  /**
   * Starts one helper thread and sends it `start`; its entry calls {@link runKernelHelper} with it.
   * Returns a function that stops the thread.
   */
  spawn(start: HelperStart): () => void;
}

/** A job's kind: training units (forward, softmax, backward) or counting units (forward, argmax). */
export type JobKind = 'train' | 'count';

/** One job: GROUPS units in one bank of input slots (layout.ts). */
export interface Job {
  kind: JobKind;
  /** d2l's exp / rowsum instead of the stable softmax (training units). */
  naive: boolean;
  /** The bank whose slots hold the units' rows: unit g in slot bank * GROUPS + g. */
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
  /** Units 0 and GROUPS - 1 are the ones {@link KernelPool.announce} listed ahead for this job (a training job): a helper may have prepared them. */
  ahead?: boolean;
}

/** The kernel instance of the calling thread, and helpers that share its memory. */
export interface KernelPool {
  /** Threads that run units, the calling one included. */
  readonly threads: number;
  /** Why `threads` is 1 although more were asked for (e.g. a page that is not cross-origin isolated), or null. */
  readonly note: string | null;
  /** Which build of kernels.wat runs. */
  readonly build: KernelBuild;
  /** The calling thread's instance. */
  readonly instance: KernelInstance;
  /** Views of the memory. */
  readonly views: MemoryViews;
  /** After run(): owners[g] = the thread whose output for unit g counts (its loss, count and gradient). */
  readonly owners: readonly number[];
  /** Helper threads that have started so far (they start asynchronously; until then this thread works alone). */
  readonly helpersStarted: number;
  /** Units whose committed output a helper computed, so far (for tests and the bench: who did the work). */
  readonly helperUnits: number;
  /** Units whose committed output was computed on rows a helper had gathered ahead (announce), so far. */
  readonly preparedUnits: number;
  /**
   * `bytes` bytes in the kernels' memory, zeroed, for a dataset's files (a loader's allocation hook): each
   * thread then gathers its unit's rows from where they lie, instead of this thread copying them per batch
   * in JS. 64-byte aligned; never freed, never handed out twice. Null when this memory cannot hold them (an
   * unshared memory cannot grow without detaching its views, or DATA_PAGES is used up): the caller
   * allocates as usual, and the kernels copy rows as before.
   */
  allocate(bytes: number): Uint8Array | null;
  /** The byte address in the kernels' memory of `bytes[0]` when `bytes` lies in memory from {@link allocate}, else -1. */
  addressOf(bytes: Uint8Array): number;
  /** Runs one job; returns when every unit is done (it never waits on a helper that does not run). */
  run(job: Job): void;
  /**
   * Lists the next job's units 0 and GROUPS - 1 (training units, `firstRows` and `lastRows` rows) in bank
   * `bank`'s slots ahead: `list` writes their rows' listings there, and then a helper that runs out of
   * units meanwhile gathers them and marks their nonzero groups (nothing of that depends on the weights),
   * while this thread sums and applies the gradient: the last unit, which this thread runs first, into the
   * bank's prepared-ahead area, unit 0 into its own scratch. That job must then be run with `ahead: true` in
   * that bank, those two units unchanged. On one thread, only `list` runs.
   */
  announce(bank: number, firstRows: number, lastRows: number, list: () => void): void;
  /** Stops the helper threads. The pool still works afterwards, on one thread. */
  close(): void;
}

/**
 * The most threads a host starts unless told otherwise. Each helper thread is an engine instance of its
 * own: ~15 MB of resident memory in Node (the bench's memory probe: 132 MB on one thread, 148 on two, 160
 * on three), so two keep a training process under its 150 MB budget. Up to MAX_THREADS can be asked for.
 */
export const DEFAULT_MAX_THREADS = 2;

/** Threads to use on a machine with `cores` logical cores: one per core, at most DEFAULT_MAX_THREADS. */
export function defaultThreadCount(cores: number): number {
  return Math.max(1, Math.min(DEFAULT_MAX_THREADS, Math.floor(cores) || 1));
}

/**
 * Threads the window's trainer uses (the utility process, the web page's Worker): one core is left to the
 * page, which draws while it trains; so on two cores the window trains on one thread (the trainer's own)
 * and the page keeps a core, where two threads starved it into long tasks. The CLI and the bench, which
 * draw nothing, use defaultThreadCount.
 */
export function windowThreadCount(cores: number): number {
  return defaultThreadCount((Math.floor(cores) || 1) - 1);
}

/** The control block: which Int32 word at LAYOUT.control means what (exported for the tests' misbehaving helpers). */
export const CONTROL = {
  /** The job's generation, 1 .. 2^20 - 1; helpers wait for it to change. */
  gen: 0,
  /** (generation << UNIT_BITS) | (units claimed from the last, << SIDE_BITS) | units claimed from the first. */
  claim: 1,
  /** 1 train, 2 count. */
  kind: 2,
  /** 1 for d2l's exp / rowsum. */
  naive: 3,
  /** The job's bank of input slots. */
  bank: 4,
  /** 1: helpers return. */
  stop: 5,
  /** Helpers that have started. */
  started: 6,
  /** Units a helper failed on (the calling thread then runs them). */
  errors: 7,
  /** ready + g: the generation in which unit g was staged. */
  ready: 8,
  /** rows + g: unit g's rows. */
  rows: 16,
  /** owner + g: generation * 8 + (t + 1) once thread t committed unit g; generation * 8 while it is open. */
  owner: 24,
  /** The generation the next job will have, once its units 0 and GROUPS - 1 are listed ahead (announce); 0 while that is being written. */
  ahead: 32,
  /** The bank of the units listed ahead. */
  aheadBank: 33,
  /** Unit 0's rows. */
  aheadRows: 34,
  /** The running job's generation when its units 0 and GROUPS - 1 are the ones listed ahead, else 0. */
  aheadUse: 35,
  /** Units a helper ran on rows it had prepared ahead (for tests and the bench). */
  prepared: 36,
  /** Unit GROUPS - 1's rows. */
  aheadLastRows: 37,
  /** lock + bank: who uses bank's prepared-ahead area (0 nobody, t + 1 a helper, MAIN_LOCK this thread). */
  aheadLock: 38,
  /** ready + bank: the generation whose unit GROUPS - 1 bank's prepared-ahead area holds, or 0. */
  aheadReady: 40,
  /** list + bank: the generation whose units 0 and GROUPS - 1 bank's slots list ahead, 0 while they are being written. */
  aheadList: 42,
  /** Bits of the unit counts in the claim word. */
  unitBits: 12,
} as const;

const { gen: GEN, claim: CLAIM, kind: KIND, naive: NAIVE, bank: BANK, stop: STOP, started: STARTED, errors: ERRORS, ready: READY, rows: ROWS, owner: OWNER, unitBits: UNIT_BITS } = CONTROL;
const { ahead: AHEAD, aheadBank: AHEAD_BANK, aheadRows: AHEAD_ROWS, aheadUse: AHEAD_USE, prepared: PREPARED } = CONTROL;
const { aheadLastRows: AHEAD_LAST_ROWS, aheadLock: AHEAD_LOCK, aheadReady: AHEAD_READY, aheadList: AHEAD_LIST } = CONTROL;
const MAIN_LOCK = 1 << 20; // the calling thread's mark in an ahead lock
const LAST = GROUPS - 1;
const GEN_MASK = 0xfffff;
const SIDE_BITS = UNIT_BITS / 2;
const SIDE_MASK = (1 << SIDE_BITS) - 1;
const FROM_LAST = 1 << SIDE_BITS; // a claim from the last unit down

/** Spins before a helper waiting for the next job sleeps in Atomics.wait (~0.2-1 ms of polling). */
const IDLE_SPINS = 200_000;
/**
 * Polls of the owner words (~5 ns each) before the calling thread runs a unit a helper took and has not
 * finished: about one unit's time (a unit takes ~30-40 µs), so a helper that is running finishes first.
 */
const STRAGGLER_SPINS = 8_000;

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

/** Runs unit g of `job` on thread t (nothing for an empty unit); `prepared`: the area its rows were prepared in ahead (scratchArea, aheadArea), or -1. */
function runUnit(inst: KernelInstance, views: MemoryViews, kind: number, naive: boolean, bank: number, g: number, rows: number, t: number, prepared = -1): void {
  if (rows === 0) return;
  if (kind === 1) runTrainUnit(inst.exports, views, bank * GROUPS + g, t, rows, naive, prepared);
  else runCountUnit(inst.exports, views, bank * GROUPS + g, t, rows);
}

/** Options of {@link createKernelPool}. */
export interface KernelPoolOptions {
  /**
   * The host will allocate its datasets in the pool's memory (KernelPool.allocate), so the memory is shared
   * (growable) even on one thread, where this realm can share memory.
   */
  datasets?: boolean;
}

/**
 * Creates the kernel pool: the calling thread's instance and `threads.helpers` helper threads sharing its
 * memory (none when `threads` is omitted, or where memory cannot be shared: then `note` says why). Null
 * when the engine cannot run the WebAssembly SIMD kernels (no WebAssembly, no SIMD, or a
 * Content-Security-Policy that forbids compiling).
 */
export function createKernelPool(threads?: KernelThreads | null, options: KernelPoolOptions = {}): KernelPool | null {
  const api = wasmApi();
  if (!api) return null;
  const asked = threads ? Math.min(MAX_THREADS - 1, Math.max(0, Math.floor(threads.helpers))) : 0;
  const share = (asked > 0 || options.datasets === true) && canShareMemory();
  const note = asked > 0 && !share ? 'one thread: this page is not cross-origin isolated, so it cannot share memory' : null;
  let build: KernelBuild | null;
  let instance: KernelInstance;
  try {
    build = chooseBuild(api, share);
    if (!build) return null;
    instance = instantiateKernels(api, compile(api, build), createKernelMemory(api, share));
  } catch {
    // A Content-Security-Policy without 'wasm-unsafe-eval' makes compiling throw.
    return null;
  }
  const views = memoryViews(instance.buffer);
  const ctl = new Int32Array(instance.buffer, LAYOUT.control, CONTROL_WORDS);
  const owners = new Array<number>(GROUPS).fill(0); // (GROUPS)
  const stops: (() => void)[] = [];
  if (share) {
    for (let t = 1; t <= asked; t++) stops.push((threads as KernelThreads).spawn({ module: compile(api, build), memory: instance.memory, thread: t }));
  }
  let generation = 0;
  let helperUnits = 0;
  let mainPrepared = 0; // units this thread ran on rows a helper prepared
  const announced = { gen: 0, bank: -1, lastRows: 0 }; // what announce() last said
  // Datasets' bytes after the regions, bump-allocated: the buffers their views were made on (a shared
  // memory's buffer object changes at each grow; the old ones stay valid).
  let dataEnd = MEMORY_PAGES * WASM_PAGE_BYTES;
  const dataBuffers = new WeakSet<ArrayBufferLike>();
  const allocate = (bytes: number): Uint8Array | null => {
    if (!share || !Number.isSafeInteger(bytes) || bytes < 0) return null;
    const start = Math.ceil(dataEnd / REGION_ALIGN) * REGION_ALIGN;
    const pages = Math.ceil((start + bytes) / WASM_PAGE_BYTES) - instance.memory.buffer.byteLength / WASM_PAGE_BYTES;
    if (start + bytes > (MEMORY_PAGES + DATA_PAGES) * WASM_PAGE_BYTES) return null;
    if (pages > 0) instance.memory.grow(pages);
    const buffer = instance.memory.buffer;
    dataBuffers.add(buffer);
    dataEnd = start + bytes;
    return new Uint8Array(buffer, start, bytes);
  };
  const addressOf = (bytes: Uint8Array): number => (dataBuffers.has(bytes.buffer) ? bytes.byteOffset : -1);

  const run = (job: Job): void => {
    const { rows, stage } = job;
    const kind = job.kind === 'train' ? 1 : 2;
    if (stops.length === 0) {
      for (let g = 0; g < GROUPS; g++) {
        owners[g] = 0;
        if (rows[g] === 0) continue;
        stage?.(g);
        runUnit(instance, views, kind, job.naive, job.bank, g, rows[g], 0);
      }
      return;
    }
    generation = (generation % GEN_MASK) + 1;
    const open = generation * 8;
    ctl[KIND] = kind;
    ctl[NAIVE] = job.naive ? 1 : 0;
    ctl[BANK] = job.bank;
    Atomics.store(ctl, AHEAD_USE, job.ahead && kind === 1 ? generation : 0);
    // Whether this job's last unit is the one announced (read now: the side work announces the next job's).
    const aheadLast = job.ahead === true && kind === 1 && announced.gen === generation && announced.bank === job.bank && announced.lastRows === rows[LAST];
    for (let g = 0; g < GROUPS; g++) {
      ctl[ROWS + g] = rows[g];
      Atomics.store(ctl, OWNER + g, open);
    }
    Atomics.store(ctl, CLAIM, generation << UNIT_BITS);
    Atomics.store(ctl, GEN, generation);
    Atomics.notify(ctl, GEN);
    for (let g = 0; g < GROUPS; g++) {
      if (stage && rows[g] > 0) stage(g);
      Atomics.store(ctl, READY + g, generation);
    }
    const committed = (g: number): boolean => Atomics.load(ctl, OWNER + g) !== open;
    const mine = (g: number): void => {
      // The last unit may be prepared in the bank's ahead area: used under its lock, if made for this job.
      const lock = AHEAD_LOCK + job.bank;
      const ahead = g === LAST && aheadLast && rows[g] > 0;
      const locked = ahead && Atomics.compareExchange(ctl, lock, 0, MAIN_LOCK) === 0;
      const area = locked && Atomics.load(ctl, AHEAD_READY + job.bank) === generation ? aheadArea(job.bank) : -1;
      try {
        runUnit(instance, views, kind, job.naive, job.bank, g, rows[g], 0, area);
      } finally {
        if (locked) Atomics.store(ctl, lock, 0);
      }
      if (Atomics.compareExchange(ctl, OWNER + g, open, open + 1) === open && area >= 0) mainPrepared++;
    };
    // Side work first (the helpers are busy with the units meanwhile), then claim what they have not
    // started, from the last unit down.
    for (;;) {
      if (job.sideWork?.()) continue;
      const c = Atomics.load(ctl, CLAIM);
      const fromLast = (c >> SIDE_BITS) & SIDE_MASK;
      if ((c & SIDE_MASK) + fromLast >= GROUPS) break;
      if (Atomics.compareExchange(ctl, CLAIM, c, c + FROM_LAST) === c) mine(GROUPS - 1 - fromLast);
    }
    // Every unit is started; wait about a unit's time for those still running, then run each one left.
    for (let g = 0; g < GROUPS; g++) {
      for (let spins = 0; !committed(g) && spins < STRAGGLER_SPINS; spins++);
      if (!committed(g)) mine(g);
    }
    for (let g = 0; g < GROUPS; g++) {
      owners[g] = (Atomics.load(ctl, OWNER + g) & 7) - 1;
      if (owners[g] > 0 && rows[g] > 0) helperUnits++;
    }
  };

  return {
    get threads() {
      return stops.length + 1;
    },
    note,
    build,
    instance,
    views,
    owners,
    get helpersStarted() {
      return Atomics.load(ctl, STARTED);
    },
    get helperUnits() {
      return helperUnits;
    },
    get preparedUnits() {
      return Atomics.load(ctl, PREPARED) + mainPrepared;
    },
    allocate,
    addressOf,
    run,
    announce(bank, firstRows, lastRows, list) {
      if (stops.length === 0) {
        list();
        return;
      }
      // A helper that read these words, or the listing, while they changed sees a changed word after and drops what it made.
      Atomics.store(ctl, AHEAD, 0);
      Atomics.store(ctl, AHEAD_LIST + bank, 0);
      list();
      ctl[AHEAD_BANK] = bank;
      ctl[AHEAD_ROWS] = firstRows;
      ctl[AHEAD_LAST_ROWS] = lastRows;
      Object.assign(announced, { gen: (generation % GEN_MASK) + 1, bank, lastRows });
      Atomics.store(ctl, AHEAD_LIST + bank, announced.gen);
      Atomics.store(ctl, AHEAD, announced.gen);
    },
    close() {
      if (stops.length === 0) return;
      Atomics.store(ctl, STOP, 1);
      Atomics.notify(ctl, GEN);
      for (const stop of stops.splice(0)) stop();
    },
  };
}

/**
 * A helper thread's whole life: instantiates the kernels on the shared memory, then runs units of each job
 * it can claim, until the pool stops it. Blocks its thread (call it from the thread's entry, with the
 * message createKernelPool sent). Never throws for a unit: a unit it fails on is left to the calling thread.
 */
export function runKernelHelper(start: HelperStart): void {
  const api = wasmApi();
  if (!api) throw new Error('kernel helper: no WebAssembly in this thread');
  const instance = instantiateKernels(api, start.module, start.memory);
  const views = memoryViews(instance.buffer);
  const ctl = new Int32Array(instance.buffer, LAYOUT.control, CONTROL_WORDS);
  const t = start.thread;
  let seen = Atomics.load(ctl, GEN);
  // The job whose unit 0 this thread prepared ahead (0: none), and which slot and rows it prepared.
  let prepared = 0;
  let preparedSlot = -1;
  let preparedRows = 0;
  Atomics.add(ctl, STARTED, 1);
  for (;;) {
    // Wait for the next job: poll for a while (batches follow each other closely), then sleep.
    let spins = 0;
    while (Atomics.load(ctl, GEN) === seen && Atomics.load(ctl, STOP) === 0) {
      if (++spins > IDLE_SPINS) Atomics.wait(ctl, GEN, seen);
    }
    if (Atomics.load(ctl, STOP)) return;
    seen = Atomics.load(ctl, GEN);
    units: for (;;) {
      const c = Atomics.load(ctl, CLAIM);
      if (c >>> UNIT_BITS !== seen) break; // a newer job began: start over with it
      const g = c & SIDE_MASK;
      if (g + ((c >> SIDE_BITS) & SIDE_MASK) >= GROUPS) break;
      if (Atomics.compareExchange(ctl, CLAIM, c, c + 1) !== c) continue;
      // Wait for the unit's rows; if the job ended meanwhile (the calling thread ran the unit itself while
      // this thread was not scheduled), its rows will never be marked ready for it: drop the unit.
      while (Atomics.load(ctl, READY + g) !== seen) {
        if (Atomics.load(ctl, STOP)) return;
        if (Atomics.load(ctl, GEN) !== seen) break units;
      }
      // The job's settings are read after the claim: they stay put until every unit is committed, and if
      // the calling thread took this unit over and moved on, the commit below fails and nothing counts.
      try {
        const ready = g === 0 && prepared === seen && Atomics.load(ctl, AHEAD_USE) === seen && preparedSlot === ctl[BANK] * GROUPS && preparedRows === ctl[ROWS];
        prepared = 0; // this unit's rows take the scratch, whichever they are
        runUnit(instance, views, ctl[KIND], ctl[NAIVE] === 1, ctl[BANK], g, ctl[ROWS + g], t, ready ? scratchArea(t) : -1);
        if (Atomics.compareExchange(ctl, OWNER + g, seen * 8, seen * 8 + t + 1) === seen * 8 && ready) Atomics.add(ctl, PREPARED, 1);
      } catch {
        Atomics.add(ctl, ERRORS, 1);
      }
    }
    // Nothing left to claim: prepare the next job's units listed ahead (gathering their rows does not need
    // the weights the calling thread is about to update): first the calling thread's (it has the longer
    // way), into the bank's ahead area under its lock, then unit 0 into this thread's scratch. What was read
    // while the bank's listing was being rewritten (its list word changed meanwhile) is dropped; what was
    // prepared for a job that never uses it never counts: it is used only in the job of that generation.
    const next = Atomics.load(ctl, AHEAD);
    if (next !== 0 && next === (seen % GEN_MASK) + 1 && Atomics.load(ctl, GEN) === seen) {
      const bank = ctl[AHEAD_BANK];
      const rows = ctl[AHEAD_ROWS];
      const lastRows = ctl[AHEAD_LAST_ROWS];
      const valid = (): boolean => bank >= 0 && bank < BANKS && Atomics.load(ctl, AHEAD_LIST + bank) === next;
      if (Atomics.load(ctl, AHEAD) === next && valid()) {
        const lock = AHEAD_LOCK + bank;
        if (lastRows > 0 && Atomics.load(ctl, AHEAD_READY + bank) !== next && Atomics.compareExchange(ctl, lock, 0, t + 1) === 0) {
          try {
            Atomics.store(ctl, AHEAD_READY + bank, 0);
            prepareTrainUnit(instance.exports, views, bank * GROUPS + LAST, aheadArea(bank), lastRows);
            if (valid()) Atomics.store(ctl, AHEAD_READY + bank, next);
          } catch {
            Atomics.store(ctl, AHEAD_READY + bank, 0);
          } finally {
            Atomics.store(ctl, lock, 0);
          }
        }
        if (rows > 0 && prepared !== next && Atomics.load(ctl, GEN) === seen) {
          try {
            prepareTrainUnit(instance.exports, views, bank * GROUPS, scratchArea(t), rows);
            if (valid()) [prepared, preparedSlot, preparedRows] = [next, bank * GROUPS, rows];
          } catch {
            prepared = 0;
          }
        }
      }
    }
  }
}
