// node/cli/program.ts, the commander shape the three CLIs share: help is exit 0 on stdout, a bad flag one
// line on stderr and exit 2 (a multi-line commander message folded), good flags null; nothing exits the process.

import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { cliProgram, parseFlags } from '../../../node/cli/program';

function io() {
  const out = { stdout: '', stderr: '' };
  return { out, streams: { stdout: { write: (s: string) => (out.stdout += s) }, stderr: { write: (s: string) => (out.stderr += s) } } };
}

const program = (streams: ReturnType<typeof io>['streams']) => cliProgram('demo', 'A demo.', streams).option('--n <n>', 'a positive number', (v: string) => {
  if (!(Number(v) > 0)) throw new InvalidArgumentError('n must be above 0.\nTry again.');
  return Number(v);
});

describe('parseFlags', () => {
  it('returns null for good flags, 0 after help, 2 after one error line', () => {
    const a = io();
    const p = program(a.streams);
    expect(parseFlags(p, ['--n', '3'], a.streams)).toBeNull();
    expect(p.opts()).toEqual({ n: 3 });
    const b = io();
    expect(parseFlags(program(b.streams), ['--help'], b.streams)).toBe(0);
    expect(b.out.stdout).toMatch(/^Usage: demo \[options\]\n\nA demo\./);
    const c = io();
    expect(parseFlags(program(c.streams), ['--n', '-1'], c.streams)).toBe(2);
    expect(c.out.stderr).toBe("error: option '--n <n>' argument '-1' is invalid. n must be above 0. Try again.\n");
    const d = io();
    expect(parseFlags(program(d.streams), ['--nope'], d.streams)).toBe(2);
    expect(d.out.stderr.split('\n')).toHaveLength(2); // one line, no suggestion
  });
});
