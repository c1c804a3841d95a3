// Small pure pieces of the renderer: the curves' axes (round loss ticks, epoch ticks, the plot area the
// canvas layer shares with recharts), number formatting that never prints NaN, and translate().

import { describe, expect, it } from 'vitest';
import { epochTicks, lossAxis, plotRect } from '../../renderer/components/Curves';
import { fixed2, formatLr } from '../../renderer/components/format';
import { className, translate } from '../../renderer/i18n';
import { en } from '../../renderer/i18n/en';

describe('curves axes', () => {
  it('loss axis: at least 2.5, stepping up 2.5/5/10/25/…, round ticks on the accuracy grid lines', () => {
    expect(lossAxis(0)).toEqual({ top: 2.5, ticks: [0, 0.5, 1, 1.5, 2, 2.5] });
    expect(lossAxis(NaN).top).toBe(2.5);
    expect(lossAxis(2.6)).toEqual({ top: 5, ticks: [0, 1, 2, 3, 4, 5] });
    expect(lossAxis(7.3)).toEqual({ top: 10, ticks: [0, 2, 4, 6, 8, 10] });
    expect(lossAxis(30)).toEqual({ top: 50, ticks: [0, 10, 20, 30, 40, 50] });
    expect(lossAxis(5000).top).toBe(10000);
    expect(epochTicks(10)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(epochTicks(100)).toHaveLength(11);
    expect(plotRect(800, 300)).toEqual({ left: 44, top: 18, width: 800 - 8 - 88, height: 300 - 18 - 4 - 36 });
  });
});

describe('formatting and i18n', () => {
  it('never prints NaN', () => {
    expect(fixed2(NaN)).toBe('—');
    expect(fixed2(Infinity)).toBe('—');
    expect(fixed2(0.5234)).toBe('0.52');
    expect(formatLr(0.1)).toBe('0.1');
    expect(formatLr(NaN)).toBe('—');
  });

  it('translates with placeholders, and names the classes in label order', () => {
    expect(translate('en', 'weights.forClass', { name: 'Sneaker' })).toBe('Weights for class Sneaker');
    expect(translate('en', 'controls.start')).toBe('Start');
    expect(Array.from({ length: 10 }, (_, k) => className('en', k))).toEqual(['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot']);
    for (const text of Object.values(en)) expect(text.trim()).not.toBe('');
  });
});
