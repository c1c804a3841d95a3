// The build step that turns core/kernels/wasm-simd/kernels.wat into kernels.wasm.gen.ts: the generated
// module holds the .wat's current assembly in each build (relaxed SIMD or plain, shared memory or not), it
// is rewritten only on a change, a bad .wat fails with wabt's file:line message, and the Vite/Vitest plugin
// regenerates a missing or stale file when a build starts.

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KERNELS_WASM } from '../../../core/kernels/wasm-simd/kernels.wasm.gen';
import { assembleBuilds, assembleWat, BUILDS, buildText, generatedModuleText, KERNELS_GEN, KERNELS_WAT, writeKernelModule } from '../../../node/tools/assemble-wat';
import { watKernels } from '../../../node/tools/wat-kernels-plugin';

/** A one-function SIMD module: f() = (1, 2, 3, 4) + (x, x, x, x). */
const tinyWat = (x: number): string => `(module (func (export "f") (result v128) (f32x4.add (v128.const f32x4 1 2 3 4) (v128.const f32x4 ${x} ${x} ${x} ${x}))))`;

let dir = '';
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = '';
});

/** A temp folder holding `tiny.wat`; returns the .wat and the generated file's paths. */
function tempWat(text: string): { wat: string; out: string } {
  dir = mkdtempSync(join(tmpdir(), 'assemble-wat-'));
  const wat = join(dir, 'tiny.wat');
  writeFileSync(wat, text);
  return { wat, out: join(dir, 'tiny.wasm.gen.ts') };
}

describe('assembleWat', () => {
  it('assembles SIMD text into a module that validates and runs', async () => {
    const bytes = await assembleWat(tinyWat(10), 'tiny.wat');
    expect(WebAssembly.validate(bytes as Uint8Array<ArrayBuffer>)).toBe(true);
    const f = new WebAssembly.Instance(new WebAssembly.Module(bytes as Uint8Array<ArrayBuffer>)).exports.f as () => unknown;
    expect(typeof f).toBe('function'); // a v128 result cannot cross into JS; compiling and linking is the point
  });

  it("fails with wabt's file:line:col message on bad text", async () => {
    await expect(assembleWat('(module (func (i32.add)))', 'bad.wat')).rejects.toThrow(/bad\.wat:1:\d+: error: type mismatch/);
  });
});

describe('buildText', () => {
  const wat = `(module (import "env" "mem" (memory 1 4 shared))
    ;; (f32x4.relaxed_madd a b c) in a comment stays as it is
    (func (param $a v128) (param $b v128) (param $c v128) (result v128)
      (f32x4.relaxed_nmadd (local.get $a) (f32x4.relaxed_madd (local.get $b) (local.get $c) (local.get $a)) (local.get $c))))`;

  it('keeps the text as written for the relaxed shared build', () => {
    expect(buildText(wat, 'relaxed-shared')).toBe(wat);
  });

  it('spells each relaxed multiply-add as a multiply and an add (nested ones too), and drops `shared` where asked', () => {
    const plain = buildText(wat, 'simd');
    expect(plain).toContain('(memory 1 4))');
    expect(plain).toContain(';; (f32x4.relaxed_madd a b c) in a comment stays as it is');
    expect(plain).toContain('(f32x4.sub (local.get $c) (f32x4.mul (local.get $a) (f32x4.add (f32x4.mul (local.get $b) (local.get $c)) (local.get $a))))');
    expect(buildText(wat, 'simd-shared')).toContain('(memory 1 4 shared)');
    expect(buildText(wat, 'relaxed')).toContain('f32x4.relaxed_nmadd');
  });

  it('gives four builds that assemble, each with the memory its name says', async () => {
    const builds = await assembleBuilds(wat, 'tiny.wat');
    expect(Object.keys(builds)).toEqual([...BUILDS]);
    for (const build of BUILDS) {
      const imports = WebAssembly.Module.imports(new WebAssembly.Module(builds[build] as Uint8Array<ArrayBuffer>));
      expect(imports).toEqual([{ module: 'env', name: 'mem', kind: 'memory' }]);
    }
    expect(Buffer.from(builds.simd).equals(Buffer.from(builds.relaxed))).toBe(false);
  });
});

describe('kernels.wasm.gen.ts', () => {
  it('holds the current assembly of kernels.wat in every build (npm ci, the tsx scripts and the plugin keep it so)', async () => {
    const fresh = await assembleBuilds(readFileSync(KERNELS_WAT, 'utf8'), 'kernels.wat');
    for (const build of BUILDS) {
      expect(Buffer.from(KERNELS_WASM[build]).equals(Buffer.from(fresh[build])), 'kernels.wasm.gen.ts is stale: run `npx tsx node/tools/assemble-wat.ts`').toBe(true);
    }
    expect(readFileSync(KERNELS_GEN, 'utf8')).toBe(generatedModuleText(fresh, 'kernels.wat'));
  });
});

describe('writeKernelModule', () => {
  it('writes a missing file, leaves an up-to-date one alone, rewrites a stale one', async () => {
    const { wat, out } = tempWat(tinyWat(10));
    expect(await writeKernelModule(wat, out)).toBe('written');
    const first = readFileSync(out, 'utf8');
    expect(first).toContain('export const KERNELS_WASM = {');
    const mtime = statSync(out).mtimeMs;
    expect(await writeKernelModule(wat, out)).toBe('unchanged');
    expect(statSync(out).mtimeMs).toBe(mtime);
    writeFileSync(wat, tinyWat(20));
    expect(await writeKernelModule(wat, out)).toBe('written');
    expect(readFileSync(out, 'utf8')).not.toBe(first);
  });

  it('keeps the last good file when the .wat does not assemble', async () => {
    const { wat, out } = tempWat(tinyWat(10));
    await writeKernelModule(wat, out);
    const good = readFileSync(out, 'utf8');
    writeFileSync(wat, '(module (func (i32.add)))');
    await expect(writeKernelModule(wat, out)).rejects.toThrow(/type mismatch/);
    expect(readFileSync(out, 'utf8')).toBe(good);
  });
});

describe('the watKernels plugin', () => {
  it('regenerates a missing or stale module when a build starts, and watches the .wat', async () => {
    const { wat, out } = tempWat(tinyWat(10));
    const plugin = watKernels({ wat, out });
    const hook = plugin.buildStart;
    const buildStart = typeof hook === 'function' ? hook : hook?.handler;
    const watched: string[] = [];
    const start = (): unknown => buildStart?.call({ addWatchFile: (f: string) => watched.push(f) } as never, {} as never);
    await start();
    expect(watched).toEqual([wat]);
    const first = readFileSync(out, 'utf8');
    expect(first).toBe(generatedModuleText(await assembleBuilds(tinyWat(10), 'tiny.wat'), 'tiny.wat'));
    writeFileSync(wat, tinyWat(20));
    await start();
    expect(readFileSync(out, 'utf8')).toBe(generatedModuleText(await assembleBuilds(tinyWat(20), 'tiny.wat'), 'tiny.wat'));
  });
});
