// core/export/csv.ts: RFC 4180 quoting field by field, and a run's curves parsed back by a real CSV
// reader, Python's csv module (any python3 here; the csv module needs no NumPy), row for row.

import { describe, expect, it } from 'vitest';
import { csvField, CURVES_CSV_HEADER, runCurvesCsv, toCsv } from '../../../core/export/csv';
import { makeRunRecord } from '../../fixtures/run-record';
import { python3Paths, runPython } from './python';

describe('csvField and toCsv (RFC 4180)', () => {
  it('leaves plain fields alone and quotes the ones that need it, doubling inner quotes', () => {
    expect(csvField('batch')).toBe('batch');
    expect(csvField(0.1)).toBe('0.1');
    expect(csvField(1e-7)).toBe('1e-7');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(Number.NaN)).toBe(''); // a non-number is an empty cell, never the text "NaN"
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\rhere')).toBe('"cr\rhere"');
    expect(csvField(' padded ')).toBe('" padded "');
  });

  it('ends every record with CRLF', () => {
    expect(toCsv([['a', 'b'], [1, null]])).toBe('a,b\r\n1,\r\n');
  });
});

describe('runCurvesCsv', () => {
  const record = makeRunRecord({
    batches: [
      { epochProgress: 0.5, loss: 2.3, acc: 0.1, lr: 0.1, weightDecay: 0 },
      { epochProgress: 1, loss: 1.2, acc: 0.5, lr: 0.1, weightDecay: 0 },
      { epochProgress: 1.5, loss: 0.9, acc: 0.6, lr: 0.3, weightDecay: 0 },
      { epochProgress: 2, loss: 0.8, acc: 0.7, lr: 0.3, weightDecay: 0.001 },
      { epochProgress: 2.5, loss: 0.7, acc: 0.72, lr: 0.3, weightDecay: 0.001 },
    ],
    epochs: [
      { epoch: 1, trainLoss: 1.75, trainAcc: 0.3, testAcc: 0.55, seconds: 0.25 },
      { epoch: 2, trainLoss: 0.85, trainAcc: 0.65, testAcc: 0.7, seconds: 0.5 },
    ],
  });

  it('has the header, then each epoch row after its batches', () => {
    const lines = runCurvesCsv(record).split('\r\n');
    expect(lines[0]).toBe(CURVES_CSV_HEADER.join(','));
    expect(lines.slice(1, -1).map((l) => l.split(',').slice(0, 3).join(' '))).toEqual([
      'batch 0.5 1', 'batch 1 1', 'epoch 1 1', 'batch 1.5 2', 'batch 2 2', 'epoch 2 2', 'batch 2.5 3',
    ]);
    expect(lines.at(-1)).toBe(''); // the last record ends with CRLF too
  });

  const pythons = python3Paths();
  it.skipIf(pythons.length === 0)(`parses back with Python's csv module to the same numbers${pythons.length ? ` (${pythons[0]})` : ' — SKIPPED: no python3'}`, () => {
    const text = runCurvesCsv(record);
    // A JSON string literal is a valid Python string literal: the CSV text goes in unchanged.
    const out = runPython(pythons[0], `
import csv, io, json
print(json.dumps(list(csv.DictReader(io.StringIO(${JSON.stringify(text)}, newline='')))))
`);
    const rows = JSON.parse(out) as Record<string, string>[];
    expect(rows).toHaveLength(record.batches.length + record.epochs.length);
    const batches = rows.filter((r) => r.kind === 'batch');
    expect(batches.map((r) => [Number(r.epoch_progress), Number(r.epoch), Number(r.batch_loss), Number(r.batch_acc), Number(r.lr), Number(r.weight_decay)]))
      .toEqual(record.batches.map((b) => [b.epochProgress, Math.ceil(b.epochProgress), b.loss, b.acc, b.lr, b.weightDecay]));
    expect(batches.map((r) => r.weight_decay)).toEqual(['0', '0', '0', '0.001', '0.001']);
    const epochs = rows.filter((r) => r.kind === 'epoch');
    expect(epochs.map((r) => [Number(r.epoch), Number(r.train_loss), Number(r.train_acc), Number(r.test_acc), Number(r.seconds)]))
      .toEqual(record.epochs.map((e) => [e.epoch, e.trainLoss, e.trainAcc, e.testAcc, e.seconds]));
    expect(epochs[0].batch_loss).toBe(''); // columns a row does not have are empty
    expect(batches[0].train_loss).toBe('');
  });

  it.skipIf(pythons.length === 0)('quotes what must be quoted so Python reads the fields back unchanged', () => {
    const tricky = [['name', 'note'], ['a,b', 'say "hi"\nand go'], [' x', 'plain']];
    const out = runPython(pythons[0], `
import csv, io, json
print(json.dumps(list(csv.reader(io.StringIO(${JSON.stringify(toCsv(tricky))}, newline='')))))
`);
    expect(JSON.parse(out)).toEqual(tricky);
  });
});
