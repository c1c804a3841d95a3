// @vitest-environment jsdom
// "One image, step by step" in the DOM: the numbers it prints for a test image are the step-by-step
// module's (the core's), next / previous fetch other test images, the gallery's pick can be taken, ten
// gradient heatmaps are named by class, the textbook softmax with huge logits prints ∞ and NaN, it
// follows new weights, and the drawing pad's keys draw, lift and clear. jsdom has no canvas: a recording
// 2D context stands in.

import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NUM_CLASSES as K, NUM_INPUTS as D } from '../../../../core/shapes';
import { initParams } from '../../../../core/model';
import { createRng } from '../../../../core/rng';
import { InsidePanel } from '../../../../renderer/components/inside/InsidePanel';
import { formatProb, formatValue } from '../../../../renderer/inside/format';
import { inputFromPixels, stepByStep } from '../../../../renderer/inside/step-by-step';
import { useLab } from '../../../../renderer/store';
import { installFakeApi, type FakeApi } from '../../fake-api';

const NAMES = ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'];

/** Test image i: a bright band at rows 2i..2i+3, label i mod 10. */
function testImage(i: number): { pixels: Uint8Array; label: number } {
  const pixels = new Uint8Array(D);
  for (let d = (2 * (i % 10)) * 28; d < (2 * (i % 10) + 4) * 28; d++) pixels[d] = 200 + (d % 50);
  return { pixels, label: i % 10 };
}

let api: FakeApi;
let ctx: Record<string, ReturnType<typeof vi.fn>>;

function setWeights(params: Float32Array): void {
  useLab.setState((s) => ({ weights: { ...s.weights, params, version: s.weights.version + 1 } }));
}

function setSoftmax(softmax: 'stable' | 'naive'): void {
  useLab.setState((s) => ({ run: { ...s.run, state: 'idle', config: { ...s.run.config, softmax } } }));
}

