// @vitest-environment jsdom
// The controls: accessible names, which controls are disabled in which state and the reason they give,
// the keyboard shortcuts (Space, S, R) and that they do not fire while typing in a field.

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Controls, controlReasons } from '../../../renderer/components/Controls';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { CONFIG, installFakeApi, position, type FakeApi } from '../fake-api';

let api: FakeApi;

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
});
afterEach(cleanup);

function toState(state: 'idle' | 'training' | 'paused' | 'done' | 'diverged', batchesDone = 3): void {
  act(() => {
    applyEvent({ kind: 'ready', trainCount: 60000, testCount: 10000, source: 'x', config: { ...CONFIG }, kernel: 'fast' });
    applyEvent({ kind: 'state', state, position: position(batchesDone), config: { ...CONFIG }, pace: null });
  });
}

/** The text of the elements that describe `el`. */
function description(el: HTMLElement): string {
  return (el.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean).map((id) => document.getElementById(id)?.textContent ?? '').join(' ');
}

describe('Controls', () => {
  it('names its controls as the issue lists them', () => {
    toState('idle', 0);
    render(<Controls />);
    for (const name of ['Start', 'Step', 'Reset']) expect(screen.getByRole('button', { name })).toBeTruthy();
    expect(screen.getByRole('slider', { name: 'Learning rate' })).toBeTruthy();
    expect(screen.getByText('Keys: Space start/pause · S step · R reset')).toBeTruthy();
  });

  it('while loading, everything that needs the dataset is disabled and says why', () => {
    render(<Controls />);
    const start = screen.getByRole('button', { name: 'Start' }) as HTMLButtonElement;
    expect(start.disabled).toBe(true);
    expect(description(start)).toBe('The dataset is not loaded yet.');
    expect((screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement).disabled).toBe(true);
    expect((screen.getByRole('slider', { name: 'Learning rate' }) as HTMLInputElement).disabled).toBe(false);
  });

  it('while training: Pause; Step and the settings are disabled with a reason; the lr stays live', () => {
    toState('training');
    render(<Controls />);
    expect(screen.getByRole('button', { name: 'Pause' })).toBeTruthy();
    const step = screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement;
    expect(step.disabled).toBe(true);
    expect(description(step)).toBe('Step: Pause the run to step one batch at a time.');
    const epochs = screen.getByLabelText('Epochs') as HTMLInputElement;
    expect(epochs.disabled).toBe(true);
    expect(description(epochs)).toBe('Pause the run to change its settings.');
    fireEvent.change(screen.getByRole('slider', { name: 'Learning rate' }), { target: { value: '0' } });
    expect(api.setLearningRate).toHaveBeenCalledWith(1);
  });

  it('paused: Resume and Step; ended runs: Start, and Step says to reset', () => {
    toState('paused');
    const { unmount } = render(<Controls />);
    expect(screen.getByRole('button', { name: 'Resume' })).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Step' }) as HTMLButtonElement).disabled).toBe(false);
    unmount();
    toState('diverged');
    render(<Controls />);
    expect(screen.getByRole('button', { name: 'Start' })).toBeTruthy();
    expect(description(screen.getByRole('button', { name: 'Step' }))).toMatch(/reset to start again/);
    expect(controlReasons('idle', true, true).primary).toBe('why.crashed');
  });

  it('Space starts/pauses, S steps, R resets; not while typing in a field', () => {
    toState('idle', 0);
    render(<Controls />);
    fireEvent.keyDown(document.body, { key: ' ' });
    expect(api.startTraining).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 's' });
    expect(api.step).toHaveBeenCalledTimes(1);
    fireEvent.keyDown(document.body, { key: 'R' });
    expect(api.reset).toHaveBeenCalledTimes(1);
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
    render(<Controls />);
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
