// @vitest-environment jsdom
// Colours for everyone (issue 12, item 6): the colour-blind safe palette keeps the curves' series apart
// under simulated protanopia, deuteranopia and tritanopia (Machado et al. 2009), where the standard one
// does not; every series also has a stroke of its own; the heatmaps' diverging maps put the signs at
// opposite, still distinct ends; the "Colours" switch is remembered like the language, paints the
// heatmaps already on screen again, and the texts name the colours on screen.

import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { colourLut, LUT_SIZE, rememberHeatmap, repaintHeatmaps } from '../../../renderer/components/heatmap';
import { CURVE_DASHES, PALETTES, REFERENCE_RESULTS, type PaletteId } from '../../../renderer/components/palettes';
import { choosePalette, PALETTE_STORAGE_KEY, PaletteSwitch, restorePalette } from '../../../renderer/components/PaletteSwitch';
import { RecordCurves } from '../../../renderer/components/experiments/RecordCurves';
import { comparedFrames } from '../../../renderer/components/compared-curves';
import { ComparedSample } from '../../../renderer/components/ComparedLegend';
import { MAX_COMPARED } from '../../../renderer/store/compare-slice';
import { useT } from '../../../renderer/i18n/use-t';
import type { RunRecord } from '../../../core/protocol';
import { useLab } from '../../../renderer/store';
import { CONFIG, installFakeApi } from '../fake-api';

type Rgb = [number, number, number];

/** How far (ΔE) a compared run's colour must stay from the current run's series, seen with a deficiency. */
const MIN_COMPARED_DE = 15;

/** Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB. */
const DEFICIENCIES: Record<string, number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
};

function hexRgb(hex: string): Rgb {
  const v = parseInt(hex.slice(1), 16);
  return [v >> 16, (v >> 8) & 255, v & 255];
}

/** CIELAB (D65) of a colour seen with a deficiency. */
function seenLab(rgb: Rgb, deficiency: number[][]): Rgb {
  const lin = rgb.map((c) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4));
  const [r, g, b] = deficiency.map((row) => Math.min(1, Math.max(0, row[0] * lin[0] + row[1] * lin[1] + row[2] * lin[2])));
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  const x = f((0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047);
  const y = f(0.2126 * r + 0.7152 * g + 0.0722 * b);
  const z = f((0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883);
  return [116 * y - 16, 500 * (x - y), 200 * (y - z)];
}

/** The smallest ΔE (CIE76) between the curves' three series as seen with a deficiency. */
function closestSeries(palette: PaletteId, deficiency: number[][]): number {
  const { loss, trainAcc, testAcc } = PALETTES[palette].curves;
  const labs = [loss, trainAcc, testAcc].map((c) => seenLab(hexRgb(c), deficiency));
  let min = Infinity;
  for (let i = 0; i < labs.length; i++) for (let j = i + 1; j < labs.length; j++) min = Math.min(min, Math.hypot(...labs[i].map((v, k) => v - labs[j][k])));
  return min;
}

function lutEntry(palette: PaletteId, i: number): Rgb {
  const lut = colourLut(palette);
  return [lut[i * 3], lut[i * 3 + 1], lut[i * 3 + 2]];
}

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
  localStorage.clear();
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the curves never rely on colour alone', () => {
  it('the colour-blind safe palette keeps the three series apart under every common deficiency; the standard one does not', () => {
    const report: string[] = [];
    for (const [name, m] of Object.entries(DEFICIENCIES)) {
      const safe = closestSeries('okabe-ito', m);
      report.push(`${name}: Okabe–Ito ${safe.toFixed(1)}, standard ${closestSeries('standard', m).toFixed(1)}`);
      expect(safe, name).toBeGreaterThan(name === 'tritanopia' ? 15 : 30);
    }
    console.log(`closest pair of series, ΔE: ${report.join('; ')}`);
    // With deuteranopia the standard train loss (red) and test accuracy (green) look alike.
    expect(closestSeries('standard', DEFICIENCIES.deuteranopia)).toBeLessThan(10);
  });

  it('every series has a stroke of its own, in every palette', () => {
    const strokes = Object.values(CURVE_DASHES).map((d) => d.join(','));
    expect(new Set(strokes).size).toBe(strokes.length);
    expect(CURVE_DASHES.loss).toEqual([]); // train loss solid, the accuracies dashed
    expect(CURVE_DASHES.testAcc.length).toBeGreaterThan(0);
  });

  it('the reference results are the d2l chapter’s, the benchmark’s human and logistic regression numbers, lowest first', () => {
    expect(REFERENCE_RESULTS.map((r) => [r.id, r.value])).toEqual([['d2l', 0.83], ['human', 0.835], ['logistic', 0.842]]);
  });
});

