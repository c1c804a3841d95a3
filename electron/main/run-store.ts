// The run history: one JSON file per run under userData/runs, written atomically (a running run's file is
// rewritten at each epoch end). Listing never throws on a bad file: a corrupt or foreign file is listed as
// unreadable with the reason. A run still marked 'running' at start-up was cut by a crash of the app.

import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { runIdSchema, runRecordSchema, type RunListEntry, type RunRecord } from '../../common/contract';
import { runModelFile, type ModelFile } from '../../core/model-file';
import { readModelFile } from '../../node/files/model-io';
import { removeStaleTempFiles, writeFileAtomic } from '../../node/files/atomic-file';

/** Largest run file read (a run with 1000 epochs is well under this). */
export const MAX_RUN_FILE_BYTES = 1024 * 1024;

/** Saved runs in one folder. */
export class RunStore {
  constructor(
    /** The folder (userData/runs). */
    readonly dir: string,
  ) {}

  /**
   * Creates the folder, sweeps temp files left by a crash, and marks runs that were still running when
   * the app died as crashed. Call once at start-up. Returns the temp files removed.
   */
  async init(): Promise<string[]> {
    await mkdir(this.dir, { recursive: true });
    const removed = await removeStaleTempFiles(this.dir);
    for (const entry of await this.list()) {
      if (entry.ok && entry.run.outcome === 'running') await this.save({ ...entry.run, outcome: 'crashed', note: 'the app closed or crashed while it ran' });
    }
    return removed;
  }

  private pathOf(id: string): string {
    return join(this.dir, `${runIdSchema.parse(id)}.json`);
  }

  /** Saves (or replaces) a run after validating it. */
  async save(run: RunRecord): Promise<void> {
    const valid = runRecordSchema.parse(run);
    await mkdir(this.dir, { recursive: true });
    await writeFileAtomic(this.pathOf(valid.id), JSON.stringify(valid, null, 1));
  }

  private weightsPathOf(id: string): string {
    return join(this.dir, `${runIdSchema.parse(id)}.model.json`);
  }

  /**
   * Keeps a run's latest weights beside its record, as a model file (`<id>.model.json`, the format Open
   * model reads), so a run cut short by a crash or a stop can be opened again.
   */
  async saveWeights(run: RunRecord, weights: Float32Array): Promise<void> {
    const file = runModelFile(run, weights, new Date().toISOString());
    await writeFileAtomic(this.weightsPathOf(run.id), JSON.stringify(file));
  }

  /** Reads a run's kept weights (validated like any model file). */
  async readWeights(id: string): Promise<ModelFile> {
    return readModelFile(this.weightsPathOf(id));
  }

  /** Reads one run; throws with a clear message when it is unreadable. */
  async read(id: string): Promise<RunRecord> {
    const path = this.pathOf(id);
    const st = await stat(path);
    // Never open a FIFO or device: reading one blocks (and the process could not exit).
    if (!st.isFile()) throw new Error('not a regular file');
    if (st.size > MAX_RUN_FILE_BYTES) throw new Error(`too large (${st.size} bytes)`);
    const text = await readFile(path, 'utf8');
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new Error('not valid JSON (truncated or damaged)');
    }
    const parsed = runRecordSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`not a valid run record (${issue.path.join('.') || '(root)'}: ${issue.message})`);
    }
    if (parsed.data.id !== id) throw new Error(`its id (${parsed.data.id}) does not match its file name`);
    return parsed.data;
  }

  /** Lists every run, newest first; unreadable files are listed as such (after the readable ones). */
  async list(): Promise<RunListEntry[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch {
      return [];
    }
    const ids = names.filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5)).filter((id) => runIdSchema.safeParse(id).success);
    const entries = await Promise.all(ids.map(async (id): Promise<RunListEntry> => {
      try {
        const run = await this.read(id);
        const hasWeights = await stat(this.weightsPathOf(id)).then((st) => st.isFile(), () => false);
        return { ok: true, run, hasWeights };
      } catch (err) {
        return { ok: false, id, error: err instanceof Error ? err.message : String(err) };
      }
    }));
    const good = entries.filter((e): e is Extract<RunListEntry, { ok: true }> => e.ok).sort((a, b) => b.run.startedAt.localeCompare(a.run.startedAt));
    const bad = entries.filter((e): e is Extract<RunListEntry, { ok: false }> => !e.ok).sort((a, b) => a.id.localeCompare(b.id));
    return [...good, ...bad];
  }

  /** Deletes a run and its weights (no error when they are already gone). */
  async delete(id: string): Promise<void> {
    await rm(this.pathOf(id), { force: true });
    await rm(this.weightsPathOf(id), { force: true });
  }
}
