// The few pieces of the WebAssembly JS API the fast kernels use, reached through globalThis with local
// types: tsconfig.core.json has lib ES2022 and no DOM (TypeScript declares `WebAssembly` only in the DOM
// and Node typings), and a global ambient declaration would clash with those in the other tsconfigs.

/** An instantiated module's exports, typed loosely; callers check what they take. */
export interface WasmInstance {
  readonly exports: Record<string, unknown>;
}

/** The subset of the WebAssembly namespace we call. */
export interface WasmApi {
  /** True when this engine can compile `bytes` (false, e.g., on an engine without SIMD). */
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports?: Record<string, Record<string, unknown>>) => WasmInstance;
  /** A linear memory of `initial` pages (64 KiB), growable up to `maximum`; `shared` (a maximum is then
   *  required) backs it with a SharedArrayBuffer that other threads' instances can import too. */
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

/** A WebAssembly.Memory: its bytes (an ArrayBuffer, or a SharedArrayBuffer when shared). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  /** Grows the memory by `pages` pages and returns its old size in pages (throws past its maximum). A shared
   *  memory's old buffers stay valid at their old length; an unshared one's are detached. */
  grow(pages: number): number;
}

/** The engine's WebAssembly API, or null where there is none (some locked-down browsers). */
export function wasmApi(): WasmApi | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  return api && typeof api.validate === 'function' ? api : null;
}
