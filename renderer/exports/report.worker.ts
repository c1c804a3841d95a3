// A Web Worker that makes a run report's HTML (core/export/report.ts) off the main thread: the inline
// PNGs of the templates and mistakes and the confusion matrix of 10000 test images took 60 ms and more
// in one task, a freeze of the window. One request in, one answer out.

import { runReportHtml, type ReportInput } from '../../core/export/report';

/** A request: the report of `input`. */
export interface ReportRequest {
  id: number;
  input: ReportInput;
}

/** The answer to request `id`: the HTML, or why it could not be made. */
export type ReportReply = { id: number; ok: true; html: string } | { id: number; ok: false; error: string };

interface WorkerScope {
  postMessage(msg: ReportReply): void;
  onmessage: ((ev: MessageEvent<ReportRequest>) => void) | null;
}
const scope = self as unknown as WorkerScope;

scope.onmessage = (ev) => {
  const { id, input } = ev.data;
  try {
    scope.postMessage({ id, ok: true, html: runReportHtml(input) });
  } catch (err) {
    scope.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