function shown(testId: string): string[] {
  const table = screen.getByTestId('sbs-table');
  return within(table).getAllByTestId(testId).map((e) => e.textContent ?? '');
}

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  api = installFakeApi();
  api.request.mockImplementation(async (req: { kind: string; indices?: number[] }) => {
    if (req.kind !== 'testExamples') return {};
    const pixels = new Uint8Array((req.indices ?? []).length * D);
    const labels = new Uint8Array((req.indices ?? []).length);
    (req.indices ?? []).forEach((i, r) => {
      const ex = testImage(i);
      pixels.set(ex.pixels, r * D);
      labels[r] = ex.label;
    });
    return { pixels, labels };
  });
  ctx = {
    createImageData: vi.fn((w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) })),
    putImageData: vi.fn(),
    getImageData: vi.fn((_x: number, _y: number, w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4).fill(255) })),
    fillRect: vi.fn(),
    beginPath: vi.fn(),
    arc: vi.fn(),
    fill: vi.fn(),
    moveTo: vi.fn(),
    lineTo: vi.fn(),
    stroke: vi.fn(),
  };
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation((() => ctx) as never);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('StepByStep', () => {
  const params = initParams(createRng(1)).data;
  for (let k = 0; k < K; k++) params[D * K + k] = (k - 4.5) / 10; // a bias, so the logits differ visibly

  it('prints the core’s numbers for a test image and moves to the next and previous ones', async () => {
    setSoftmax('stable');
    setWeights(params);
    render(<InsidePanel />);
    const region = screen.getByRole('region', { name: 'One image, step by step' });
    await waitFor(() => expect(screen.getAllByTestId('logit')).toHaveLength(10));
    const ex = testImage(0);
    const step = stepByStep(params, inputFromPixels(ex.pixels), ex.label, 'stable');
    expect(shown('logit')).toEqual(Array.from(step.logits, formatValue));
    expect(shown('shifted')).toEqual(Array.from(step.logits, (o) => formatValue(o - step.shift)));
    expect(shown('exp')).toEqual(Array.from(step.exps, formatValue));
    expect(shown('prob')).toEqual(Array.from(step.probs, formatProb));
    expect(screen.getByTestId('exp-sum').textContent).toBe(formatValue(step.expSum));
    expect(screen.getByTestId('loss').textContent).toContain(`= ${formatValue(step.loss)} (y = T-shirt/top)`);
    expect(screen.getByTestId('softmax-note').textContent).toContain(`m = ${formatValue(step.shift)} (${NAMES[step.top]})`);
    const top = within(screen.getByTestId('sbs-table')).getAllByRole('row').find((r) => r.getAttribute('data-class') === String(step.top));
    expect(top?.textContent).toContain('▲ largest');
    for (const name of NAMES) expect(within(region).getByRole('img', { name: `Gradient for class ${name}` })).toBeTruthy();
    expect(screen.getAllByTestId('grad-bias').map((e) => e.textContent)).toEqual(NAMES.map((_, k) => `∂b = ${formatValue(step.grad[D * K + k])}`));
    expect(screen.getByTestId('sgd').textContent).toContain(`lr = 0.1 and batches of 256, this image moves each weight by −${formatValue(0.1 / 256)}`);

    fireEvent.click(screen.getByRole('button', { name: 'Next test image' }));
    await waitFor(() => expect(screen.getByTestId('loss').textContent).toContain('(y = Trouser)'));
    expect(api.request).toHaveBeenCalledWith({ kind: 'testExamples', indices: [1] });
    const one = stepByStep(params, inputFromPixels(testImage(1).pixels), 1, 'stable');
    expect(shown('logit')).toEqual(Array.from(one.logits, formatValue));
    fireEvent.click(screen.getByRole('button', { name: 'Previous test image' }));
    fireEvent.click(screen.getByRole('button', { name: 'Previous test image' }));
    await waitFor(() => expect(screen.getByTestId('loss').textContent).toContain('(y = Ankle boot)')); // 9999 wraps: label 9
    expect((screen.getByRole('spinbutton', { name: 'Test image number' }) as HTMLInputElement).value).toBe('9999');
  });

  it('takes the gallery’s image, and follows new weights', async () => {
    setSoftmax('stable');
    setWeights(params);
    render(<InsidePanel />);
    await waitFor(() => expect(screen.getAllByTestId('logit')).toHaveLength(10));
    act(() => useLab.setState((s) => ({ predictions: { ...s.predictions, selected: { index: 42, probs: null } } })));
    fireEvent.click(screen.getByRole('button', { name: 'Use the gallery’s image #42' }));
    await waitFor(() => expect(screen.getByTestId('loss').textContent).toContain('(y = Pullover)'));
    const doubled = params.map((v) => 2 * v);
    act(() => setWeights(doubled));
    const expected = stepByStep(doubled, inputFromPixels(testImage(42).pixels), 2, 'stable');
    await waitFor(() => expect(shown('logit')).toEqual(Array.from(expected.logits, formatValue)), { timeout: 2000 });
  });

  it('with the textbook softmax and huge logits prints ∞, the overflow and NaN', async () => {
    const big = params.slice();
    for (let d = 0; d < D; d++) big[d * K + 3] = 2; // Dress: logit 2·Σx, far past 88.72
    setSoftmax('naive');
    setWeights(big);
    render(<InsidePanel />);
    await waitFor(() => expect(screen.getAllByTestId('exp')).toHaveLength(10));
    expect(shown('exp')[3]).toBe('∞ overflow');
    expect(screen.getByTestId('exp-sum').textContent).toBe('∞');
    expect(shown('prob')[3]).toBe('NaN');
    expect(shown('prob')[0]).toBe('0.000');
    expect(screen.getByRole('note').textContent).toMatch(/^exp overflowed to ∞ for Dress: Σ = ∞, so ŷ = ∞ \/ ∞ = NaN/);
    expect(screen.getByTestId('loss').textContent).toBe('−log ŷ_y = −log 0.000 = ∞ (y = T-shirt/top)');
    expect(screen.queryAllByTestId('shifted')).toHaveLength(0); // the textbook variant subtracts nothing
  });

  it('without weights says so', () => {
    setSoftmax('stable');
    render(<InsidePanel />);
    expect(screen.getByText('No weights yet: the view appears once the dataset is loaded.')).toBeTruthy();
  });
});

describe('DrawingPad keys', () => {
  it('Space puts the pen down (a dot), arrows draw a line a model pixel long, Delete clears', () => {
    setSoftmax('stable');
    render(<InsidePanel />);
    const pad = screen.getByRole('application', { name: 'Drawing pad' });
    expect(within(screen.getByRole('region', { name: 'Draw a garment' })).getByText(/Pen up\./)).toBeTruthy();
    fireEvent.keyDown(pad, { key: ' ' });
    expect(ctx.arc).toHaveBeenCalledWith(140, 140, 12, 0, 2 * Math.PI);
    expect(screen.getByText(/Pen down\./)).toBeTruthy();
    fireEvent.keyDown(pad, { key: 'ArrowRight' });
    expect(ctx.moveTo).toHaveBeenLastCalledWith(140, 140);
    expect(ctx.lineTo).toHaveBeenLastCalledWith(150, 140);
    fireEvent.keyDown(pad, { key: ' ' });
    fireEvent.keyDown(pad, { key: 'ArrowDown' });
    expect(ctx.lineTo).toHaveBeenCalledTimes(1); // lifted: moving does not draw
    const clears = ctx.fillRect.mock.calls.length;
    fireEvent.keyDown(pad, { key: 'Delete' });
    expect(ctx.fillRect.mock.calls.length).toBe(clears + 1);
    expect(ctx.fillRect).toHaveBeenLastCalledWith(0, 0, 280, 280);
    fireEvent.click(screen.getByRole('button', { name: 'Clear' }));
    expect(ctx.fillRect.mock.calls.length).toBe(clears + 2);
  });
});