describe('the compared runs’ colours', () => {
  it('each palette gives every compared slot a colour of its own, none of them a colour of the current run’s series', () => {
    for (const p of Object.values(PALETTES)) {
      expect(p.compared, p.id).toHaveLength(MAX_COMPARED);
      expect(new Set(p.compared).size, p.id).toBe(MAX_COMPARED);
      for (const c of p.compared) expect(Object.values(p.curves), `${p.id} ${c}`).not.toContain(c);
    }
  });

  it('the colour-blind safe palette keeps each compared run’s colour apart from the series it is drawn beside, under every deficiency', () => {
    const report: string[] = [];
    for (const [name, m] of Object.entries(DEFICIENCIES)) {
      const { loss, trainAcc, testAcc } = PALETTES['okabe-ito'].curves;
      const series = [loss, trainAcc, testAcc].map((c) => seenLab(hexRgb(c), m));
      let min = Infinity;
      for (const c of PALETTES['okabe-ito'].compared) {
        const lab = seenLab(hexRgb(c), m);
        for (const s of series) min = Math.min(min, Math.hypot(...lab.map((v, k) => v - s[k])));
      }
      report.push(`${name} ${min.toFixed(1)}`);
      expect(min, name).toBeGreaterThan(MIN_COMPARED_DE);
    }
    console.log(`closest compared colour to a series, ΔE: ${report.join('; ')}`);
  });

  it('comparedFrames and the legend’s sample follow the palette in use; the strokes stay the same', () => {
    useLab.setState((s) => ({ compare: { ...s.compare, shown: [{ id: 'r', slot: 2, train: [], test: [], maxX: 0 }] } }));
    const standard = comparedFrames(useLab.getState())[0];
    expect(standard.colour).toBe(PALETTES.standard.compared[2]);
    const { container } = render(<ComparedSample slot={2} />);
    expect(container.querySelector('line')?.getAttribute('stroke')).toBe(PALETTES.standard.compared[2]);
    act(() => choosePalette('okabe-ito'));
    const safe = comparedFrames(useLab.getState())[0];
    expect(safe.colour).toBe(PALETTES['okabe-ito'].compared[2]);
    expect([safe.dash, safe.marker]).toEqual([standard.dash, standard.marker]);
    expect(container.querySelector('line')?.getAttribute('stroke')).toBe(PALETTES['okabe-ito'].compared[2]);
  });
});

describe('the heatmaps’ diverging maps', () => {
  it('standard: negative blue, positive red; colour-blind safe: negative purple, positive orange; near white at 0', () => {
    const [sr0, , sb0] = lutEntry('standard', 0);
    const [sr1, , sb1] = lutEntry('standard', LUT_SIZE - 1);
    expect(sb0).toBeGreaterThan(sr0);
    expect(sr1).toBeGreaterThan(sb1);
    const [pr0, pg0, pb0] = lutEntry('okabe-ito', 0); // purple: blue and red over green
    expect(pb0).toBeGreaterThan(pg0);
    expect(pr0).toBeGreaterThan(pg0);
    const [or1, og1, ob1] = lutEntry('okabe-ito', LUT_SIZE - 1); // orange-brown: red > green > blue
    expect(or1).toBeGreaterThan(og1);
    expect(og1).toBeGreaterThan(ob1);
    for (const p of ['standard', 'okabe-ito'] as const) {
      const mid = lutEntry(p, Math.round((LUT_SIZE - 1) / 2));
      expect(Math.min(...mid), p).toBeGreaterThan(225);
    }
  });

  it('the colour-blind safe map’s two signs stay far apart under every deficiency', () => {
    for (const [name, m] of Object.entries(DEFICIENCIES)) {
      const a = seenLab(lutEntry('okabe-ito', 32), m);
      const b = seenLab(lutEntry('okabe-ito', LUT_SIZE - 33), m);
      expect(Math.hypot(...a.map((v, k) => v - b[k])), name).toBeGreaterThan(40);
    }
  });

  it('colourLut follows the palette in use', () => {
    expect(colourLut()).toBe(colourLut('standard'));
    act(() => choosePalette('okabe-ito'));
    expect(colourLut()).toBe(colourLut('okabe-ito'));
  });
});

