// The few messages between main and the utility process over its parentPort (the heavy traffic goes over
// the MessageChannel ports handed out with `connect`). Types and guards only; shared by main and worker.

import type { RunRecord } from '../../core/protocol';

/** Main → utility process, over process.parentPort. */
export type ParentMessage =
  /** A renderer's port to the trainer is attached to this message (event.ports[0]). */
  | { type: 'connect' }
  /** Finish up and exit with code 0 (a stop; main kills after a timeout). */
  | { type: 'shutdown' }
  /** The user chose `path` in main's dialog: a `{ kind: 'dir', grant }` source may now read it. */
  | { type: 'grant'; grant: string; path: string };

/** Utility process → main, over process.parentPort: a run record to store (checkpoint or final) and its latest weights. */
export type WorkerToMain = { type: 'run'; record: RunRecord; final: boolean; weights: Float32Array };

/** True when `value` is a ParentMessage. */
export function isParentMessage(value: unknown): value is ParentMessage {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { type?: unknown; grant?: unknown; path?: unknown };
  if (v.type === 'grant') return typeof v.grant === 'string' && typeof v.path === 'string';
  return v.type === 'connect' || v.type === 'shutdown';
}

/** The command-line flag that tells the utility process where to cache the dataset. */
export const CACHE_DIR_FLAG = '--cache-dir=';

/** Reads the cache folder from argv (`--cache-dir=/path`), or null. */
export function cacheDirFromArgv(argv: readonly string[]): string | null {
  const arg = argv.find((a) => a.startsWith(CACHE_DIR_FLAG));
  const dir = arg?.slice(CACHE_DIR_FLAG.length) ?? '';
  return dir === '' ? null : dir;
}
