// @vitest-environment jsdom
// The sweeps in the window: the slice takes the session's status and points (a sweep is the kind the
// window asked for; a crash cuts it); the regions ask for the defaults (0.001 to 10, 9 values,
// 3 epochs; batch sizes 16, 64, 256, 1024), show progress with Stop, the chart's points and the table,
// and a point's curves; the run's own controls say they wait while a sweep runs.

import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SweepStatus } from '../../../common/contract';
import { logSpace } from '../../../core/sweep';
import { DEFAULT_CONFIG } from '../../../core/train';
import { Controls } from '../../../renderer/components/Controls';
import { SweepsPanel } from '../../../renderer/components/experiments/SweepsPanel';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { initialSweep, sweepRunning, withSweepCut, withSweepPoint, withSweepStatus } from '../../../renderer/store/sweep-slice';
import { makeRunRecord } from '../../fixtures/run-record';
import { installFakeApi, position, type FakeApi } from '../fake-api';

const config = { ...DEFAULT_CONFIG, epochs: 3 };
const status = (over: Partial<SweepStatus> = {}): SweepStatus => ({
  sweep: 1, state: 'running', learningRates: [0.01, 0.1, 10], batchSizes: [256], epochs: 3, runs: 3, finished: 0, current: { run: 0, config: { ...config, lr: 0.01 }, epochProgress: 0.5 }, note: null, ...over,
});
const point = (run: number, lr: number, diverged = false) => ({
  run,
  result: { lr, batchSize: 256, epochs: 3, trainLoss: diverged ? null : 0.5 + run * 0.1, trainAcc: diverged ? null : 0.8, testAcc: diverged ? null : 0.78 - run * 0.01, diverged, seconds: 1.5 },
  record: makeRunRecord({ id: `sweep-${run + 1}`, config: { ...config, lr }, outcome: diverged ? 'diverged' : 'done' }),
});

let api: FakeApi;
beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
  applyEvent({ kind: 'ready', trainCount: 60000, testCount: 10000, source: 'test', config: { ...DEFAULT_CONFIG }, kernel: 'reference' });
  applyEvent({ kind: 'state', state: 'idle', position: position(0), config: { ...DEFAULT_CONFIG }, pace: null });
});
afterEach(cleanup);

describe('the sweeps slice', () => {
  it('files a sweep under the kind the window asked for, adds its points once, and a crash cuts it', () => {
    let s = withSweepStatus({ ...initialSweep, asked: 'batchSize' }, status({ learningRates: [0.1], batchSizes: [16, 64] }));
    expect(s.activeKind).toBe('batchSize');
    expect(sweepRunning(s)).toBe(true);
    s = withSweepPoint(s, 1, point(0, 0.1));
    s = withSweepPoint(s, 1, point(0, 0.1));
    s = withSweepPoint(s, 7, point(1, 0.1)); // another sweep's point: ignored
    expect(s.byKind.batchSize?.points).toHaveLength(1);
    s = withSweepCut(s, 'the training process crashed');
    expect(s.byKind.batchSize?.status).toMatchObject({ state: 'stopped', note: 'the training process crashed', current: null });
    expect(sweepRunning(s)).toBe(false);
    // A view that did not ask (it came late) tells the kind from what the sweep varies.
    expect(withSweepStatus(initialSweep, status({ sweep: 2 })).activeKind).toBe('lr');
    expect(withSweepStatus(initialSweep, status({ sweep: 2, learningRates: [0.1], batchSizes: [16, 64] })).activeKind).toBe('batchSize');
  });
});

