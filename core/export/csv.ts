// CSV (RFC 4180) of a run's curves, for spreadsheets and pandas: one row per recorded batch and one per
// epoch, in the order they happened, under one header. Pure: returns the text; the host saves it.
// Also the generic field quoting, so other tables (e.g. batch classification) quote the same way.

import type { RunRecord } from '../protocol';

/** A CSV cell: text, a number (written in JavaScript's shortest round-trip form), or empty. */
export type CsvValue = string | number | boolean | null | undefined;

/** RFC 4180 records end with CRLF. */
const CRLF = '\r\n';

/**
 * One field, quoted when it must be (RFC 4180 §2.6–2.7): a comma, a double quote, CR or LF inside, or
 * leading/trailing spaces (which some readers would trim), with inner quotes doubled.
 */
export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows (the first being the header) as CSV text, every record ended by CRLF. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return rows.map((row) => row.map(csvField).join(',') + CRLF).join('');
}

/** The columns of {@link runCurvesCsv}, in order. */
export const CURVES_CSV_HEADER = [
  'kind', 'epoch_progress', 'epoch', 'batch_loss', 'batch_acc', 'lr', 'weight_decay', 'train_loss', 'train_acc', 'test_acc', 'seconds',
] as const;

/**
 * The curves of a run record as CSV. `kind` is 'batch' for a recorded (possibly thinned) batch — its
 * position as a fractional epoch count, its epoch, loss (the cross-entropy, without a weight-decay penalty),
 * accuracy, learning rate and weight decay — or 'epoch' for an epoch's
 * end — its train loss, train accuracy, test accuracy and seconds, at epoch_progress = epoch. Columns a
 * row does not have are empty. Rows are in order of epoch_progress; an epoch row follows its batches.
 */
export function runCurvesCsv(record: Pick<RunRecord, 'batches' | 'epochs'>): string {
  const rows: CsvValue[][] = [[...CURVES_CSV_HEADER]];
  let b = 0;
  for (const e of record.epochs) {
    for (; b < record.batches.length && record.batches[b].epochProgress <= e.epoch; b++) rows.push(batchRow(record.batches[b]));
    rows.push(['epoch', e.epoch, e.epoch, null, null, null, null, e.trainLoss, e.trainAcc, e.testAcc, e.seconds]);
  }
  for (; b < record.batches.length; b++) rows.push(batchRow(record.batches[b]));
  return toCsv(rows);
}

function batchRow(p: RunRecord['batches'][number]): CsvValue[] {
  // The epoch a batch belongs to: its position rounded up (the last batch of epoch e is at exactly e).
  return ['batch', p.epochProgress, Math.ceil(p.epochProgress), p.loss, p.acc, p.lr, p.weightDecay, null, null, null, null];
}
