// The `app://` protocol that serves the built renderer (out/renderer) in production, instead of file://:
// a pure resolver that refuses anything escaping the root (`..`, `%2e%2e`, backslashes, NUL, drive
// letters), and a handler that answers with the right Content-Type, a strict Content-Security-Policy and the
// cross-origin isolation headers (so the page may share memory between threads).

import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';

/** The scheme of the production renderer. */
export const APP_SCHEME = 'app';
/** The host part of every app:// URL (the renderer's origin is `app://renderer`). */
export const APP_HOST = 'renderer';
/** The renderer's origin as Chromium reports it. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
/** The page the window loads in production. */
export const APP_INDEX_URL = `${APP_ORIGIN}/index.html`;

/**
 * The Content-Security-Policy of every app:// response: scripts only from the app itself (no
 * 'unsafe-inline', no 'unsafe-eval'; 'wasm-unsafe-eval' only lets WebAssembly compile, as the page's own
 * meta CSP allows), no remote content of any kind, no plugins, no framing, no forms.
 * Inline style attributes are allowed (React/recharts set them); stylesheets still come from the app.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A `..` (or `.`) path segment, plain or percent-encoded, between slashes or backslashes (raw or encoded). */
const DOT_SEGMENT_RE = /(^|\/|\\|%2f|%5c)(\.|%2e){1,2}(?=$|\/|\\|%2f|%5c)/i;

/** Why a request was refused, or the file to serve. */
export type ResolvedAppPath = { ok: true; path: string } | { ok: false; status: 400 | 403 | 404; reason: string };

/**
 * Maps an app:// URL to a file under `root`, or refuses it. Pure (no file system access) so every
 * traversal trick is unit-tested: `..` (plain or percent-encoded), backslashes, NUL bytes, absolute and
 * drive-letter paths, other hosts and schemes. `/` serves index.html.
 */
export function resolveAppPath(root: string, requestUrl: string): ResolvedAppPath {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return { ok: false, status: 400, reason: 'not a URL' };
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return { ok: false, status: 403, reason: 'wrong scheme or host' };
  // The URL parser silently resolves `..` and `%2e%2e` segments; a request spelled that way is refused
  // outright rather than served from wherever the normalisation lands.
  if (DOT_SEGMENT_RE.test(requestUrl.replace(/^[a-z]+:\/\/[^/]*/i, '').split(/[?#]/)[0])) return { ok: false, status: 403, reason: 'relative segment in path' };
  // Work on the raw path so encoded tricks are seen before and after decoding.
  const rawPath = url.pathname;
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: 400, reason: 'malformed percent-encoding' };
  }
  if (decoded.includes('\0')) return { ok: false, status: 400, reason: 'NUL byte in path' };
  if (decoded.includes('\\') || rawPath.includes('\\')) return { ok: false, status: 403, reason: 'backslash in path' };
  const segments = decoded.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '..' || s === '.') return { ok: false, status: 403, reason: 'relative segment in path' };
    if (/^[A-Za-z]:/.test(s) || s.includes(':')) return { ok: false, status: 403, reason: 'drive letter or colon in path' };
  }
  if (segments.length === 0) segments.push('index.html');
  const rootAbs = resolve(root);
  const target = resolve(rootAbs, ...segments);
  const rel = relative(rootAbs, target);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel) || !target.startsWith(rootAbs + sep)) {
    return { ok: false, status: 403, reason: 'outside the app folder' };
  }
  return { ok: true, path: target };
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

/** The Content-Type for a file name (application/octet-stream when unknown). */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Cross-origin isolation: with these on the page (and on every script it runs, its workers included), the
 * page may share memory between threads (SharedArrayBuffer, a shared WebAssembly.Memory), which the fast
 * kernels' helper threads need. The app loads nothing from other origins, so requiring CORP costs nothing.
 */
export const CROSS_ORIGIN_ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/** Headers of every app:// response. */
export function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    ...CROSS_ORIGIN_ISOLATION,
    'Referrer-Policy': 'no-referrer',
  };
}

/**
 * The handler given to `protocol.handle('app', …)`: serves files under `root` (out/renderer). Only GET
 * and HEAD; refusals get a plain-text status. `read` is injectable for tests.
 */
export function createAppProtocolHandler(root: string, read: (path: string) => Promise<Uint8Array> = readFile): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'method not allowed');
    const resolved = resolveAppPath(root, request.url);
    if (!resolved.ok) return plain(resolved.status, resolved.reason);
    let body: Uint8Array;
    try {
      body = await read(resolved.path);
    } catch {
      return plain(404, 'not found');
    }
    return new Response(request.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), { status: 200, headers: securityHeaders(contentTypeFor(resolved.path)) });
  };
}

function plain(status: number, text: string): Response {
  return new Response(text, { status, headers: securityHeaders('text/plain; charset=utf-8') });
}
