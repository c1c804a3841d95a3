// renderer/exports/report-html.ts: the report is made in the report worker (here a fake Worker that runs
// report.worker.ts's handler), which takes the test set's buffers; the same HTML as on this thread; an
// error in the worker is the caller's error; a worker that cannot start leaves it to this thread.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runReportHtml, type ReportInput } from '../../../core/export/report';
import { RunRecorder } from '../../../core/run-recorder';

function input(): ReportInput {
  const config = { epochs: 1, lr: 0.1, batchSize: 4, seed: 0, softmax: 'stable' as const, weightDecay: 0 };
  const recorder = new RunRecorder(config, '2026-11-25T10:00:00.000Z');
  const n = 3;
  return {
    record: recorder.snapshot('2026-11-25T10:00:01.000Z'),
    environment: { appVersion: '0.1.0', kernel: 'reference', generatedAt: '2026-11-25T10:00:02.000Z' },
    weights: null,
    test: { labels: Uint8Array.from([0, 1, 2]), probabilities: new Float32Array(n * 10).fill(0.1), images: new Uint8Array(n * 784) },
  };
}

/** What the fake worker saw, and how it behaves. */
const seen: { transfer: unknown[]; posts: number } = { transfer: [], posts: 0 };
let mode: 'work' | 'fail-to-start' | 'die' = 'work';

class FakeWorker {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  onerror: ((ev: { preventDefault(): void }) => void) | null = null;
  private handler: ((ev: MessageEvent) => void) | null = null;
  constructor() {
    if (mode === 'fail-to-start') throw new Error('no workers here');
  }
  async load(): Promise<void> {
    // report.worker.ts installs its handler on `self`: run it with `self` standing for this worker's scope.
    const scope = { postMessage: (msg: unknown) => queueMicrotask(() => this.onmessage?.({ data: msg } as MessageEvent)), onmessage: null as ((ev: MessageEvent) => void) | null };
    vi.stubGlobal('self', scope);
    vi.resetModules();
    await import('../../../renderer/exports/report.worker');
    this.handler = scope.onmessage;
  }
  postMessage(msg: { input: ReportInput }, transfer: unknown[]): void {
    seen.posts++;
    seen.transfer = transfer;
    if (mode === 'die') {
      queueMicrotask(() => this.onerror?.({ preventDefault() {} }));
      return;
    }
    // A structured clone, as postMessage makes (the transferred buffers move).
    const copy = structuredClone(msg);
    void this.load().then(() => this.handler?.({ data: copy } as MessageEvent));
  }
  terminate(): void {}
}

beforeEach(() => {
  seen.transfer = [];
  seen.posts = 0;
  vi.stubGlobal('Worker', FakeWorker);
  vi.resetModules();
});
afterEach(() => vi.unstubAllGlobals());

describe('makeReportHtml', () => {
  it('makes the report in the worker, handing it the test set\'s buffers, with the same HTML as on this thread', async () => {
    mode = 'work';
    const { makeReportHtml } = await import('../../../renderer/exports/report-html');
    const expected = runReportHtml(input());
    const given = input();
    const html = await makeReportHtml(given);
    expect(seen.posts).toBe(1);
    expect(seen.transfer).toEqual([given.test?.labels.buffer, given.test?.probabilities.buffer, given.test?.images.buffer]);
    expect(html).toBe(expected);
  });

  it('rejects with the worker\'s error', async () => {
    mode = 'work';
    const { makeReportHtml } = await import('../../../renderer/exports/report-html');
    const bad = input();
    if (bad.test) bad.test.labels = new Uint8Array(2); // fewer labels than probabilities' rows
    await expect(makeReportHtml(bad)).rejects.toThrow(/label|rows|test/i);
  });

  it('makes it on this thread when the worker cannot start, or dies', async () => {
    for (const m of ['fail-to-start', 'die'] as const) {
      mode = m;
      vi.resetModules();
      const { makeReportHtml } = await import('../../../renderer/exports/report-html');
      expect(await makeReportHtml(input())).toBe(runReportHtml(input()));
    }
  });
});
