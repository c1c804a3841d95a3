// The assembled kernel module (kernels.wat → kernels.wasm.gen.ts): it validates with SIMD, exports what
// fast.ts calls, imports only its memory, and instantiateKernels refuses a module built for other shapes.

import { describe, expect, it } from 'vitest';
import { MEMORY_PAGES, WASM_PAGE_BYTES } from '../../../../core/kernels/wasm-simd/layout';
import { instantiateKernels, KERNEL_EXPORTS, KERNEL_SHAPES, kernelModuleBytes } from '../../../../core/kernels/wasm-simd/module';
import type { WasmApi } from '../../../../core/kernels/wasm-simd/runtime';

const bytes = kernelModuleBytes() as Uint8Array<ArrayBuffer>;

/** A WasmApi whose instances export `exports` (to test the checks without a second module). */
function fakeApi(exports: Record<string, unknown>): WasmApi {
  return {
    validate: () => true,
    Module: class {},
    Instance: class {
      readonly exports = exports;
    },
    Memory: class {
      readonly buffer = new ArrayBuffer(0);
    },
  } as unknown as WasmApi;
}

describe('the kernel module', () => {
  it('validates and imports one memory, env.mem', () => {
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(WebAssembly.Module.imports(new WebAssembly.Module(bytes))).toEqual([{ module: 'env', name: 'mem', kind: 'memory' }]);
  });

  it('exports the functions fast.ts calls and the shapes it is written for', () => {
    const exports = WebAssembly.Module.exports(new WebAssembly.Module(bytes));
    for (const name of KERNEL_EXPORTS) expect(exports).toContainEqual({ name, kind: 'function' });
    for (const name of Object.keys(KERNEL_SHAPES)) expect(exports).toContainEqual({ name, kind: 'global' });
  });

  it('instantiates with a memory of MEMORY_PAGES pages and core shapes', () => {
    const { exports, buffer } = instantiateKernels(WebAssembly as unknown as WasmApi, new WebAssembly.Module(bytes));
    expect(buffer.byteLength).toBe(MEMORY_PAGES * WASM_PAGE_BYTES);
    for (const name of KERNEL_EXPORTS) expect(typeof exports[name]).toBe('function');
  });

  it('refuses a module with an export missing or written for other shapes', () => {
    const fn = (): void => {};
    const ok = { forwardChunk: fn, backwardChunk: fn, softmaxChunk: fn, D: { value: KERNEL_SHAPES.D }, K: { value: KERNEL_SHAPES.K }, KP: { value: KERNEL_SHAPES.KP } };
    expect(() => instantiateKernels(fakeApi(ok), {})).not.toThrow();
    expect(() => instantiateKernels(fakeApi({ ...ok, softmaxChunk: undefined }), {})).toThrow(/softmaxChunk missing/);
    expect(() => instantiateKernels(fakeApi({ ...ok, K: { value: 11 } }), {})).toThrow(/K = 11, core has 10/);
    expect(() => instantiateKernels(fakeApi({ ...ok, KP: undefined }), {})).toThrow(/KP = undefined/);
  });
});
