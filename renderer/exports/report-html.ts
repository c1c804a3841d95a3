// Makes a run report's HTML in the report worker (report.worker.ts), so the window does not freeze; where
// workers are unavailable or the worker cannot start, on this thread. The test set's buffers are
// transferred to the worker: the caller gives them up.

import { runReportHtml, type ReportInput } from '../../core/export/report';
import type { ReportReply } from './report.worker';

let worker: Worker | null = null;
let workerBroken = false;
let nextId = 1;
const pending = new Map<number, { input: ReportInput; resolve: (html: string) => void; reject: (err: Error) => void }>();

/** On this thread, as a promise (the fallback). */
function here(input: ReportInput): Promise<string> {
  return new Promise((resolve) => resolve(runReportHtml(input)));
}

function startWorker(): Worker | null {
  if (worker || workerBroken) return worker;
  try {
    worker = new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module', name: 'report-maker' });
    worker.onmessage = (ev: MessageEvent<ReportReply>) => {
      const job = pending.get(ev.data.id);
      if (!job) return;
      pending.delete(ev.data.id);
      if (ev.data.ok) job.resolve(ev.data.html);
      else job.reject(new Error(ev.data.error));
    };
    worker.onerror = (ev) => {
      // The worker could not start or died: what was waiting is made on this thread, and so is the rest.
      ev.preventDefault();
      workerBroken = true;
      worker?.terminate();
      worker = null;
      const waiting = [...pending.values()];
      pending.clear();
      for (const job of waiting) here(job.input).then(job.resolve, job.reject);
    };
  } catch {
    workerBroken = true;
    worker = null;
  }
  return worker;
}

/** The HTML of a run report, made off the main thread where it can be. */
export function makeReportHtml(input: ReportInput): Promise<string> {
  const w = typeof Worker === 'undefined' ? null : startWorker();
  if (!w) return here(input);
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { input, resolve, reject });
    const transfer = input.test ? [...new Set([input.test.labels.buffer, input.test.probabilities.buffer, input.test.images.buffer])] : [];
    w.postMessage({ id, input }, transfer as ArrayBuffer[]);
  });
}
