// A Web Worker that makes a run report's HTML (core/export/report.ts) off the main thread: the inline
// PNGs of the templates and mistakes and the confusion matrix of 10000 test images took 60 ms and more
// in one task, a freeze of the window. One request in, one answer out (renderer/workers/worker-calls.ts).

import { runReportHtml } from '../../core/export/report';
import { serveCalls } from '../workers/worker-calls';

serveCalls(runReportHtml);
