// The README's commands are real: every `npm run NAME`, `npm start` and `npm test` it gives is a script in
// package.json, and every repository path it links to exists (a script or file renamed or dropped
// would otherwise leave a newcomer with a command that fails).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('README.md', () => {
  it('names only npm scripts that package.json has', () => {
    const named = new Set<string>();
    for (const m of readme.matchAll(/npm run ([a-z][a-z0-9:-]*)/g)) named.add(m[1]);
    for (const m of readme.matchAll(/npm (start|test)\b/g)) named.add(m[1]);
    expect(named.size).toBeGreaterThan(5);
    expect([...named].filter((n) => !scripts.includes(n))).toEqual([]);
  });

  it('links only to files and folders that exist', () => {
    const links = [...readme.matchAll(/\]\((?!https?:|#|mailto:)([^)\s]+)\)/g)].map((m) => m[1].split('#')[0]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !existsSync(join(ROOT, l)))).toEqual([]);
  });
});
