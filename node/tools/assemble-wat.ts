// Assembles the WebAssembly kernels' text, core/kernels/wasm-simd/kernels.wat, with wabt into
// kernels.wasm.gen.ts, a TypeScript module holding the bytes, so core/ never loads an assembler. Four builds
// come from the one text: as written (relaxed SIMD's fused multiply-add, a shared memory for helper
// threads), and spelled for engines without relaxed SIMD (each f32x4.relaxed_madd / relaxed_nmadd written
// as a multiply and an add) or for a page without shared memory (the memory import without `shared`).
// Run by `npm ci` (the prepare script), before the tsx scripts, and by the Vite/Vitest plugin
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

/**
 * The builds of one text, named for what the engine must have: relaxed SIMD or plain SIMD, with a shared
 * memory (threads) or not. Same names as core/kernels/wasm-simd/module.ts's KernelBuild.
 */
export const BUILDS = ['relaxed-shared', 'relaxed', 'simd-shared', 'simd'] as const;

/** A build's name. */
export type Build = (typeof BUILDS)[number];

let wabt: ReturnType<typeof wabtInit> | null = null;

/**
 * Assembles WebAssembly text with SIMD, relaxed SIMD, threads (shared memory) and bulk memory enabled into
 * a validated binary, with a name section (function and local names in profiles and stack traces). Throws
 * wabt's message (`file:line:col: error: …`).
 */
export async function assembleWat(source: string, filename: string): Promise<Uint8Array> {
  wabt ??= wabtInit();
  const features = { simd: true, relaxed_simd: true, threads: true, bulk_memory: true };
  const module = (await wabt).parseWat(filename, source, features);
  try {
    module.resolveNames();
    // validate takes the features too (wabt's typings omit the argument); without them it checks plain SIMD.
    (module.validate as (features: object) => void)(features);
    return module.toBinary({ log: false, write_debug_names: true }).buffer.slice();
  } finally {
    module.destroy();
  }
}

/**
 * The text of one build: `relaxed` keeps the fused multiply-adds, otherwise (f32x4.relaxed_madd a b c)
 * becomes (f32x4.add (f32x4.mul a b) c) and (f32x4.relaxed_nmadd a b c) becomes (f32x4.sub c (f32x4.mul a
 * b)); `shared` keeps a memory declared shared, otherwise the keyword goes. Comments are left alone.
 */
export function buildText(source: string, build: Build): string {
  let text = build.startsWith('relaxed') ? source : spellOutRelaxed(source);
  if (!build.endsWith('shared')) text = text.replace(/\((memory\s+\d+(?:\s+\d+)?)\s+shared\)/g, '($1)');
  return text;
}

/** Rewrites every relaxed multiply-add outside comments into a separate multiply and add (see buildText). */
function spellOutRelaxed(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    if (source.startsWith(';;', i)) {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      out += source.slice(i, stop);
      i = stop;
      continue;
    }
    const op = /^\(f32x4\.relaxed_n?madd\b/.exec(source.slice(i, i + 24))?.[0];
    if (!op) {
      out += source[i++];
      continue;
    }
    const close = matchingParen(source, i);
    const args = operands(spellOutRelaxed(source.slice(i + op.length, close)));
    if (args.length !== 3) throw new Error(`${op.slice(1)} at offset ${i} needs 3 operands, found ${args.length}`);
    const [a, b, c] = args;
    out += op.endsWith('nmadd') ? `(f32x4.sub ${c} (f32x4.mul ${a} ${b}))` : `(f32x4.add (f32x4.mul ${a} ${b}) ${c})`;
    i = close + 1;
  }
  return out;
}

/** Index of the parenthesis closing the one at `open`, skipping line comments. */
function matchingParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s.startsWith(';;', i)) {
      i = s.indexOf('\n', i);
      if (i < 0) break;
    } else if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  throw new Error(`unbalanced parenthesis at offset ${open}`);
}

/** The top-level s-expressions (or atoms) of an instruction's operand text, comments dropped. */
function operands(s: string): string[] {
  const found: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (/\s/.test(s[i])) i++;
    else if (s.startsWith(';;', i)) i = s.includes('\n', i) ? s.indexOf('\n', i) : s.length;
    else if (s[i] === '(') {
      const close = matchingParen(s, i);
      found.push(s.slice(i, close + 1));
      i = close + 1;
    } else {
      const m = /^[^\s()]+/.exec(s.slice(i)) as RegExpExecArray;
      found.push(m[0]);
      i += m[0].length;
    }
  }
  return found;
}

/** Assembles every build of `source` (see {@link BUILDS}). */
export async function assembleBuilds(source: string, filename: string): Promise<Record<Build, Uint8Array>> {
  const builds = {} as Record<Build, Uint8Array>;
  for (const build of BUILDS) builds[build] = await assembleWat(buildText(source, build), filename);
  return builds;
}

/** The text of the generated TypeScript module: each build's bytes in the record `KERNELS_WASM`. */
export function generatedModuleText(builds: Readonly<Record<Build, Uint8Array>>, sourceName: string): string {
  const lines = [
    `// Generated from ${sourceName} by node/tools/assemble-wat.ts (wabt): do not edit, do not commit.`,
    '// npm ci, the tsx scripts and the Vite/Vitest plugin rewrite it whenever the .wat changes.',
    '',
    '/** The assembled WebAssembly module, one build per engine feature set (see node/tools/assemble-wat.ts). */',
    'export const KERNELS_WASM = {',
  ];
  for (const build of BUILDS) {
    const bytes = builds[build];
    lines.push(`  /** ${bytes.length} bytes. */`, `  '${build}': new Uint8Array([`);
    for (let i = 0; i < bytes.length; i += 24) lines.push(`    ${Array.from(bytes.subarray(i, i + 24)).join(', ')},`);
    lines.push('  ]),');
  }
  lines.push('} as const;', '');
  return lines.join('\n');
}

/**
 * Assembles `watPath` and writes the generated module to `outPath` when its text differs (atomically: a
 * concurrent reader sees the old file or the new one). Returns 'written' or 'unchanged'.
 */
export async function writeKernelModule(watPath = KERNELS_WAT, outPath = KERNELS_GEN): Promise<'written' | 'unchanged'> {
  const builds = await assembleBuilds(readFileSync(watPath, 'utf8'), relative(process.cwd(), watPath));
  const text = generatedModuleText(builds, basename(watPath));
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
