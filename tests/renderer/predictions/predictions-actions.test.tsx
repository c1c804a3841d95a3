// @vitest-environment jsdom
// The predictions slice's actions with a fake window.api: input refusals end as messages, the test
// predictions refresh at epoch ends and after a reset, confusion cells filter the gallery; and the
// panel's components render those states (message, Prediction region, language switch).

import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LabApi, TrainerReplies, TrainerRequest } from '../../../common/contract';
import type {} from '../../../renderer/bridge/global'; // window.api's type, as the renderer sees it
import { useLab } from '../../../renderer/store';
import { addEpoch } from '../../../renderer/store/metrics-slice';
import {
  classifyFiles, clearGalleryFilters, followWeights, predictOwnImage, refreshTestPredictions, setGalleryFilter, setPredictionsShown, showConfusionCell,
} from '../../../renderer/predictions/actions';
import { ClassifyImage } from '../../../renderer/components/predictions/ClassifyImage';
import { ConfusionMatrixView } from '../../../renderer/components/predictions/ConfusionMatrixView';
import { LANGUAGE_STORAGE_KEY, LanguageSwitch, restoreLanguage } from '../../../renderer/components/LanguageSwitch';

const labels = new Uint8Array([0, 1, 6, 6, 9]);
const predicted = new Uint8Array([0, 1, 0, 6, 7]);

function fakeApi(): { api: LabApi; request: ReturnType<typeof vi.fn> } {
  const request = vi.fn(async (req: TrainerRequest): Promise<TrainerReplies[keyof TrainerReplies]> => {
    switch (req.kind) {
      case 'testPredictions':
        return { predicted: predicted.slice(), labels: labels.slice(), accuracy: 0.6 };
      case 'predict': {
        const probs = new Float32Array(10 * req.n).fill(0.01);
        for (let r = 0; r < req.n; r++) probs[r * 10 + 7] = 0.91;
        return { probs };
      }
      case 'testExamples':
        return { pixels: new Uint8Array(784 * req.indices.length), labels: new Uint8Array(req.indices.length) };
      default:
        throw new Error(`unexpected ${req.kind}`);
    }
  });
  return { api: { request } as unknown as LabApi, request };
}

let request: ReturnType<typeof vi.fn>;

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  const fake = fakeApi();
  request = fake.request;
  (window as unknown as { api: LabApi }).api = fake.api;
  localStorage.clear();
});

afterEach(() => cleanup());

const file = (name: string, type: string, bytes = 10): File => new File([new Uint8Array(bytes)], name, { type });

describe('classifyFiles', () => {
  it('refuses several files, SVG, non-images and empty files without asking the trainer', async () => {
    await classifyFiles([file('a.png', 'image/png'), file('b.png', 'image/png')]);
    expect(useLab.getState().predictions.own).toMatchObject({ status: 'error', error: { code: 'several-files', count: 2 } });
    await classifyFiles([file('d.svg', 'image/svg+xml')]);
    expect(useLab.getState().predictions.own.error?.code).toBe('svg');
    await classifyFiles([file('n.txt', 'text/plain')]);
    expect(useLab.getState().predictions.own.error?.code).toBe('not-image');
    await classifyFiles([file('e.png', 'image/png', 0)]);
    expect(useLab.getState().predictions.own.error?.code).toBe('empty-file');
    expect(request).not.toHaveBeenCalled();
  });

  it('a refused file after a good one keeps the good result and says whose it is', async () => {
    const input = new Float32Array(784).fill(0.5);
    useLab.setState((s) => ({ predictions: { ...s.predictions, own: { ...s.predictions.own, status: 'ready', name: 'good.png', input, probs: new Float32Array(10).fill(0.1) } } }));
    await classifyFiles([file('notes.txt', 'text/plain')]);
    const own = useLab.getState().predictions.own;
    expect(own).toMatchObject({ status: 'ready', name: 'good.png', refusedName: 'notes.txt', error: { code: 'not-image' } });
    expect(own.input).toBe(input);
    render(<ClassifyImage />);
    expect(screen.getByRole('alert').textContent).toBe('notes.txt is not an image. Use PNG, JPEG, GIF, WebP or BMP. The result below is still that of good.png.');
    expect(screen.getByRole('region', { name: 'Prediction' }).textContent).toMatch(/^Prediction for good\.png: /);
    // Untrained (no batch, no model opened) and unlike the training images (all ink): both said.
    expect(screen.getByTestId('untrained-note').textContent).toMatch(/^The model is untrained/);
    expect(screen.getByTestId('unusual-note').textContent).toMatch(/ink covers 100% of the prepared 28×28 image/);
  });

  it('re-predicts a classified image with the current weights', async () => {
    const input = new Float32Array(784).fill(0.5);
    useLab.setState((s) => ({ predictions: { ...s.predictions, own: { ...s.predictions.own, status: 'ready', name: 'x.png', input } } }));
    await predictOwnImage();
    expect(useLab.getState().predictions.own.probs?.[7]).toBeCloseTo(0.91);
    expect(request).toHaveBeenCalledWith(expect.objectContaining({ kind: 'predict', n: 1 }));
  });
});

