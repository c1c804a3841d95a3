// @vitest-environment jsdom
// The weight heatmaps: ten canvases named "Weights for class <name>" in label order, 28x28, drawn from
// W's columns on a colour map symmetric around 0; hover reads a pixel; the colour scale is shown; by
// keyboard, Enter or Space enlarges a class and the arrow keys read its pixels one by one.

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { moveCursor, WeightsPanel } from '../../../renderer/components/WeightsPanel';
import { colourLut, lutIndex, LUT_SIZE, paintClassWeights } from '../../../renderer/components/heatmap';
import { useLab } from '../../../renderer/store';
import { applyEvent } from '../../../renderer/store/actions';
import { installFakeApi } from '../fake-api';

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
  // jsdom has no canvas: a 2D context that records putImageData is enough here.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    return {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }),
      putImageData: vi.fn(),
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
