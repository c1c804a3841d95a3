// electron-vite build of the desktop app: main (ESM, with the training utility process bundled through
// `?modulePath`), the preload as CommonJS (a sandboxed preload cannot be an ES module), and the React
// renderer from renderer/index.html. Output in out/{main,preload,renderer}; everything is bundled.

import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { watKernels } from './node/tools/wat-kernels-plugin';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  main: {
    build: {
      // Bundle zod and @noble/hashes into main and the worker: the package then needs no node_modules.
      externalizeDeps: false,
      target: 'node22',
      rollupOptions: { input: { index: here('./electron/main/index.ts') } },
    },
    // core's WebAssembly kernels (kernels.wat, assembled here) reach the training utility process bundled in main.
    plugins: [watKernels()],
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: {
        input: { index: here('./electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: here('./renderer'),
    base: './',
    plugins: [react(), watKernels()], // watKernels: for the web bridge's Web Worker trainer
    worker: { format: 'es' },
    build: {
      target: 'es2022',
      chunkSizeWarningLimit: 1500,
      rollupOptions: { input: { index: here('./renderer/index.html') } },
    },
  },
});
