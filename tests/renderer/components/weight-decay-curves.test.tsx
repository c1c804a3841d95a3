// @vitest-environment jsdom
// The curves with weight decay: the dotted λ markers drawn on the canvas (apart from the dashed lr ones,
// labelled "λ …"), and the note that says the plotted loss is the cross-entropy alone, without the
// penalty λ/2 ‖W‖², naming the latest batch's λ; in English and 简体中文; no note for a run without decay.

import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Curves } from '../../../renderer/components/Curves';
import { lossAxis } from '../../../renderer/components/curve-math';
import { drawLiveCurves, WD_MARKER_DASH } from '../../../renderer/components/live-curves';
import { useLab } from '../../../renderer/store';
import { applyBatches, applyEvent } from '../../../renderer/store/actions';
import { batch, CONFIG, installFakeApi, position } from '../fake-api';

beforeEach(() => {
  useLab.setState(useLab.getInitialState(), true);
  installFakeApi();
  act(() => {
    applyEvent({ kind: 'ready', trainCount: 60000, testCount: 10000, source: 'x', config: { ...CONFIG }, kernel: 'fast' });
    applyEvent({ kind: 'state', state: 'training', position: position(0), config: { ...CONFIG }, pace: null });
  });
});
afterEach(cleanup);

/** A 2D context that records the dashes of each stroke and the text drawn. */
function recordingContext() {
  const strokes: { dash: number[]; x: number }[] = [];
  const texts: { text: string; y: number }[] = [];
  let dash: number[] = [];
  let lastX = NaN;
  const ctx = {
    setTransform() {}, clearRect() {}, save() {}, restore() {}, rect() {}, clip() {}, beginPath() {}, arc() {}, fill() {},
    moveTo(x: number) { lastX = x; },
    lineTo() {},
    stroke() { strokes.push({ dash: [...dash], x: lastX }); },
    setLineDash(d: number[]) { dash = [...d]; },
    measureText(text: string) { return { width: text.length * 6 }; },
    fillText(text: string, _x: number, y: number) { texts.push({ text, y }); },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, strokes, texts };
}

describe('weight decay on the curves', () => {
  it('draws each weight-decay change as a dotted line labelled λ, apart from the dashed lr markers', () => {
    const { ctx, strokes, texts } = recordingContext();
    drawLiveCurves(ctx, 600, 300, 1, { left: 40, top: 20, width: 500, height: 240 }, {
      train: [], test: [], past: [], markers: [{ x: 1, lr: 0.5 }], wdMarkers: [{ x: 2, weightDecay: 0.001 }, { x: 3, weightDecay: 0 }],
      maxX: 5, loss: lossAxis(0.3, 2.3), smoothing: 0, colours: { loss: '#000', trainAcc: '#000', testAcc: '#000', marker: '#000' },
      labelledMarkers: 6, formatLr: String, formatWd: (v) => (v === 0 ? '0' : v.toFixed(3)),
    });
    const dotted = strokes.filter((s) => s.dash.join() === WD_MARKER_DASH.join());
    expect(dotted.map((s) => Math.floor(s.x))).toEqual([40 + 3 * 100, 40 + 2 * 100]); // newest first
    expect(strokes.filter((s) => s.dash.join() === '4,3').map((s) => Math.floor(s.x))).toEqual([140]);
    expect(texts.map((t) => t.text)).toEqual(['0.5', 'λ 0', 'λ 0.001']);
    expect(new Set(texts.filter((t) => t.text.startsWith('λ')).map((t) => t.y))).toEqual(new Set([31])); // their own row, inside the plot
  });

  it('says the plotted loss leaves out the penalty, with the latest batch\'s λ, and counts the markers', () => {
    const { container } = render(<Curves />);
    const section = container.querySelector('section.curves') as HTMLElement;
    act(() => applyBatches([batch(0), batch(1)]));
    expect(screen.queryByTestId('loss-note')).toBeNull(); // a run without weight decay: nothing to say
    act(() => applyBatches([batch(2, { weightDecay: 0.001 }), batch(3, { weightDecay: 0.001 })]));
    expect(section.dataset.wdMarkers).toBe('1');
    expect(section.dataset.lastWd).toBe('0.001');
    expect(screen.getByTestId('loss-note').textContent).toBe(
      'weight decay λ changed · The loss plotted is the cross-entropy of the data alone: the weight-decay penalty λ/2 ‖W‖² is not included (λ = 0.001 in the latest batch).',
    );
    act(() => useLab.setState((s) => ({ settings: { ...s.settings, language: 'zh' } })));
    expect(screen.getByTestId('loss-note').textContent).toBe('权重衰减 λ 已更改 · 图中的损失只是数据的交叉熵，不含权重衰减的惩罚项 λ/2 ‖W‖²（最近一批 λ = 0.001）。');
    act(() => applyBatches([batch(4)]));
    expect(section.dataset.wdMarkers).toBe('2');
    expect(screen.getByTestId('loss-note').textContent).toMatch(/λ = 0）。$/); // back to none: the note stays for this run
  });

  it('lists in the legend only what is drawn: "lr changed" once the lr changed, "earlier run" once a run is behind', () => {
    const { container } = render(<Curves />);
    const legend = (): string[] => Array.from(container.querySelectorAll('ul.legend li'), (li) => li.textContent ?? '');
    act(() => applyBatches([batch(0), batch(1)]));
    expect(legend()).toEqual(['train loss', 'train acc', 'test acc']);
    act(() => applyBatches([batch(2, { lr: 0.3 })]));
    expect(legend()).toEqual(['train loss', 'train acc', 'test acc', 'lr changed']);
    act(() => applyEvent({ kind: 'state', state: 'training', position: position(0), config: { ...CONFIG }, pace: null })); // Start after a run: a new run
    expect(useLab.getState().metrics.pastRuns.length).toBe(1);
    expect(legend()).toEqual(['train loss', 'train acc', 'test acc', 'earlier run']);
  });
});
