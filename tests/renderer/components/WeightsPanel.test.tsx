// @vitest-environment jsdom
// The weight heatmaps: ten canvases named "Weights for class <name>" in label order, 28x28, drawn from
// W's columns on a colour map symmetric around 0; hover reads a pixel; the colour scale is shown; by
// keyboard, Enter or Space enlarges a class and the arrow keys read its pixels one by one. "Show change
// since last epoch" paints W − W(end of the previous epoch) on its own scale, says which change it is
// (and why there is none before a run starts), reads changes out, and lists how far each epoch moved W.

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatChange, moveCursor, WeightsPanel } from '../../../renderer/components/WeightsPanel';
import { colourLut, lutIndex, LUT_SIZE, paintClassWeights } from '../../../renderer/components/heatmap';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { CONFIG, installFakeApi } from '../fake-api';
import type { RunRecord } from '../../../core/protocol';

/** What the mocked canvases were last given by putImageData, by canvas. */
const painted = new Map<HTMLCanvasElement, ImageData | null>();

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
  // jsdom has no canvas: a 2D context that records putImageData is enough here.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    return {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: (img: ImageData) => painted.set(this, img),
      clearRect: () => painted.set(this, null),
    } as unknown as CanvasRenderingContext2D;
  } as never);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('WeightsPanel', () => {
  it('names ten 28x28 canvases by class, in label order', () => {
    render(<WeightsPanel />);
    const imgs = NAMES.map((n) => screen.getByRole('img', { name: `Weights for class ${n}` }) as HTMLCanvasElement);
    expect(imgs.map((c) => c.dataset.class)).toEqual(NAMES.map((_, k) => String(k)));
    for (const c of imgs) expect([c.width, c.height]).toEqual([28, 28]);
    expect(screen.getByText('No weights yet.')).toBeTruthy();
  });

  it('shows the symmetric range and the hovered pixel’s value', () => {
    render(<WeightsPanel />);
    const w = new Float32Array(7850);
    for (let i = 0; i < 7840; i++) w[i] = ((i % 200) - 100) / 200; // |w| up to 0.5
    w[(2 * 28 + 3) * 10 + 7] = -3; // Sneaker, row 3, column 4: an outlier beyond the scale
    act(() => applyEvent({ kind: 'weights', weights: w, epochProgress: 0 }));
    expect(useLab.getState().weights.maxAbs).toBe(3);
    expect(screen.getByRole('img', { name: 'Colour scale from −0.5 to 0.5' })).toBeTruthy();
    const sneaker = screen.getByRole('img', { name: 'Weights for class Sneaker' });
    sneaker.getBoundingClientRect = () => ({ left: 0, top: 0, width: 28, height: 28, right: 28, bottom: 28, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.mouseMove(sneaker, { clientX: 3.5, clientY: 2.5 });
    expect(screen.getByTestId('weight-hover').textContent).toBe('Sneaker, row 3, column 4: -3.0000');
  });
});

describe('WeightsPanel by keyboard', () => {
  it('Enter or Space opens the enlarged view (Space does not start the run); arrows read pixels out', () => {
    HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) { this.open = true; };
    render(<WeightsPanel />);
    const w = new Float32Array(7850);
    w[(14 * 28 + 15) * 10 + 7] = 0.25; // Sneaker, row 15, column 16 (1-based)
    act(() => applyEvent({ kind: 'weights', weights: w, epochProgress: 0 }));
    const sneaker = screen.getByRole('img', { name: 'Weights for class Sneaker' });
    const space = fireEvent.keyDown(sneaker, { key: ' ' });
    expect(space).toBe(false); // default prevented: the window's Space (start/pause) leaves it alone
    const big = screen.getByRole('img', { name: 'Weights for class Sneaker, enlarged' });
    expect(document.activeElement).toBe(big);
    fireEvent.keyDown(big, { key: 'ArrowRight' });
    expect(screen.getByTestId('pixel-readout').textContent).toBe('Sneaker, row 15, column 16: 0.2500');
    expect(screen.getByTestId('pixel-readout').getAttribute('aria-live')).toBe('polite');
    fireEvent.keyDown(big, { key: 'ArrowDown' });
    expect(screen.getByTestId('pixel-readout').textContent).toBe('Sneaker, row 16, column 16: 0.0000');
  });

  it('moves the cursor within the 28×28 image', () => {
    expect(moveCursor({ row: 0, col: 0 }, 'ArrowUp')).toEqual({ row: 0, col: 0 });
    expect(moveCursor({ row: 27, col: 27 }, 'ArrowRight')).toEqual({ row: 27, col: 27 });
    expect(moveCursor({ row: 5, col: 5 }, 'End')).toEqual({ row: 5, col: 27 });
    expect(moveCursor({ row: 5, col: 5 }, 'PageDown')).toEqual({ row: 27, col: 5 });
    expect(moveCursor({ row: 5, col: 5 }, 'x')).toBeNull();
  });
});

describe('heatmap colours', () => {
  it('maps 0 to the middle of the map, ±max to its ends, negative blue and positive red', () => {
    expect(lutIndex(0, 1)).toBe(Math.round((LUT_SIZE - 1) / 2));
    expect(lutIndex(-1, 1)).toBe(0);
    expect(lutIndex(1, 1)).toBe(LUT_SIZE - 1);
    expect(lutIndex(5, 1)).toBe(LUT_SIZE - 1);
    expect(lutIndex(0.3, 0)).toBe(lutIndex(0, 1));
    const lut = colourLut();
    const [r0, , b0] = lut.slice(0, 3);
    const [r1, , b1] = lut.slice((LUT_SIZE - 1) * 3);
    expect(b0).toBeGreaterThan(r0);
    expect(r1).toBeGreaterThan(b1);
  });

  it('paints class k from column k of W (pixel d at W[d*10 + k]), non-finite as grey', () => {
    const w = new Float32Array(7850);
    w[5 * 10 + 2] = 1;
    w[6 * 10 + 2] = -1;
    w[7 * 10 + 2] = NaN;
    w[5 * 10 + 3] = -1;
    const img = { width: 28, height: 28, data: new Uint8ClampedArray(784 * 4) } as ImageData;
    paintClassWeights(w, 2, 1, img);
    const lut = colourLut();
    expect(Array.from(img.data.slice(20, 23))).toEqual(Array.from(lut.slice((LUT_SIZE - 1) * 3, LUT_SIZE * 3)));
    expect(Array.from(img.data.slice(24, 27))).toEqual(Array.from(lut.slice(0, 3)));
    expect(Array.from(img.data.slice(28, 32))).toEqual([128, 128, 128, 255]);
  });
});

describe('Show change since last epoch', () => {
  const filled = (v: number): Float32Array => new Float32Array(7850).fill(v);
  const checkpoint = (epoch: number, weights: Float32Array) => applyEvent({
    kind: 'run', final: false, weights,
    record: { id: 'run-1', config: CONFIG, epochs: Array.from({ length: epoch }, (_, i) => ({ epoch: i + 1, trainLoss: 0.5, trainAcc: 0.8, testAcc: 0.8, seconds: 1 })) } as unknown as RunRecord,
  });

  it('explains the state before the run starts, then paints the change on its own scale and reads it out', () => {
    render(<WeightsPanel />);
    act(() => applyEvent({ kind: 'weights', weights: filled(0.5), epochProgress: 0 }));
    const toggle = screen.getByRole('checkbox', { name: 'Show change since last epoch' });
    act(() => { fireEvent.click(toggle); });
    expect(screen.getByRole('heading', { level: 2 }).textContent).toBe('Change of W since the end of the previous epoch, one 28×28 image per class');
    expect(screen.getByTestId('change-status').textContent).toMatch(/^The run has not started, so nothing has changed yet\./);
    const sneaker = screen.getByRole('img', { name: 'Change of the weights for class Sneaker' }) as HTMLCanvasElement;
    expect(painted.get(sneaker)).toBeNull(); // nothing to show: cleared, not W
    expect(screen.getByTestId('scale-max').textContent).toBe('—');

    // Halfway through epoch 1: W − W(start); every weight moved by +0.02, one Sneaker pixel by −0.3.
    const mid = filled(0.52);
    mid[(2 * 28 + 3) * 10 + 7] = 0.2;
    act(() => {
      applyEvent({ kind: 'weights', weights: mid, epochProgress: 0.5 });
      fireEvent.click(toggle);
      fireEvent.click(toggle); // off and on again: painted now, not at the next repaint tick
    });
    expect(screen.getByTestId('change-status').textContent).toBe('Epoch 1 so far: W now minus W at the start of the run (no epoch has ended yet).');
    expect(screen.getByRole('img', { name: 'Colour scale of the change from −0.02 to 0.02' })).toBeTruthy();
    const img = painted.get(sneaker)!;
    const lut = colourLut();
    const at = (row: number, col: number) => Array.from(img.data.slice((row * 28 + col) * 4, (row * 28 + col) * 4 + 3));
    expect(at(2, 3)).toEqual(Array.from(lut.slice(0, 3))); // −0.3: the negative end
    const change = useLab.getState().weights.change!;
    const i = lutIndex(change.params[7], change.scale); // +0.02 on a scale of ±0.0202: at the positive end
    expect(i).toBeGreaterThan(LUT_SIZE - 4);
    expect(at(0, 0)).toEqual(Array.from(lut.slice(i * 3, i * 3 + 3)));
    sneaker.getBoundingClientRect = () => ({ left: 0, top: 0, width: 28, height: 28, right: 28, bottom: 28, x: 0, y: 0, toJSON: () => ({}) });
    fireEvent.mouseMove(sneaker, { clientX: 3.5, clientY: 2.5 });
    expect(screen.getByTestId('weight-hover').textContent).toBe('Sneaker, row 3, column 4: changed by -0.3');

    // Epochs end: the change of each whole epoch, and how far each moved W, shrinking.
    act(() => {
      checkpoint(1, filled(0.6));
      applyEvent({ kind: 'weights', weights: filled(0.6), epochProgress: 1 });
      checkpoint(2, filled(0.63));
      applyEvent({ kind: 'weights', weights: filled(0.63), epochProgress: 2 });
    });
    expect(screen.getByTestId('change-status').textContent).toBe('All of epoch 2: W at its end minus W at the end of epoch 1.');
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual(['epoch 1: 0.1', 'epoch 2: 0.03']);
    expect(screen.getByRole('list', { name: 'How far each epoch moved W (root mean square of the change):' })).toBeTruthy();

    // Off again: the weights, by their own names.
    act(() => { fireEvent.click(toggle); });
    expect(screen.getByRole('img', { name: 'Weights for class Sneaker' })).toBe(sneaker);
    expect(screen.queryByTestId('change-status')).toBeNull();
  });

  it('prints a change signed, to three significant digits', () => {
    expect(formatChange(0.012345)).toBe('+0.0123');
    expect(formatChange(-0.3)).toBe('-0.3');
    expect(formatChange(0)).toBe('0');
    expect(formatChange(NaN)).toBe('—');
  });
});