describe('test predictions and filters', () => {
  it('refreshes and keeps a filter; a confusion cell replaces the other filters', async () => {
    setGalleryFilter({ mistakesOnly: true });
    await refreshTestPredictions();
    const p = useLab.getState().predictions;
    expect(p.test?.accuracy).toBe(0.6);
    expect(p.filter.mistakesOnly).toBe(true);
    showConfusionCell(6, 0);
    // The other filters say what the cell shows: true class 6, mistakes only.
    expect(useLab.getState().predictions.filter).toEqual({ cell: { trueClass: 6, predicted: 0 }, trueClass: 6, mistakesOnly: true });
    showConfusionCell(1, 1);
    expect(useLab.getState().predictions.filter).toEqual({ cell: { trueClass: 1, predicted: 1 }, trueClass: 1, mistakesOnly: false });
    clearGalleryFilters();
    expect(useLab.getState().predictions.filter).toEqual({ cell: null, trueClass: null, mistakesOnly: false });
  });

  it('follows the weights: refreshes at an epoch end and when the run goes back to idle', async () => {
    useLab.setState((s) => ({ run: { ...s.run, state: 'training' } }));
    const stop = followWeights();
    await vi.waitFor(() => expect(request).toHaveBeenCalledTimes(1)); // on start, when the trainer is up
    await vi.waitFor(() => expect(useLab.getState().predictions.loading).toBe(false));
    act(() => useLab.setState((s) => ({ metrics: addEpoch(s.metrics, { epoch: 1, trainLoss: 0.6, trainAcc: 0.8, testAcc: 0.79, seconds: 1, lr: 0.1 } as never) })));
    await vi.waitFor(() => expect(request).toHaveBeenCalledTimes(2));
    await vi.waitFor(() => expect(useLab.getState().predictions.loading).toBe(false));
    act(() => useLab.setState((s) => ({ run: { ...s.run, state: 'idle' } })));
    await vi.waitFor(() => expect(request).toHaveBeenCalledTimes(3));
    stop();
  });

  it('while the gallery is off screen, an epoch end only marks the predictions stale; they refresh when it shows', async () => {
    useLab.setState((s) => ({ run: { ...s.run, state: 'training' } }));
    const stop = followWeights();
    await vi.waitFor(() => expect(useLab.getState().predictions.loading).toBe(false));
    const calls = request.mock.calls.length;
    setPredictionsShown(false);
    act(() => useLab.setState((s) => ({ metrics: addEpoch(s.metrics, { epoch: 1, trainLoss: 0.6, trainAcc: 0.8, testAcc: 0.79, seconds: 1, lr: 0.1 } as never) })));
    await new Promise((r) => setTimeout(r, 20));
    expect(request).toHaveBeenCalledTimes(calls);
    expect(useLab.getState().predictions.stale).toBe(true); // and the panels can say so
    setPredictionsShown(true);
    await vi.waitFor(() => expect(request).toHaveBeenCalledTimes(calls + 1));
    stop();
  });
});

describe('components', () => {
  it('ClassifyImage shows a refused file as a clear message, and has a file input in the zone', async () => {
    render(<ClassifyImage />);
    const zone = screen.getByRole('region', { name: 'Classify an image' });
    expect(zone.querySelector('input[type=file]')).not.toBeNull();
    await act(() => classifyFiles([file('notes.txt', 'text/plain')]));
    expect(screen.getByRole('alert').textContent).toBe('notes.txt is not an image. Use PNG, JPEG, GIF, WebP or BMP.');
    expect(screen.getByRole('region', { name: 'Prediction' }).textContent).toContain('No image classified yet.');
  });

  it('without predictions, the panels say why in true words: loading, computing, or computed when shown', () => {
    render(<ConfusionMatrixView />);
    expect(screen.getByTestId('predictions-pending').textContent).toBe('Predictions appear once the dataset is loaded.');
    act(() => useLab.setState((s) => ({ dataset: { ...s.dataset, status: 'ready' } })));
    expect(screen.getByTestId('predictions-pending').textContent).toBe('Computing the predictions for the 10,000 test images…');
    act(() => useLab.setState((s) => ({ predictions: { ...s.predictions, stale: true } })));
    expect(screen.getByTestId('predictions-pending').textContent).toBe('The predictions are computed when this panel is scrolled into view.');
  });

  it('ConfusionMatrixView makes every cell a button that filters the gallery', async () => {
    await refreshTestPredictions();
    render(<ConfusionMatrixView />);
    const cell = screen.getByRole('button', { name: '1 images of Shirt predicted as T-shirt/top' });
    fireEvent.click(cell);
    expect(useLab.getState().predictions.filter.cell).toEqual({ trueClass: 6, predicted: 0 });
    expect(screen.getAllByRole('button', { name: / images of / })).toHaveLength(100);
  });

  it('LanguageSwitch switches to 简体中文, remembers it and sets <html lang>', () => {
    render(<LanguageSwitch />);
    fireEvent.change(screen.getByRole('combobox', { name: 'Language' }), { target: { value: 'zh' } });
    expect(useLab.getState().settings.language).toBe('zh');
    expect(localStorage.getItem(LANGUAGE_STORAGE_KEY)).toBe('zh');
    expect(document.documentElement.lang).toBe('zh-CN');
    expect(screen.getByRole('combobox', { name: '语言' })).toBeTruthy();
    useLab.setState(useLab.getInitialState(), true);
    restoreLanguage();
    expect(useLab.getState().settings.language).toBe('zh');
  });
});
