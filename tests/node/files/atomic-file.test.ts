// Atomic saves: the unit behaviour, and the proof: a Node child saving in a loop is SIGKILLed at random
// moments, several times, and every file is always a complete old or new version, never torn.

import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isTempFileName, removeStaleTempFiles, writeFileAtomic } from '../../../node/files/atomic-file';
import { CHILD_FILES, expectedContent } from './atomic-writer-child';

const childPath = fileURLToPath(new URL('./atomic-writer-child.ts', import.meta.url));

describe('writeFileAtomic', () => {
  it('replaces a file and leaves no temp file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'run.json');
    await writeFileAtomic(path, 'one');
    await writeFileAtomic(path, 'two');
    expect(readFileSync(path, 'utf8')).toBe('two');
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  it('keeps the mode of the file it replaces (a 0600 file stays 0600)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-mode-'));
    const path = join(dir, 'secret.json');
    writeFileSync(path, 'old');
    chmodSync(path, 0o600);
    await writeFileAtomic(path, 'new');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8')).toBe('new');
    await writeFileAtomic(join(dir, 'fresh.json'), 'x');
    expect(statSync(join(dir, 'fresh.json')).mode & 0o777).toBe(0o644);
  });

  it('writes through a symlink: the link stays, its target gets the new bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-link-'));
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    writeFileSync(real, 'old');
    symlinkSync(real, link);
    await writeFileAtomic(link, 'new');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('new');
  });

  it('refuses to replace something that is not a regular file (a folder, a FIFO)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-odd-'));
    mkdirSync(join(dir, 'folder.json'));
    await expect(writeFileAtomic(join(dir, 'folder.json'), 'x')).rejects.toThrow(/not a regular file/);
    if (process.platform !== 'win32') {
      execFileSync('mkfifo', [join(dir, 'fifo.json')]);
      await expect(writeFileAtomic(join(dir, 'fifo.json'), 'x')).rejects.toThrow(/not a regular file/);
    }
  });

  it('fails without touching the target when the folder is missing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    await expect(writeFileAtomic(join(dir, 'nope', 'x.json'), 'x')).rejects.toThrow();
  });

  it('sweeps stale temp files, and only those', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    writeFileSync(join(dir, '.run.json.0123456789ab.tmp'), 'partial');
    writeFileSync(join(dir, 'run.json'), '{}');
    writeFileSync(join(dir, 'notes.tmp'), 'user file');
    expect(await removeStaleTempFiles(dir)).toEqual(['.run.json.0123456789ab.tmp']);
    expect(readdirSync(dir).sort()).toEqual(['notes.tmp', 'run.json']);
    expect(isTempFileName('.a.json.abcdef012345.tmp')).toBe(true);
    expect(isTempFileName('a.json')).toBe(false);
    expect(await removeStaleTempFiles(join(dir, 'missing'))).toEqual([]);
  });
});

/** Parses `text` as one of the child's versions; throws when it is not exactly a version. */
function versionOf(name: string, text: string): number {
  const v = (JSON.parse(text) as { version: number }).version;
  if (text !== expectedContent(name, v)) throw new Error(`${name}: content is not exactly version ${v} (torn)`);
  return v;
}

function runChildUntilKilled(dir: string, start: number, killAfterMs: number, mode: 'atomic' | 'plain' = 'atomic'): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childPath, dir, String(start), mode], { stdio: ['ignore', 'pipe', 'inherit'] });
    let killed = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (!killed && chunk.toString().includes('ready')) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve();
      else reject(new Error(`writer exited on its own (code ${code}, signal ${signal})`));
    });
  });
}

describe('atomicity under SIGKILL', () => {
  it('never leaves a torn file, whenever the writer is killed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atomic-kill-'));
    const last = new Map<string, number>();
    let tempsSeen = 0;
    let start = 0;
    // Deterministic "random" kill moments, spread over 15..250 ms of saving.
    const delays = [37, 113, 15, 250, 71, 190];
    for (const delay of delays) {
      await runChildUntilKilled(dir, start, delay);
      for (const name of CHILD_FILES) {
        const path = join(dir, name);
        expect(existsSync(path)).toBe(true);
        const v = versionOf(name, readFileSync(path, 'utf8'));
        // old or new: never older than what we saw before
        expect(v).toBeGreaterThanOrEqual(last.get(name) ?? 0);
        last.set(name, v);
      }
      const temps = readdirSync(dir).filter(isTempFileName);
      tempsSeen += temps.length;
      expect((await removeStaleTempFiles(dir)).length).toBe(temps.length);
      expect(readdirSync(dir).sort()).toEqual([...CHILD_FILES].sort());
      start = Math.max(...last.values()) + 1;
    }
    // the writer made progress between kills (the test killed it mid-loop, not before it started)
    expect(Math.max(...last.values())).toBeGreaterThan(delays.length);
    console.log(`SIGKILL test: ${delays.length} kills, last versions ${JSON.stringify(Object.fromEntries(last))}, ${tempsSeen} stale temp file(s) swept`);
  }, 60_000);
});

describe('the SIGKILL test has teeth', () => {
  it('catches torn files when the same loop writes with plain fs.writeFile', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plain-kill-'));
    let torn = 0;
    let observed = 0;
    let start = 0;
    for (const delay of [37, 113, 15, 250, 71, 190]) {
      await runChildUntilKilled(dir, start, delay, 'plain');
      for (const name of CHILD_FILES) {
        observed++;
        try {
          start = Math.max(start, versionOf(name, readFileSync(join(dir, name), 'utf8')) + 1);
        } catch {
          torn++;
        }
      }
    }
    console.log(`control: ${torn} of ${observed} files torn by SIGKILL with plain writes`);
    expect(torn).toBeGreaterThan(0);
  }, 60_000);
});
