// A Vite plugin, used by the web and Electron builds and by both Vitest configs, that keeps
// kernels.wasm.gen.ts in step with kernels.wat: assembled when a build, dev server or test run starts,
// and again whenever the .wat changes while one is running. The bytes then reach core/ as an ordinary
// TypeScript import, so every bundle (main, utility process, renderer, Web Worker) carries them.

import type { Plugin } from 'vite';
import { KERNELS_GEN, KERNELS_WAT, writeKernelModule } from './assemble-wat';

/** Where the plugin reads the .wat and writes the generated module (tests point it at a temp folder). */
export interface WatKernelsPaths {
  /** The WebAssembly text. */
  wat: string;
  /** The generated TypeScript module. */
  out: string;
}

/** The plugin; `paths` defaults to core/kernels/wasm-simd/kernels.wat → kernels.wasm.gen.ts. */
export function watKernels(paths: WatKernelsPaths = { wat: KERNELS_WAT, out: KERNELS_GEN }): Plugin {
  return {
    name: 'softmax-lab-wat-kernels',
    async buildStart() {
      await writeKernelModule(paths.wat, paths.out);
      this.addWatchFile(paths.wat); // `vite build --watch` rebuilds on a .wat change
    },
    configureServer(server) {
      server.watcher.add(paths.wat);
      server.watcher.on('change', (file) => {
        if (file !== paths.wat) return;
        // The rewritten .gen.ts is an ordinary module change: dependents reload, tests rerun.
        writeKernelModule(paths.wat, paths.out).catch((err: unknown) => {
          server.config.logger.error(`kernels.wat: ${err instanceof Error ? err.message : String(err)}`);
        });
      });
    },
  };
}
