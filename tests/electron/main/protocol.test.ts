// The app:// resolver must never serve a file outside out/renderer, however the path is spelled;
// and every response carries the strict CSP.

import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, createAppProtocolHandler, CROSS_ORIGIN_ISOLATION, resolveAppPath } from '../../../electron/main/protocol';

const root = resolve('/srv/app/out/renderer');

describe('resolveAppPath', () => {
  it('serves files under the root, and / as index.html', () => {
    expect(resolveAppPath(root, 'app://renderer/')).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://renderer/index.html')).toEqual({ ok: true, path: join(root, 'index.html') });
    expect(resolveAppPath(root, 'app://renderer/assets/index-abc.js?v=1#x')).toEqual({ ok: true, path: join(root, 'assets', 'index-abc.js') });
    expect(resolveAppPath(root, 'app://renderer/assets/my%20file.css')).toEqual({ ok: true, path: join(root, 'assets', 'my file.css') });
  });

  const refused: [string, string][] = [
    ['plain ..', 'app://renderer/../../etc/passwd'],
    ['.. in the middle', 'app://renderer/assets/../../secret'],
    ['encoded %2e%2e', 'app://renderer/%2e%2e/%2e%2e/etc/passwd'],
    ['encoded upper %2E%2E', 'app://renderer/assets/%2E%2E/%2E%2E/x'],
    ['encoded slash and dots', 'app://renderer/..%2f..%2fetc%2fpasswd'],
    ['double-encoded', 'app://renderer/%252e%252e/x'],
    ['backslashes', 'app://renderer/..\\..\\windows\\win.ini'],
    ['encoded backslash', 'app://renderer/..%5c..%5cx'],
    ['NUL byte', 'app://renderer/index.html%00.png'],
    ['drive letter', 'app://renderer/C:/Windows/win.ini'],
    ['encoded absolute path', 'app://renderer/%2Fetc%2Fpasswd/..%2F..'],
    ['malformed encoding', 'app://renderer/%E0%A4%A'],
    ['another host', 'app://evil/index.html'],
    ['another scheme', 'file:///etc/passwd'],
    ['not a URL', 'not a url'],
  ];
  for (const [what, url] of refused) {
    it(`refuses ${what}`, () => {
      const r = resolveAppPath(root, url);
      if (r.ok) {
        // the only acceptable "ok" is a path still inside the root (e.g. a literal file named %2e%2e)
        expect(r.path.startsWith(root + '/')).toBe(true);
        expect(r.path).not.toMatch(/\.\.|\0|\\/);
      } else {
        expect([400, 403]).toContain(r.status);
      }
    });
  }

  it('never resolves outside the root for any of the refused spellings', () => {
    for (const [, url] of refused) {
      const r = resolveAppPath(root, url);
      if (r.ok) expect(r.path.startsWith(root)).toBe(true);
    }
    // the plain traversal cases are outright refusals
    expect(resolveAppPath(root, 'app://renderer/%2e%2e/x').ok).toBe(false);
    expect(resolveAppPath(root, 'app://renderer/..%2f..%2fetc%2fpasswd').ok).toBe(false);
    expect(resolveAppPath(root, 'app://renderer/..%5c..%5cx').ok).toBe(false);
    expect(resolveAppPath(root, 'app://renderer/index.html%00.png').ok).toBe(false);
  });
});

describe('createAppProtocolHandler', () => {
  const dir = mkdtempSync(join(tmpdir(), 'app-proto-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>');
  writeFileSync(join(dir, 'assets', 'a.js'), 'console.log(1)');
  writeFileSync(join(dir, '..', 'outside-secret.txt'), 'secret');
  const handler = createAppProtocolHandler(dir);

  it('serves files with their type and the CSP header', async () => {
    const res = await handler(new Request('app://renderer/index.html'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await res.text()).toContain('<title>t</title>');
    const js = await handler(new Request('app://renderer/assets/a.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('makes the page cross-origin isolated (COOP same-origin, COEP require-corp) on every response, refusals too', async () => {
    for (const res of [await handler(new Request('app://renderer/index.html')), await handler(new Request('app://renderer/assets/a.js')), await handler(new Request('app://renderer/nope.js'))]) {
      expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
      expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
    }
    expect(CROSS_ORIGIN_ISOLATION).toEqual({ 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin' });
  });

  it('answers 404 for a missing file and 403 for traversal, never the file outside', async () => {
    expect((await handler(new Request('app://renderer/nope.js'))).status).toBe(404);
    // fetch's Request already resolves dot segments (as Chromium does before the handler runs), so
    // the handler sees /outside-secret.txt inside the root: not found, never the file outside.
    for (const url of ['app://renderer/%2e%2e/outside-secret.txt', 'app://renderer/../outside-secret.txt', 'app://renderer/..%2foutside-secret.txt']) {
      const res = await handler(new Request(url));
      expect([403, 404]).toContain(res.status);
      expect(await res.text()).not.toBe('secret');
    }
  });

  it('allows only GET and HEAD', async () => {
    expect((await handler(new Request('app://renderer/index.html', { method: 'POST', body: 'x' }))).status).toBe(405);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('has no unsafe-eval or unsafe-inline for scripts and no remote sources', () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    expect(directives['script-src']).toEqual(["'self'", "'wasm-unsafe-eval'"]);
    expect(directives['default-src']).toEqual(["'self'"]);
    expect(directives['object-src']).toEqual(["'none'"]);
    expect(directives['script-src']).not.toContain("'unsafe-eval'");
    expect(directives['script-src']).not.toContain("'unsafe-inline'");
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/https?:|\*/);
  });
});