describe('SweepsPanel', () => {
  it('offers the issue\'s defaults and asks the session for them', () => {
    render(<SweepsPanel />);
    const lr = screen.getByRole('region', { name: 'Learning-rate sweep' });
    expect((within(lr).getByLabelText('From') as HTMLInputElement).value).toBe('0.001');
    expect((within(lr).getByLabelText('To') as HTMLInputElement).value).toBe('10');
    expect((within(lr).getByLabelText('Values') as HTMLInputElement).value).toBe('9');
    expect((within(lr).getByLabelText('Epochs each') as HTMLInputElement).value).toBe('3');
    expect(lr.textContent).toContain('9 learning rates, log-spaced: 0.001, 0.00316, 0.01');
    fireEvent.click(within(lr).getByRole('button', { name: 'Run sweep' }));
    expect(api.runSweep).toHaveBeenCalledWith({ learningRates: logSpace(0.001, 10, 9), epochs: 3 });
    const bs = screen.getByRole('region', { name: 'Batch-size sweep' });
    const checked = within(bs).getAllByRole('checkbox').filter((c) => (c as HTMLInputElement).checked).map((c) => c.parentElement?.textContent);
    expect(checked).toEqual(['16', '64', '256', '1024']);
    fireEvent.click(within(bs).getByRole('checkbox', { name: '32' }));
    fireEvent.click(within(bs).getByRole('button', { name: 'Run sweep' }));
    expect(api.runSweep).toHaveBeenLastCalledWith({ batchSizes: [16, 32, 64, 256, 1024], epochs: 3 });
  });

  it('says when every run of the sweep has weight decay (the session\'s λ)', () => {
    render(<SweepsPanel />);
    const lr = screen.getByRole('region', { name: 'Learning-rate sweep' });
    expect(lr.textContent).not.toContain('Weight decay');
    act(() => applyEvent({ kind: 'state', state: 'idle', position: position(0), config: { ...DEFAULT_CONFIG, weightDecay: 0.001 }, pace: null }));
    expect(lr.textContent).toContain('Weight decay λ = 0.001 in every run.');
  });

  it('refuses a bad range with a reason, and says why it cannot start while the run trains', () => {
    render(<SweepsPanel />);
    const lr = screen.getByRole('region', { name: 'Learning-rate sweep' });
    fireEvent.change(within(lr).getByLabelText('To'), { target: { value: '0.0001' } });
    expect(within(lr).getByRole('alert').textContent).toMatch(/from a smaller to a larger learning rate/);
    expect((within(lr).getByRole('button', { name: 'Run sweep' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(within(lr).getByLabelText('To'), { target: { value: '10' } });
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(3), config: { ...DEFAULT_CONFIG }, pace: null }));
    expect((within(lr).getByRole('button', { name: 'Run sweep' }) as HTMLButtonElement).disabled).toBe(true);
    expect(lr.textContent).toContain('Pause the run to start a sweep.');
  });

  it('shows progress with Stop, the points on the chart and in the table, and a point\'s curves; the run\'s controls wait', () => {
    render(<><Controls /><SweepsPanel /></>);
    const lr = screen.getByRole('region', { name: 'Learning-rate sweep' });
    act(() => {
      fireEvent.click(within(lr).getByRole('button', { name: 'Run sweep' }));
      applyEvent({ kind: 'sweepProgress', status: status() });
    });
    expect(within(lr).getByRole('progressbar', { name: 'Sweep progress' }).getAttribute('aria-valuetext')).toBe('Run 1 of 3 (learning rate 0.01): epoch 0.5 of 3');
    expect((screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(true);
    expect(document.body.textContent).toContain('A sweep is running in the training process: stop it first.');
    // The other region cannot start one meanwhile.
    const bs = screen.getByRole('region', { name: 'Batch-size sweep' });
    expect((within(bs).getByRole('button', { name: 'Run sweep' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(within(lr).getByRole('button', { name: 'Stop' }));
    expect(api.stopSweep).toHaveBeenCalled();
    act(() => {
      applyEvent({ kind: 'sweepPoint', sweep: 1, ...point(0, 0.01) });
      applyEvent({ kind: 'sweepPoint', sweep: 1, ...point(1, 0.1) });
      applyEvent({ kind: 'sweepPoint', sweep: 1, ...point(2, 10, true) });
      applyEvent({ kind: 'sweepProgress', status: status({ state: 'done', finished: 3, current: null }) });
    });
    expect(within(lr).getByRole('status').textContent).toMatch(/^Done: 3 runs in 4\.5 s/);
    expect((screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement).disabled).toBe(false);
    const chart = within(lr).getByRole('group', { name: /against the learning rate/ });
    const points = within(chart).getAllByRole('button');
    expect(points.map((p) => p.getAttribute('aria-label'))).toEqual([
      'learning rate 0.01: test accuracy 0.78, train loss 0.50. Show its curves',
      'learning rate 0.1: test accuracy 0.77, train loss 0.60. Show its curves',
      'learning rate 10: diverged. Show its curves',
    ]);
    expect(chart.textContent).toContain('diverged');
    const table = within(lr).getByRole('table');
    const rows = within(table).getAllByRole('row').slice(1).map((r) => Array.from(r.children).slice(0, 6).map((c) => c.textContent));
    expect(rows).toEqual([['0.01', '0.50', '0.80', '0.78', '1.5', 'done'], ['0.1', '0.60', '0.80', '0.77', '1.5', 'done'], ['10', '—', '—', '—', '1.5', 'diverged']]);
    fireEvent.keyDown(points[1], { key: 'Enter' });
    expect(within(lr).getByTestId('record-curves').getAttribute('data-run')).toBe('sweep-2');
    expect(within(lr).getByText('Curves of learning rate 0.1 (run 2 of 3)')).toBeTruthy();
    fireEvent.click(within(table).getByRole('button', { name: 'Show the curves of learning rate 10' }));
    expect(within(lr).getByTestId('record-curves').getAttribute('data-run')).toBe('sweep-3');
  });
});