describe('the Colours switch', () => {
  it('is a select named Colours with the palettes, remembered in localStorage, and paints the heatmaps on screen again', () => {
    const canvas = document.createElement('canvas');
    document.body.append(canvas);
    const gone = document.createElement('canvas'); // not in the page: forgotten, not painted
    const onScreen = vi.fn();
    const offScreen = vi.fn();
    rememberHeatmap(canvas, onScreen);
    rememberHeatmap(gone, offScreen);
    render(<PaletteSwitch />);
    const select = screen.getByRole('combobox', { name: 'Colours' }) as HTMLSelectElement;
    expect(Array.from(select.options).map((o) => o.textContent)).toEqual(['Standard (red–blue)', 'Colour-blind safe (purple–orange)']);
    fireEvent.change(select, { target: { value: 'okabe-ito' } });
    expect(useLab.getState().settings.palette).toBe('okabe-ito');
    expect(localStorage.getItem(PALETTE_STORAGE_KEY)).toBe('okabe-ito');
    expect(onScreen).toHaveBeenCalledTimes(1);
    expect(offScreen).not.toHaveBeenCalled();
    repaintHeatmaps();
    expect(onScreen).toHaveBeenCalledTimes(2);
    canvas.remove();
  });

  it('restores the saved palette, and ignores an unknown one', () => {
    localStorage.setItem(PALETTE_STORAGE_KEY, 'okabe-ito');
    restorePalette();
    expect(useLab.getState().settings.palette).toBe('okabe-ito');
    useLab.setState(useLab.getInitialState(), true);
    localStorage.setItem(PALETTE_STORAGE_KEY, 'sepia');
    restorePalette();
    expect(useLab.getState().settings.palette).toBe('standard');
  });

  it('the texts that name a heatmap colour name the palette’s, in both languages', () => {
    const { result, rerender } = renderHook(() => useT());
    expect(result.current('classify.evidenceHint', { name: 'Bag', max: '0.5' })).toBe('W[:, k] ⊙ x: red pixels pushed toward Bag, blue ones away from it (scale ±0.5).');
    act(() => choosePalette('okabe-ito'));
    rerender();
    expect(result.current('classify.evidenceHint', { name: 'Bag', max: '0.5' })).toBe('W[:, k] ⊙ x: orange pixels pushed toward Bag, purple ones away from it (scale ±0.5).');
    expect(result.current('inside.gradHint', { max: '1' })).toContain('orange positive, purple negative');
    act(() => useLab.setState((s) => ({ settings: { ...s.settings, language: 'zh' } })));
    rerender();
    expect(result.current('inside.sgd', { lr: '0.1', batch: 256, factor: '1', name: '包' })).toContain('图中紫色处权重上升，橙色处下降');
  });
});

describe('a recorded run’s curves', () => {
  it('are stroked in the palette in use, like the live curves, and follow a change of palette', () => {
    const record = {
      id: 'run-1', config: { ...CONFIG, epochs: 2 }, lrChanges: [],
      batches: Array.from({ length: 20 }, (_, i) => ({ epochProgress: (i + 1) / 10, loss: 2 - i * 0.05, acc: 0.5 + i * 0.02 })),
      epochs: [{ epoch: 1, trainLoss: 0.6, trainAcc: 0.7, testAcc: 0.75, seconds: 1 }, { epoch: 2, trainLoss: 0.5, trainAcc: 0.8, testAcc: 0.8, seconds: 1 }],
    } as unknown as RunRecord;
    const { container } = render(<RecordCurves record={record} title="run" />);
    const strokes = (): string[] => Array.from(container.querySelectorAll('svg[role="img"] path')).map((p) => p.getAttribute('stroke') ?? '');
    const { loss, trainAcc, testAcc } = PALETTES.standard.curves;
    expect(strokes()).toEqual([loss, trainAcc, testAcc]);
    act(() => choosePalette('okabe-ito'));
    const safe = PALETTES['okabe-ito'].curves;
    expect(strokes()).toEqual([safe.loss, safe.trainAcc, safe.testAcc]);
  });
});
