// Assembles the WebAssembly kernels' text, core/kernels/wasm-simd/kernels.wat, with wabt into
// kernels.wasm.gen.ts, a TypeScript module holding the bytes, so core/ never loads an assembler. Run by
// `npm ci` (the prepare script), before the tsx scripts, and by the Vite/Vitest plugin
// (wat-kernels-plugin.ts). Writes only when the bytes change; says nothing when they did not.
// Usage: tsx node/tools/assemble-wat.ts

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import wabtInit from 'wabt';

/** The kernels' source, the one to edit. */
export const KERNELS_WAT = fileURLToPath(new URL('../../core/kernels/wasm-simd/kernels.wat', import.meta.url));

/** The generated module core/kernels/wasm-simd/module.ts imports (gitignored). */
export const KERNELS_GEN = fileURLToPath(new URL('../../core/kernels/wasm-simd/kernels.wasm.gen.ts', import.meta.url));

let wabt: ReturnType<typeof wabtInit> | null = null;

/**
 * Assembles WebAssembly text with SIMD enabled into a validated binary, with a name section (function
 * and local names in profiles and stack traces). Throws wabt's message (`file:line:col: error: …`).
 */
export async function assembleWat(source: string, filename: string): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const module = (await wabt).parseWat(filename, source, { simd: true });
  try {
    module.resolveNames();
    module.validate();
    return module.toBinary({ log: false, write_debug_names: true }).buffer.slice();
  } finally {
    module.destroy();
  }
}

/** The text of the generated TypeScript module: `bytes` as the Uint8Array `KERNELS_WASM`. */
export function generatedModuleText(bytes: Uint8Array, sourceName: string): string {
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) rows.push(`  ${Array.from(bytes.subarray(i, i + 24)).join(', ')},`);
  return [
    `// Generated from ${sourceName} by node/tools/assemble-wat.ts (wabt): do not edit, do not commit.`,
    '// npm ci, the tsx scripts and the Vite/Vitest plugin rewrite it whenever the .wat changes.',
    '',
    `/** The assembled WebAssembly module (${bytes.length} bytes). */`,
    'export const KERNELS_WASM = new Uint8Array([',
    ...rows,
    ']);',
    '',
  ].join('\n');
}

/**
 * Assembles `watPath` and writes the generated module to `outPath` when its text differs (atomically: a
 * concurrent reader sees the old file or the new one). Returns 'written' or 'unchanged'.
 */
export async function writeKernelModule(watPath = KERNELS_WAT, outPath = KERNELS_GEN): Promise<'written' | 'unchanged'> {
  const bytes = await assembleWat(readFileSync(watPath, 'utf8'), relative(process.cwd(), watPath));
  const text = generatedModuleText(bytes, basename(watPath));
  if (existsSync(outPath) && readFileSync(outPath, 'utf8') === text) return 'unchanged';
  const tmp = `${outPath}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, outPath);
  return 'written';
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeKernelModule().then(
    (result) => {
      // stderr, and only on a change: `npm run bench` and `npm run train -- --json` print JSON on stdout.
      if (result === 'written') console.error(`${relative(process.cwd(), KERNELS_GEN)}: written from ${basename(KERNELS_WAT)}`);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
