// @vitest-environment jsdom
// The status line's text in every state: idle, training with d2l's three numbers, paused, done,
// diverged (where and why), stopped, crashed, loading, and an opened model with its test accuracy.

import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StatusLine } from '../../../renderer/components/StatusLine';
import { useLab } from '../../../renderer/store';
import { applyBatches, applyEvent } from '../../../renderer/store/actions';
import { batch, CONFIG, installFakeApi, position } from '../fake-api';

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
});
afterEach(cleanup);

const text = () => screen.getByRole('status').textContent;
const state = (s: 'idle' | 'training' | 'paused' | 'done' | 'diverged' | 'stopped', done = 5) =>
  act(() => applyEvent({ kind: 'state', state: s, position: position(done), config: { ...CONFIG }, pace: null }));

describe('StatusLine', () => {
  it('says what the run is doing: the running epoch from 1 (as the batch readout), the lr, the last epoch’s numbers', () => {
    render(<StatusLine />);
    expect(text()).toBe('Loading the dataset…');
    state('idle', 0);
    expect(text()).toBe('Ready · Epoch 0/10 · lr 0.1 · train loss — · train acc — · test acc —');
    state('training');
    act(() => applyBatches([batch(0)]));
    expect(text()).toBe('Training · Epoch 1/10 · lr 0.1 · train loss — · train acc — · test acc —');
    act(() => {
      for (let e = 1; e <= 3; e++) applyEvent({ kind: 'epoch', epoch: e, trainLoss: 0.52 + (3 - e) / 10, trainAcc: 0.83, testAcc: 0.814, seconds: 1 });
      applyBatches([batch(3 * 235 - 1)]);
    });
    expect(text()).toBe('Training · Epoch 3/10 · lr 0.1 · epoch 3: train loss 0.52 · train acc 0.83 · test acc 0.81');
    act(() => applyBatches([batch(3 * 235 + 151)])); // paused at epoch 4, batch 152: the line says epoch 4 too
    state('paused');
    expect(text()).toBe('Paused · Epoch 4/10 · lr 0.1 · epoch 3: train loss 0.52 · train acc 0.83 · test acc 0.81');
    state('done');
    expect(text()).toMatch(/^Done · Epoch 4\/10/);
    state('stopped');
    expect(text()).toMatch(/^Stopped · Epoch 4\/10/);
  });

  it('names the weight decay λ in force beside the lr when it is on, and only then', () => {
    render(<StatusLine />);
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(3), config: { ...CONFIG, weightDecay: 0.0005 }, pace: null }));
    expect(text()).toMatch(/^Training · Epoch \d+\/10 · lr 0\.1 · λ 0\.0005 · train loss/);
    act(() => applyEvent({ kind: 'state', state: 'paused', position: position(3), config: { ...CONFIG, weightDecay: 0 }, pace: null }));
    expect(text()).not.toContain('λ');
  });

  it('after Open model: the opened model and its test accuracy, until the run moves on', () => {
    render(<StatusLine />);
    state('idle', 0);
    act(() => useLab.setState((s) => ({ run: { ...s.run, openedModel: { name: 'model.json', testAcc: 0.8234 } } })));
    expect(text()).toBe('Ready · model model.json · test acc 0.82 · lr 0.1');
    state('paused', 1);
    expect(text()).toMatch(/^Paused · Epoch/);
  });

  it('explains a divergence and a crash', () => {
    render(<StatusLine />);
    act(() => applyEvent({ kind: 'diverged', epoch: 2, batch: 40, loss: NaN, lr: 10, message: 'loss became NaN at epoch 2, batch 41' }));
    state('diverged');
    expect(text()).toBe('Diverged at epoch 2, batch 41: loss became NaN');
    expect(screen.getByRole('status').dataset.state).toBe('diverged');
    act(() => applyEvent({ kind: 'crashed', reason: 'the trainer worker crashed: out of memory', exitCode: null }));
    expect(text()).toBe('The trainer stopped: the trainer worker crashed: out of memory');
  });
});
