// Makes a run report's HTML in the report worker (report.worker.ts), so the window does not freeze; where
// workers are unavailable or the worker cannot start, on this thread (renderer/workers/worker-calls.ts).
// The test set's buffers are transferred to the worker: the caller gives them up.

import { runReportHtml, type ReportInput } from '../../core/export/report';
import { workerCalls } from '../workers/worker-calls';

/** The HTML of a run report, made off the main thread where it can be. */
export const makeReportHtml = workerCalls<ReportInput, string>(
  () => new Worker(new URL('./report.worker.ts', import.meta.url), { type: 'module', name: 'report-maker' }),
  (input) => new Promise((resolve) => resolve(runReportHtml(input))),
  (input) => (input.test ? [input.test.labels.buffer, input.test.probabilities.buffer, input.test.images.buffer] : []),
);
