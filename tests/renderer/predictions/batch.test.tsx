// @vitest-environment jsdom
// Batch classification: every file gets a row; bad files (not an image, empty, SVG, undecodable) keep a
// row with their message and the good ones are still classified, in predict requests of several images;
// an unusual image is flagged as single images are; the table sorts by any column (aria-sort says how)
// and its CSV has one row per file in the table's order. Decoding is faked here (the e2e test decodes).

import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TrainerRequest } from '../../../common/contract';
import { BatchClassify } from '../../../renderer/components/predictions/BatchClassify';
import { useLab } from '../../../renderer/store';
import { sortedRows, type BatchRow } from '../../../renderer/store/batch-slice';
import { BATCH_CSV_HEADER, batchCsv, classifyBatch } from '../../../renderer/predictions/batch';
import { className } from '../../../renderer/i18n';
import { installFakeApi, type FakeApi } from '../fake-api';

vi.mock('../../../renderer/predictions/decode', () => ({
  // 'corrupt*' files fail to decode; 'blank*' have nothing in them; 'grey*' are full of ink; the rest are typical.
  prepareImage: vi.fn(async (_file: Blob, name: string) => {
    if (name.startsWith('corrupt')) return { ok: false, error: { code: 'corrupt', name } };
    const input = new Float32Array(784);
    if (name.startsWith('grey')) input.fill(0.5);
    else if (!name.startsWith('blank')) input.fill(0.8, 0, 300);
    return { ok: true, width: 28, height: 28, result: { steps: [], input, inverted: false, box: name.startsWith('blank') ? null : { x: 0, y: 0, width: 28, height: 28 } } };
  }),
}));

let api: FakeApi;
const file = (name: string, type = 'image/png', bytes = 10): File => new File([new Uint8Array(bytes)], name, { type });

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
  // The fake model: image i of a request gets class (i mod 10) with probability 0.5 + i/100.
  api.request.mockImplementation(async (req: TrainerRequest) => {
    if (req.kind !== 'predict') throw new Error(req.kind);
    const probs = new Float32Array(req.n * 10).fill(0.01);
    for (let r = 0; r < req.n; r++) probs[r * 10 + (r % 10)] = 0.5 + r / 100;
    return { probs };
  });
});
afterEach(cleanup);

const files = () => [file('a.png'), file('notes.txt', 'text/plain'), file('b.png'), file('empty.png', 'image/png', 0), file('corrupt.png'), file('logo.svg', 'image/svg+xml'), file('grey.png'), file('blank.png')];

describe('classifyBatch', () => {
  it('gives every file a row: refusals with their reason, the good files classified in one request', async () => {
    await classifyBatch(files());
    const b = useLab.getState().batch;
    expect(b.pending).toBe(0);
    expect(b.rows.map((r) => [r.name, r.status, r.error?.code ?? null])).toEqual([
      ['a.png', 'ok', null], ['notes.txt', 'error', 'not-image'], ['b.png', 'ok', null], ['empty.png', 'error', 'empty-file'],
      ['corrupt.png', 'error', 'corrupt'], ['logo.svg', 'error', 'svg'], ['grey.png', 'ok', null], ['blank.png', 'ok', null],
    ]);
    const predicts = api.request.mock.calls.map((c) => c[0] as { kind: string; n: number });
    expect(predicts).toEqual([expect.objectContaining({ kind: 'predict', n: 4 })]);
    expect(b.rows.find((r) => r.name === 'grey.png')?.typicality).toBe('much-ink');
    expect(b.rows.find((r) => r.name === 'blank.png')?.typicality).toBe('blank');
    expect(b.rows.find((r) => r.name === 'a.png')?.typicality).toBe('typical');
  });

  it('says when the trainer could not answer, per file, and keeps the refusals', async () => {
    api.request.mockRejectedValue(new Error('the dataset is not loaded yet'));
    await classifyBatch([file('a.png'), file('x.txt', 'text/plain')]);
    expect(useLab.getState().batch.rows.map((r) => [r.status, r.failure ?? r.error?.code])).toEqual([['error', 'the dataset is not loaded yet'], ['error', 'not-image']]);
  });
});

describe('the batch table', () => {
  it('sorts by any column, rows without a value last, and says so with aria-sort', async () => {
    await act(() => classifyBatch(files()));
    render(<BatchClassify />);
    const table = screen.getByRole('table');
    const names = (): string[] => within(table).getAllByRole('row').slice(1).map((r) => r.children[0].textContent ?? '');
    expect(names()[0]).toBe('a.png');
    fireEvent.click(within(table).getByRole('button', { name: /Probability/ }));
    expect(within(table).getByRole('columnheader', { name: /Probability/ }).getAttribute('aria-sort')).toBe('descending');
    const probs = within(table).getAllByRole('row').slice(1).map((r) => r.children[2].textContent);
    expect(probs.slice(0, 4)).toEqual(['53.0%', '52.0%', '51.0%', '50.0%']);
    expect(probs.slice(4)).toEqual(['—', '—', '—', '—']);
    fireEvent.click(within(table).getByRole('button', { name: /Probability/ }));
    expect(within(table).getByRole('columnheader', { name: /Probability/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(within(table).getByRole('button', { name: /File/ }));
    expect(names()).toEqual(['a.png', 'b.png', 'blank.png', 'corrupt.png', 'empty.png', 'grey.png', 'logo.svg', 'notes.txt']);
    const notes = within(table).getAllByRole('row').slice(1).map((r) => r.children[3].textContent);
    expect(notes[3]).toMatch(/corrupt\.png could not be decoded/);
    expect(notes[5]).toMatch(/^Unlike the training images: ink covers 100%/);
    expect(notes[2]).toMatch(/^Nothing stands out/);
    expect(screen.getByRole('status').textContent).toBe('8 files, 4 refused.');
  });

  it('writes the CSV in the table\'s order, one row per file, with the class names of the model', async () => {
    await classifyBatch(files());
    const b = { ...useLab.getState().batch, sort: { key: 'probability' as const, descending: true } };
    const name = (k: number): string => className('en', k);
    const csv = batchCsv(b, name, (r: BatchRow) => (r.status === 'error' ? `refused ${r.name}` : r.typicality === 'typical' ? '' : String(r.typicality)));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(BATCH_CSV_HEADER.join(','));
    expect(lines).toHaveLength(9);
    expect(lines[1]).toBe('blank.png,3,Dress,0.5299999713897705,0,blank,');
    expect(lines.at(-1)).toBe('logo.svg,,,,,,refused logo.svg');
    expect(sortedRows(b.rows, b.sort, name).map((r) => r.name)).toEqual(lines.slice(1).map((l) => l.split(',')[0]));
  });
});
