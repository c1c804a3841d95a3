// @vitest-environment jsdom
// The run history: every recorded run with its outcome; a run whose weights were kept (one cut by a crash
// or a stop included) offers to open them, which loads them into the trainer; not while training.

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HistoryPanel } from '../../../renderer/components/HistoryPanel';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { encodeModelFile } from '../../../core/model-file';
import { makeRunRecord } from '../../fixtures/run-record';
import { CONFIG, installFakeApi, position, type FakeApi } from '../fake-api';

let api: FakeApi;
beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
});
afterEach(cleanup);

describe('HistoryPanel', () => {
  it('gives each run its lr and, where it had weight decay, its λ, each from start to end when changed', () => {
    const plain = makeRunRecord({ id: 'run-p' });
    const changed = makeRunRecord({
      id: 'run-w', config: { ...plain.config, weightDecay: 0.001 },
      lrChanges: [{ batchesDone: 5, epochProgress: 0.02, from: 0.1, to: 0.5 }],
      wdChanges: [{ batchesDone: 9, epochProgress: 0.04, from: 0.001, to: 0.005 }],
    });
    useLab.setState((s) => ({ history: { ...s.history, entries: [{ ok: true, run: plain, hasWeights: false }, { ok: true, run: changed, hasWeights: false }] } }));
    render(<HistoryPanel />);
    const text = (id: string): string => document.querySelector(`li[data-run="${id}"]`)?.textContent ?? '';
    expect(text('run-p')).toMatch(/ · lr 0\.1 · batch 256 · /);
    expect(text('run-p')).not.toContain('λ');
    expect(text('run-w')).toMatch(/ · lr 0\.1 → 0\.5 · λ 0\.001 → 0\.005 · batch 256 · /);
  });

  it('offers the kept weights of a crashed run and loads them into the trainer', async () => {
    const crashed = makeRunRecord({ id: 'run-c', outcome: 'crashed', note: 'the training process crashed (exit code 139)' });
    useLab.setState((s) => ({ history: { ...s.history, entries: [{ ok: true, run: crashed, hasWeights: true }, { ok: true, run: makeRunRecord({ id: 'run-d' }), hasWeights: false }] } }));
    const model = encodeModelFile(new Float32Array(7850).fill(0.25), { ...CONFIG }, null, '2026-11-25T10:00:00Z');
    api.openRunWeights.mockResolvedValue({ opened: true, path: 'run-c.model.json', model });
    api.request.mockImplementation(async (req: { kind: string }) => (req.kind === 'testPredictions' ? { predicted: new Uint8Array(0), labels: new Uint8Array(0), accuracy: 0.5 } : { ok: true }));
    render(<HistoryPanel />);
    expect(screen.getByText(/cut by a crash/)).toBeTruthy();
    const open = screen.getByRole('button', { name: 'Open the latest weights of run run-c (cut by a crash)' });
    expect(screen.queryByRole('button', { name: /latest weights of run run-d/ })).toBeNull();
    await act(async () => {
      fireEvent.click(open);
    });
    await vi.waitFor(() => expect(api.request).toHaveBeenCalledWith({ kind: 'loadWeights', weights: expect.any(Float32Array) }));
    const loaded = (api.request.mock.calls.find((c) => (c[0] as { kind: string }).kind === 'loadWeights')![0] as { weights: Float32Array }).weights;
    expect(loaded[0]).toBe(0.25);
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(3), config: { ...CONFIG }, pace: null }));
    expect((screen.getByRole('button', { name: /latest weights of run run-c/ }) as HTMLButtonElement).disabled).toBe(true);
  });
});
