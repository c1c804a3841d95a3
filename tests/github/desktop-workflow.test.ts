// .github/workflows/desktop.yml is valid by construction, though no machine here runs it: it is checked
// against the GitHub workflow schema (SchemaStore's, through @action-validator/core), every `npm run X` it
// runs is a script of package.json, every `npx X` a package it declares, every `node FILE` a file that
// exists, and it does what issue 16 asks of it (three runners, Node 24, xvfb on Linux, unsigned
// installers, artifacts, the fuse check).

import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateWorkflow, type ValidationError } from '@action-validator/core';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORKFLOW = join(ROOT, '.github', 'workflows', 'desktop.yml');
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };

const text = readFileSync(WORKFLOW, 'utf8');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };

/** A workflow step, as much of it as these checks read. */
interface Step { name?: string; uses?: string; run?: string; if?: string; shell?: string; with?: Record<string, unknown> }
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix?: { os?: string[] } }; env?: Record<string, unknown>; steps: Step[] }>;
}

/** The schema errors of a workflow's text, one readable line each (nested alternatives included). */
function schemaErrors(source: string): string[] {
  const lines: string[] = [];
  const walk = (errors: ValidationError[], depth: number): void => {
    for (const e of errors) {
      const path = 'path' in e ? e.path : '';
      lines.push(`${'  '.repeat(depth)}${path || '(root)'}: ${e.title}${e.detail ? ` (${e.detail})` : ''}`);
      if ('states' in e && e.states) for (const s of e.states) walk(s.errors, depth + 1);
    }
  };
  walk(validateWorkflow(source).errors, 0);
  return lines;
}

const workflow = yaml.load(text) as Workflow;
const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const runs = steps.map((s) => s.run ?? '').join('\n');

describe('.github/workflows/desktop.yml', () => {
  it('is valid against the GitHub workflow schema', () => {
    expect(schemaErrors(text)).toEqual([]);
  });

  it('fails the schema check when broken: a misspelt key, a wrong type, an unknown event, bad YAML', () => {
    const broken = {
      'runs-on misspelt': text.replace('runs-on:', 'runs-onn:'),
      'timeout-minutes not a number': text.replace('timeout-minutes: 60', 'timeout-minutes: an hour'),
      'an unknown event': text.replace('  pull_request:', '  pull_requests:'),
      'a step with neither run nor uses': text.replace('      - run: npm ci', '      - name: nothing to do'),
      'bad YAML': text.replace('jobs:', 'jobs: ['),
    };
    for (const [what, source] of Object.entries(broken)) {
      expect(source, what).not.toBe(text);
      expect(schemaErrors(source).length, what).toBeGreaterThan(0);
    }
  });

  it('runs only npm scripts package.json has, npx tools it declares, and node files that exist', () => {
    const scripts = [...runs.matchAll(/\bnpm run ([\w:.-]+)/g)].map((m) => m[1]);
    expect(scripts).toEqual(expect.arrayContaining(['test:electron-e2e', 'dist', 'check-fuses']));
    for (const name of scripts) expect(Object.keys(pkg.scripts), `npm run ${name}`).toContain(name);

    const declared = { ...pkg.dependencies, ...pkg.devDependencies };
    const tools = [...runs.matchAll(/\bnpx (@?[\w.-]+(?:\/[\w.-]+)?)/g)].map((m) => m[1]);
    expect(tools).toEqual(['@electron/fuses']);
    for (const tool of tools) expect(Object.keys(declared), `npx ${tool}`).toContain(tool);

    const files = [...runs.matchAll(/(?:^|\s)node ([\w./-]+\.[cm]?js)\b/gm)].map((m) => m[1]);
    expect(files).toEqual(['node_modules/electron/install.js']);
    for (const file of files) expect(existsSync(join(ROOT, file)), file).toBe(true);
  });

  it('runs on push and pull request, on Linux, macOS and Windows, with Node 24 and npm ci', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    const [job] = Object.values(workflow.jobs);
    expect(job.strategy?.matrix?.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    const node = steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(node?.with).toEqual({ 'node-version': 24, cache: 'npm' });
    expect(steps.map((s) => s.run)).toContain('npm ci');
    for (const s of steps.filter((x) => x.uses)) expect(s.uses, 'actions pinned to a version').toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
  });

  it('tests the real app (under xvfb on Linux), builds unsigned installers, uploads them and the screenshots, and checks the fuses', () => {
    const [job] = Object.values(workflow.jobs);
    expect(job.env?.CSC_IDENTITY_AUTO_DISCOVERY).toBe(false);
    expect(pkg.scripts.dist).toMatch(/--publish never$/);
    const e2e = steps.filter((s) => /npm run test:electron-e2e$/.test(s.run ?? ''));
    expect(e2e.map((s) => [s.if, s.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run -a npm run test:electron-e2e'],
      ["runner.os != 'Linux'", 'npm run test:electron-e2e'],
    ]);
    const uploads = steps.filter((s) => s.uses?.startsWith('actions/upload-artifact@')).map((s) => String(s.with?.path));
    expect(uploads).toHaveLength(2);
    expect(uploads[0]).toBe('tests/e2e/screenshots/');
    for (const ext of ['AppImage', 'deb', 'dmg', 'exe']) expect(uploads[1]).toContain(`release/*/*.${ext}`);
    const fuses = steps.find((s) => s.run?.includes('npx @electron/fuses read --app'));
    expect(fuses?.shell).toBe('bash');
    expect(fuses?.run).toContain('npm run check-fuses -- "$app"');
    // The order a failure should stop at: tests, then installers, then their fuses, then the upload.
    const at = (pattern: RegExp): number => steps.findIndex((s) => pattern.test(s.run ?? s.with?.path?.toString() ?? ''));
    expect(at(/test:electron-e2e/)).toBeLessThan(at(/^npm run dist$/));
    expect(at(/^npm run dist$/)).toBeLessThan(at(/check-fuses/));
    expect(at(/check-fuses/)).toBeLessThan(at(/\.AppImage/));
  });
});
