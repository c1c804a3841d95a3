// Model save/open from main: a diverged or malformed model is never written; opening refuses huge,
// truncated, non-JSON, wrong-version, wrong-shape, non-finite and tampered files with a clear message.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { encodeModelFile, MAX_MODEL_FILE_BYTES, type ModelFile } from '../../../core/model-file';
import { NUM_PARAMS } from '../../../core/shapes';
import { DEFAULT_CONFIG } from '../../../core/train';
import { openModelWithDialog, saveModelWithDialog, type ModelDialogs } from '../../../electron/main/model-io';
import { readModelFile, validatedModelText, writeModelFile } from '../../../node/files/model-io';
import * as atomic from '../../../node/files/atomic-file';

function model(): ModelFile {
  const params = new Float32Array(NUM_PARAMS);
  for (let i = 0; i < params.length; i++) params[i] = Math.sin(i) * 0.01;
  return encodeModelFile(params, { ...DEFAULT_CONFIG }, { epochs: 10, trainLoss: 0.45, trainAcc: 0.84, testAcc: 0.83 }, '2026-11-25T10:00:00Z');
}

function dialogs(savePath: string | null, openPath: string | null): ModelDialogs & { save: ReturnType<typeof vi.fn>; open: ReturnType<typeof vi.fn> } {
  const save = vi.fn(async () => (savePath ? { canceled: false, filePath: savePath } : { canceled: true }));
  const open = vi.fn(async () => (openPath ? { canceled: false, filePaths: [openPath] } : { canceled: true, filePaths: [] }));
  return { save, open, showSaveDialog: save, showOpenDialog: open };
}

const dir = mkdtempSync(join(tmpdir(), 'model-io-'));

describe('saving', () => {
  it('writes through the atomic writer (never a plain writeFile)', async () => {
    const spy = vi.spyOn(atomic, 'writeFileAtomic');
    try {
      const path = join(dir, 'atomic.json');
      expect(await saveModelWithDialog(dialogs(path, null), model(), path)).toEqual({ saved: true, path });
      await writeModelFile(join(dir, 'atomic2.json'), model());
      expect(spy.mock.calls.map((c) => c[0])).toEqual([path, join(dir, 'atomic2.json')]);
    } finally {
      spy.mockRestore();
    }
  });

  it('writes a valid model that reads back identically', async () => {
    const path = join(dir, 'm.json');
    const d = dialogs(path, null);
    expect(await saveModelWithDialog(d, model(), join(dir, 'default.json'))).toEqual({ saved: true, path });
    expect(await readModelFile(path)).toEqual(model());
  });

  it('never writes a diverged model (NaN or Infinity), and does not even open the dialog', async () => {
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const m = model();
      m.W[100] = bad;
      const d = dialogs(join(dir, 'diverged.json'), null);
      const r = await saveModelWithDialog(d, m, 'x.json');
      expect(r).toMatchObject({ saved: false, reason: 'error' });
      expect(r.saved ? '' : r.message).toMatch(/not a finite number|diverged/);
      expect(d.save).not.toHaveBeenCalled();
      expect(existsSync(join(dir, 'diverged.json'))).toBe(false);
    }
  });

  it('refuses a model whose checksum does not match its values', () => {
    const m = model();
    m.b[0] += 1;
    expect(() => validatedModelText(m)).toThrow(/checksum/);
  });

  it('reports a cancelled dialog', async () => {
    expect(await saveModelWithDialog(dialogs(null, null), model(), 'x.json')).toEqual({ saved: false, reason: 'cancelled' });
  });

  it('writeModelFile validates too', async () => {
    await expect(writeModelFile(join(dir, 'w.json'), { format: 'nope' })).rejects.toThrow(/invalid/);
    expect(existsSync(join(dir, 'w.json'))).toBe(false);
  });
});

describe('opening', () => {
  const good = JSON.stringify(model());
  const cases: [string, string | Buffer, RegExp][] = [
    ['non-JSON', 'hello, I am a text file', /not valid JSON/],
    ['truncated', good.slice(0, good.length - 500), /not valid JSON/],
    ['empty', '', /empty/],
    ['another format', JSON.stringify({ format: 'keras', schemaVersion: 1 }), /not a Softmax Lab model/],
    ['a newer version', JSON.stringify({ ...model(), schemaVersion: 2 }), /schema version 2/],
    ['wrong shape', JSON.stringify({ ...model(), W: model().W.slice(0, 100) }), /invalid at W/],
    ['a non-finite value', good.replace(/"b":\[[^,\]]+/, '"b":[1e999'), /invalid at b|finite/],
    ['a tampered value', JSON.stringify({ ...model(), b: model().b.map((v, i) => (i === 0 ? v + 1 : v)) }), /checksum/],
  ];
  for (const [what, content, message] of cases) {
    it(`refuses ${what} with a clear message`, async () => {
      const path = join(dir, `bad-${what.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, content);
      const r = await openModelWithDialog(dialogs(null, path));
      expect(r.opened).toBe(false);
      if (!r.opened) {
        expect(r.reason).toBe('error');
        expect(r.message).toMatch(message);
      }
    });
  }

  it('refuses a folder or a FIFO named like a model before reading (a FIFO would block)', async () => {
    const folder = join(dir, 'folder.json');
    mkdirSync(folder, { recursive: true });
    expect(await openModelWithDialog(dialogs(null, folder))).toMatchObject({ opened: false, message: expect.stringMatching(/not a regular file/) });
    const fifo = join(dir, 'fifo.json');
    execFileSync('mkfifo', [fifo]);
    expect(await openModelWithDialog(dialogs(null, fifo))).toMatchObject({ opened: false, message: expect.stringMatching(/not a regular file/) });
  });

  it('refuses a model whose config is outside the core limits (lr 1e300)', async () => {
    const path = join(dir, 'lr.json');
    const m = model();
    writeFileSync(path, JSON.stringify({ ...m, config: { ...m.config, lr: 1e300 } }));
    const r = await openModelWithDialog(dialogs(null, path));
    expect(r).toMatchObject({ opened: false, reason: 'error' });
  });

  it('refuses a huge file without reading it into memory', async () => {
    const path = join(dir, 'huge.json');
    writeFileSync(path, Buffer.alloc(MAX_MODEL_FILE_BYTES + 10, 0x20));
    const r = await openModelWithDialog(dialogs(null, path));
    expect(r).toMatchObject({ opened: false, reason: 'error' });
    expect(r.opened ? '' : r.message).toMatch(/too large/);
  });

  it('opens a valid file and reports a cancelled dialog or a missing file', async () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, good);
    const r = await openModelWithDialog(dialogs(null, path));
    expect(r).toEqual({ opened: true, path, model: model() });
    expect(await openModelWithDialog(dialogs(null, null))).toEqual({ opened: false, reason: 'cancelled' });
    expect(await openModelWithDialog(dialogs(null, join(dir, 'missing.json')))).toMatchObject({ opened: false, reason: 'error', message: expect.stringMatching(/could not be read/) });
    expect(readFileSync(path, 'utf8')).toBe(good); // opening changes nothing
  });
});
