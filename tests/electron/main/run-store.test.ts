// The run history: saved atomically under runs/, listed newest first, with corrupt or foreign files
// listed as unreadable (never a crash), stale temp files swept at start-up, ids that cannot escape.

import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it, vi } from 'vitest';
import * as atomic from '../../../node/files/atomic-file';
import { RunStore } from '../../../electron/main/run-store';
import type { RunRecord } from '../../../common/contract';
import { makeRunRecord } from '../../fixtures/run-record';

const run = (id: string, startedAt: string): RunRecord => makeRunRecord({ id, startedAt });

async function freshStore(): Promise<RunStore> {
  const store = new RunStore(join(mkdtempSync(join(tmpdir(), 'runs-')), 'runs'));
  await store.init();
  return store;
}

describe('RunStore', () => {
  it('saves, lists newest first, and deletes', async () => {
    const store = await freshStore();
    await store.save(run('r1', '2026-11-25T10:00:00Z'));
    await store.save(run('r2', '2026-11-25T11:00:00Z'));
    const list = await store.list();
    expect(list.map((e) => (e.ok ? e.run.id : e.id))).toEqual(['r2', 'r1']);
    await store.delete('r2');
    expect((await store.list()).map((e) => (e.ok ? e.run.id : e.id))).toEqual(['r1']);
    await store.delete('r2'); // already gone: fine
  });

  it('lists a corrupt, truncated or foreign run file as unreadable', async () => {
    const store = await freshStore();
    await store.save(run('good', '2026-11-25T10:00:00Z'));
    const full = JSON.stringify(run('truncated', '2026-11-25T10:00:00Z'));
    writeFileSync(join(store.dir, 'truncated.json'), full.slice(0, full.length / 2));
    writeFileSync(join(store.dir, 'garbage.json'), '\u0000\u0001binary');
    writeFileSync(join(store.dir, 'foreign.json'), JSON.stringify({ hello: 'world' }));
    writeFileSync(join(store.dir, 'renamed.json'), JSON.stringify(run('other-id', '2026-11-25T10:00:00Z')));
    writeFileSync(join(store.dir, 'nan.json'), JSON.stringify(run('nan', 'x')).replace('0.7', '"NaN"'));
    const list = await store.list();
    expect(list[0]).toMatchObject({ ok: true, run: { id: 'good' } });
    const bad = Object.fromEntries(list.filter((e) => !e.ok).map((e) => [e.ok ? '' : e.id, e.ok ? '' : e.error]));
    expect(Object.keys(bad).sort()).toEqual(['foreign', 'garbage', 'nan', 'renamed', 'truncated']);
    expect(bad.truncated).toMatch(/not valid JSON/);
    expect(bad.foreign).toMatch(/not a valid run record/);
    expect(bad.renamed).toMatch(/does not match/);
  });

  it('refuses invalid runs and ids that could escape the folder', async () => {
    const store = await freshStore();
    await expect(store.save({ ...run('x', 'now'), epochs: [{ epoch: 1, trainLoss: Number.NaN, trainAcc: 0, testAcc: 0, seconds: 0 }] })).rejects.toThrow();
    await expect(store.save(run('../evil', 'now'))).rejects.toThrow();
    await expect(store.delete('../../etc/passwd')).rejects.toThrow();
    expect(readdirSync(store.dir)).toEqual([]);
  });

  it('writes runs through the atomic writer, and lists a FIFO named x.json as unreadable without opening it', async () => {
    const spy = vi.spyOn(atomic, 'writeFileAtomic');
    try {
      const store = await freshStore();
      await store.save(run('r1', '2026-11-25T10:00:00Z'));
      expect(spy).toHaveBeenCalledWith(join(store.dir, 'r1.json'), expect.any(String));
      execFileSync('mkfifo', [join(store.dir, 'x.json')]);
      const list = await store.list(); // would hang here if the FIFO were opened
      expect(list.map((e) => (e.ok ? e.run.id : `${e.id}: ${e.error}`))).toEqual(['r1', 'x: not a regular file']);
    } finally {
      spy.mockRestore();
    }
  });

  it('keeps a run\'s latest weights as a model file, lists it as openable, and deletes it with the run', async () => {
    const store = await freshStore();
    const rec = run('w1', '2026-11-25T10:00:00Z');
    await store.save(rec);
    await store.save(run('w2', '2026-11-25T09:00:00Z'));
    const weights = new Float32Array(7850).map((_, i) => Math.sin(i) * 0.01);
    await store.saveWeights(rec, weights);
    const list = await store.list();
    expect(list.map((e) => (e.ok ? [e.run.id, e.hasWeights] : e.id))).toEqual([['w1', true], ['w2', false]]);
    const model = await store.readWeights('w1');
    expect(Float32Array.from(model.W)).toEqual(weights.subarray(0, 7840));
    expect(model.metrics).toMatchObject({ epochs: 3, testAcc: 0.82 });
    await store.delete('w1');
    expect(readdirSync(store.dir).sort()).toEqual(['w2.json']);
  });

  it('marks a run still running at start-up (the app died mid-run) as crashed', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runs-')), 'runs');
    const store = new RunStore(dir);
    await store.init();
    await store.save(makeRunRecord({ id: 'cut', outcome: 'running', endedAt: null, final: null }));
    await store.save(makeRunRecord({ id: 'ok' }));
    await new RunStore(dir).init();
    const byId = Object.fromEntries((await store.list()).map((e) => (e.ok ? [e.run.id, e.run] : [e.id, null])));
    expect(byId.cut).toMatchObject({ outcome: 'crashed', note: expect.stringMatching(/crashed while it ran/) });
    expect(byId.ok).toMatchObject({ outcome: 'done', note: null });
  });

  it('sweeps temp files left by a crash at start-up', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'runs-')), 'runs');
    const store = new RunStore(dir);
    await store.init();
    writeFileSync(join(dir, '.r1.json.00112233aabb.tmp'), '{"id":"r1"');
    expect(await new RunStore(dir).init()).toEqual(['.r1.json.00112233aabb.tmp']);
    expect(await store.list()).toEqual([]);
  });
});
