// Vite config of the web build of the lab window (`npm run web`, `npm run build:web`): root renderer/,
// output out/web, the trainer as a bundled module Web Worker, and a tiny plugin that serves the four
// Fashion-MNIST files from the folder the CLI would use (GET /dataset/<name>[.gz]); nothing else on disk.

import { createReadStream, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { DATASET_FILES, type DatasetFileName } from './core/protocol';
import { locateDataset, describePlace } from './node/data/locate';
import { watKernels } from './node/tools/wat-kernels-plugin';
// The app:// protocol's cross-origin isolation headers, so the web page gets exactly what the desktop app does.
import { CROSS_ORIGIN_ISOLATION } from './electron/main/protocol';

/** The only paths the dataset route answers: the four canonical names, gzipped or not. */
const ROUTE = /^\/dataset\/([a-z0-9-]+?)(\.gz)?$/;

/** Answers GET/HEAD /dataset/<canonical name>[.gz] from the located folder; calls next() for other paths. */
export function serveDataset(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const url = (req.url ?? '').split('?')[0];
  if (!url.startsWith('/dataset/')) return next();
  const m = ROUTE.exec(url);
  const name = m?.[1] as DatasetFileName | undefined;
  const wantGz = Boolean(m?.[2]);
  if ((req.method !== 'GET' && req.method !== 'HEAD') || !name || !DATASET_FILES.includes(name)) {
    res.statusCode = 404;
    res.end('not found');
    return;
  }
  // Searched on every request: installing the Debian package while the page is open then just works.
  const { found, searched } = locateDataset();
  const file = found?.files[name];
  if (!file || file.gzipped !== wantGz) {
    res.statusCode = 404;
    res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    res.end(found ? `${name}${wantGz ? '.gz' : ''} is not in ${found.dir}` : `Fashion-MNIST not found; looked in: ${searched.map((s) => describePlace(s.place)).join('; ')}`);
    return;
  }
  const size = statSync(file.path).size;
  res.statusCode = 200;
  // Raw bytes, never Content-Encoding: the worker decompresses itself and counts the real download.
  res.setHeader('Content-Type', file.gzipped ? 'application/gzip' : 'application/octet-stream');
  res.setHeader('Content-Length', String(size));
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('X-Dataset-Folder', encodeURIComponent(found?.dir ?? ''));
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file.path).pipe(res);
}

/** The dataset route on both the dev server and `vite preview`. */
function datasetRoute(): Plugin {
  return {
    name: 'softmax-lab-dataset-route',
    configureServer(server) {
      server.middlewares.use(serveDataset);
    },
    configurePreviewServer(server) {
      server.middlewares.use(serveDataset);
    },
  };
}

/**
 * The dev server's React refresh preamble is an inline script, which the page's CSP forbids; only in
 * `vite serve` do we allow inline scripts. The built page (`npm run web`, Electron) keeps the strict CSP.
 */
function relaxCspForDevServer(): Plugin {
  return {
    name: 'softmax-lab-dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'");
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  // watKernels: core's WebAssembly kernels, assembled from kernels.wat before the worker bundle imports them.
  plugins: [react(), datasetRoute(), relaxCspForDevServer(), watKernels()],
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./out/web', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 1500,
  },
  // Cross-origin isolation (COOP + COEP), so the page and its workers may share memory: the fast kernels'
  // helper threads need it, and run on one thread (saying so) where a page lacks it.
  server: { host: '127.0.0.1', headers: CROSS_ORIGIN_ISOLATION },
  preview: { host: '127.0.0.1', port: 4173, headers: CROSS_ORIGIN_ISOLATION },
});
