// @vitest-environment jsdom
// The controls: accessible names, which controls are disabled in which state and the reason they give,
// the keyboard shortcuts (Space, S, E, R) and that they do not fire while typing in a field; the pace
// slider; the learning-rate slider's keys and gestures (one committed change each) and its number field;
// the weight-decay slider's keys, gestures and words.

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Controls, controlReasons, RunSettings } from '../../../renderer/components/Controls';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { CONFIG, installFakeApi, position, type FakeApi } from '../fake-api';

let api: FakeApi;

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
});
afterEach(cleanup);

function toState(state: 'idle' | 'training' | 'paused' | 'done' | 'diverged', batchesDone = 3, config: Partial<typeof CONFIG> = {}, pace: number | null = null): void {
  act(() => {
    applyEvent({ kind: 'ready', trainCount: 60000, testCount: 10000, source: 'x', config: { ...CONFIG, ...config }, kernel: 'fast' });
    applyEvent({ kind: 'state', state, position: position(batchesDone), config: { ...CONFIG, ...config }, pace });
  });
}

/** The controls bar and the run settings, as the window shows them. */
function renderAll() {
  return render(<><Controls /><RunSettings /></>);
}

/** The text of the elements that describe `el`. */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('Controls', () => {
  it('names its controls as the issue lists them', () => {
    toState('idle', 0);
    renderAll();
    for (const name of ['Start', 'Step', 'One epoch', 'Reset', 'Full speed']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Learning rate' })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Pace' })).toBeTruthy();
    expect(screen.getByText('Keys: Space start/pause · S step · E one epoch · R reset')).toBeTruthy();
  });

  it('while loading, everything that needs the dataset is disabled and says why', () => {
    renderAll();
    const start = screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(description(start)).toBe('The dataset is not loaded yet.');
    expect((screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('slider', { name: 'Learning rate' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('while training: Pause; Step and the settings are disabled with a reason; the lr stays live', () => {
    toState('training');
    renderAll();
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    const step = screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement;
    expect(step.disabled).toBe(true);
    expect(description(step)).toBe('Step: Pause the run to step one batch at a time.');
    expect(description(screen.getByRole('button', { name: 'One epoch' }))).toBe('One epoch: Pause the run to step one epoch at a time.');
    const epochs = screen.getByLabelText('Epochs') as HTMLInputElement;
    expect(epochs.disabled).toBe(true);
    expect(description(epochs)).toBe('Pause the run to change its settings.');
    const lr = screen.getByRole('slider', { name: 'Learning rate' });
    fireEvent.change(lr, { target: { value: '0' } }); // dragged to 10^0
    expect(api.setLearningRate).toHaveBeenLastCalledWith(1, { commit: false });
    fireEvent(lr, new Event('change', { bubbles: true })); // released
    expect(api.setLearningRate).toHaveBeenLastCalledWith(1);
  });

  it('the lr slider: a key moves one round value from any value and commits on release; the field takes any value in LIMITS', () => {
    toState('training', 3, { lr: 0.1 });
    renderAll();
    const lr = screen.getByRole('slider', { name: 'Learning rate' });
    expect(lr.getAttribute('aria-valuetext')).toBe('0.1');
    fireEvent.keyDown(lr, { key: 'ArrowUp' });
    expect(api.setLearningRate).toHaveBeenLastCalledWith(0.12, { commit: false });
    expect(lr.getAttribute('aria-valuetext')).toBe('0.12'); // shown at once, before the session answers
    expect((screen.getByLabelText('Learning rate value') as HTMLInputElement).value).toBe('0.12');
    fireEvent.keyDown(lr, { key: 'ArrowUp', repeat: true }); // held: the same gesture
    fireEvent.keyUp(lr, { key: 'ArrowUp' });
    expect(api.setLearningRate).toHaveBeenLastCalledWith(0.15);
    expect(api.setLearningRate.mock.calls.filter((c) => c.length === 1)).toHaveLength(1); // one committed change
    const field = screen.getByLabelText('Learning rate value') as HTMLInputElement;
    fireEvent.change(field, { target: { value: '250' } }); // beyond the slider, within LIMITS
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(api.setLearningRate).toHaveBeenLastCalledWith(250);
    fireEvent.change(field, { target: { value: '0' } });
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(description(field)).toMatch(/The learning rate must be a number from 0\.000001 to 1000\./);
    fireEvent.keyDown(field, { key: 'Enter' });
    expect(api.setLearningRate).toHaveBeenLastCalledWith(250);
  });

  it('the weight-decay slider: 0 (off) by default, live while training, a key one stop from any value, one committed change per gesture', () => {
    toState('training', 3);
    renderAll();
    const wd = screen.getByRole('slider', { name: 'Weight decay' });
    expect(wd.getAttribute('aria-valuetext')).toBe('λ = 0 (off)');
    expect(description(wd)).toMatch(/^L2 weight decay λ: each example's loss gains λ\/2 ‖W‖² \(the weights, not the bias\)/);
    fireEvent.keyDown(wd, { key: 'ArrowRight' });
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.00001, { commit: false });
    expect(wd.getAttribute('aria-valuetext')).toBe('λ = 0.00001'); // shown at once
    fireEvent.keyDown(wd, { key: 'PageUp', repeat: true }); // held: the same gesture, a decade up
    fireEvent.keyUp(wd, { key: 'PageUp' });
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.0001);
    expect(api.setWeightDecay.mock.calls.filter((c) => c.length === 1)).toHaveLength(1); // one committed change
    expect(useLab.getState().metrics.wdGesture).toMatchObject({ from: 0, target: 0.0001 });
    // The session answers with the value asked for; then one set elsewhere (a restored configuration)
    // between stops: keys go to the next stop either way.
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(4), config: { ...CONFIG, weightDecay: 0.0001 }, pace: null }));
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(4), config: { ...CONFIG, weightDecay: 0.003 }, pace: null }));
    expect(wd.getAttribute('aria-valuetext')).toBe('λ = 0.003');
    fireEvent.keyDown(wd, { key: 'ArrowLeft' });
    fireEvent.keyUp(wd, { key: 'ArrowLeft' });
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.002);
    fireEvent.change(wd, { target: { value: '10' } }); // dragged to the right end
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.01, { commit: false });
    fireEvent(wd, new Event('change', { bubbles: true })); // released
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0.01);
    fireEvent.keyDown(wd, { key: 'Home' });
    fireEvent.keyUp(wd, { key: 'Home' });
    expect(api.setWeightDecay).toHaveBeenLastCalledWith(0);
    fireEvent.keyDown(wd, { key: 'a' }); // not the slider's key
    expect(api.setWeightDecay.mock.calls.filter((c) => c.length === 1)).toHaveLength(4);
  });

  it('the weight-decay slider in 简体中文', () => {
    act(() => useLab.setState((s) => ({ settings: { ...s.settings, language: 'zh' } })));
    toState('idle', 0);
    renderAll();
    const wd = screen.getByRole('slider', { name: '权重衰减' });
    expect(wd.getAttribute('aria-valuetext')).toBe('λ = 0（关闭）');
    expect(description(wd)).toMatch(/^L2 权重衰减 λ/);
  });

  it('the pace slider says the rate, applies at once, and Full speed is one click away (and back)', () => {
    toState('training', 3, {}, 20);
    renderAll();
    const pace = screen.getByRole('slider', { name: 'Pace' });
    expect(pace.getAttribute('aria-valuetext')).toBe('20 batches/s');
    fireEvent.change(pace, { target: { value: '0' } });
    expect(api.setPace).toHaveBeenLastCalledWith(1);
    const full = screen.getByRole('button', { name: 'Full speed' });
    expect(full.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(full);
    expect(api.setPace).toHaveBeenLastCalledWith(null);
    toState('training', 3, {}, null);
    expect(pace.getAttribute('aria-valuetext')).toBe('full speed');
    expect(full.getAttribute('aria-pressed')).toBe('true');
    fireEvent.click(full);
    expect(api.setPace).toHaveBeenLastCalledWith(20);
  });

  it('paused: Resume and Step; ended runs: Start, and Step says to reset', () => {
    toState('paused');
    const { unmount } = render(<Controls />);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement).disabled).toBe(false);
    expect((screen.getByRole('button', { name: 'One epoch' }) as HTMLButtonElement).disabled).toBe(false);
    fireEvent.click(screen.getByRole('button', { name: 'One epoch' }));
    expect(api.stepEpoch).toHaveBeenCalledTimes(1);
    unmount();
    toState('diverged');
    render(<Controls />);
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
    // True words: Start does begin a new run, so Step's reason says so.
    expect(description(screen.getByRole('button', { name: 'Step' }))).toBe('Step: The run has ended: Start begins a new run; Reset goes back to its start to step through it.');
    expect(controlReasons('idle', true, true).primary).toBe('why.crashed');
  });

  it('Space starts/pauses, S steps, R resets; not while typing in a field', () => {
    toState('idle', 0);
    renderAll();
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(api.startTraining).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 's' });
    expect(api.step).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'R' });
    expect(api.reset).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'e' });
    expect(api.stepEpoch).toHaveBeenCalledTimes(1);
    const seed = screen.getByLabelText('Seed');
    fireEvent.keyDown(seed, { key: ' ' });
    fireEvent.keyDown(seed, { key: 's' });
    fireEvent.keyDown(seed, { key: 'r' });
    fireEvent.keyDown(document.body, { key: 's', ctrlKey: true });
    expect(api.startTraining).toHaveBeenCalledTimes(1);
    expect(api.step).toHaveBeenCalledTimes(1);
    expect(api.reset).toHaveBeenCalledTimes(1);
    toState('training');
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(api.pause).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 's' }); // Step does not apply while training
    expect(api.step).toHaveBeenCalledTimes(1);
  });

  it('number settings apply on Enter, and refuse values out of range with a message', () => {
    toState('idle', 0);
    render(<RunSettings />);
    const epochs = screen.getByLabelText('Epochs') as HTMLInputElement;
    fireEvent.change(epochs, { target: { value: '0' } });
    expect(epochs.getAttribute('aria-invalid')).toBe('true');
    expect(description(epochs)).toBe('Epochs must be a whole number from 1 to 1000.');
    fireEvent.keyDown(epochs, { key: 'Enter' });
    expect(api.configure).not.toHaveBeenCalled();
    fireEvent.change(epochs, { target: { value: '2' } });
    fireEvent.keyDown(epochs, { key: 'Enter' });
    expect(api.configure).toHaveBeenCalledWith({ epochs: 2 });
    fireEvent.change(screen.getByLabelText('Softmax'), { target: { value: 'naive' } });
    expect(api.configure).toHaveBeenCalledWith({ softmax: 'naive' });
  });
});

describe('native menu commands (Electron)', () => {
  it('run the same actions as the keys, under the same conditions', () => {
    let menu: ((c: 'start-pause' | 'step' | 'reset' | 'open-model' | 'save-model') => void) | null = null;
    const off = (): void => {
      menu = null;
    };
    Object.assign(api, { onMenuCommand: (l: typeof menu) => ((menu = l), off) });
    toState('training');
    const { unmount } = render(<Controls />);
    act(() => menu?.('step')); // disabled while training: ignored
    expect(api.step).not.toHaveBeenCalled();
    act(() => menu?.('start-pause'));
    expect(api.pause).toHaveBeenCalledTimes(1);
    unmount();
    expect(menu).toBeNull(); // unsubscribed with the component
  });
});
