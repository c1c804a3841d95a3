// The colour palettes of the curves and the heatmaps, and the line styles that keep the curves apart
// without colour. Pure data: the palette in use is the settings slice's `palette`, chosen in
// PaletteSwitch.tsx; heatmap.ts builds its lookup table from `diverging`, live-curves.ts strokes with
// `curves` and CURVE_DASHES.

import { interpolatePuOr, interpolateRdBu } from 'd3-scale-chromatic';
import type { MessageKey } from '../i18n/en';

/** A palette's id (stored in localStorage: never rename one). */
export type PaletteId = 'standard' | 'okabe-ito';

/** The colours of the curves' series. */
export interface CurveColours {
  loss: string;
  trainAcc: string;
  testAcc: string;
  /** The learning-rate change markers and their labels. */
  marker: string;
  /** The reference results' lines on the accuracy axis. */
  reference: string;
}

/** One palette. */
export interface Palette {
  id: PaletteId;
  /** The option's label in the palette switch. */
  label: MessageKey;
  curves: CurveColours;
  /**
   * The colours of the runs compared beside the current one, by slot (compare-slice.ts's COMPARE_STYLES
   * gives each slot its dash pattern and marker): apart from `curves` and from each other.
   */
  compared: readonly string[];
  /** The heatmaps' diverging map: t = 0 the most negative value, 0.5 zero, 1 the most positive; CSS colour. */
  diverging: (t: number) => string;
  /** The names of the map's ends, for the texts that say which colour is which sign. */
  words: { positive: MessageKey; negative: MessageKey };
}

/** The palettes, in the order the switch offers them. */
export const PALETTES: Readonly<Record<PaletteId, Palette>> = {
  standard: {
    id: 'standard',
    label: 'palette.standard',
    curves: { loss: '#d1495b', trainAcc: '#2e86ab', testAcc: '#3c9d5d', marker: '#8a6d00', reference: '#80868f' },
    compared: ['#7b3fa0', '#8c564b', '#c2378f', '#116466', '#7a7a00', '#4b5d8a'],
    // ColorBrewer's RdBu runs red → blue; reversed, so positive weights are red.
    diverging: (t) => interpolateRdBu(1 - t),
    words: { positive: 'colour.red', negative: 'colour.blue' },
  },
  'okabe-ito': {
    id: 'okabe-ito',
    label: 'palette.okabeIto',
    // Okabe & Ito's colour-blind safe set: vermillion, blue, bluish green, black.
    curves: { loss: '#d55e00', trainAcc: '#0072b2', testAcc: '#009e73', marker: '#1d1f23', reference: '#80868f' },
    // The rest of Okabe & Ito's set (reddish purple, orange, sky blue; not its yellow, too pale on white),
    // then Paul Tol's muted wine and indigo and a dark grey: each stays apart from the three series under
    // every common colour-vision deficiency (palettes.test.tsx).
    compared: ['#cc79a7', '#e69f00', '#56b4e9', '#882255', '#332288', '#5d5d5d'],
    // ColorBrewer's PuOr (colour-blind safe): purple for negative, orange for positive.
    diverging: (t) => interpolatePuOr(t),
    words: { positive: 'colour.orange', negative: 'colour.purple' },
  },
};

/** Every palette id, in the switch's order. */
export const PALETTE_IDS = Object.keys(PALETTES) as PaletteId[];

/** The palette before the user picks one. */
export const DEFAULT_PALETTE: PaletteId = 'standard';

/** True for a known palette id (e.g. one read back from localStorage). */
export function isPaletteId(v: unknown): v is PaletteId {
  return typeof v === 'string' && Object.prototype.hasOwnProperty.call(PALETTES, v);
}

/**
 * The curves' line styles (canvas dash arrays, CSS pixels), the same in every palette: a series is told
 * apart by its stroke as well as its colour, and the legend shows each stroke.
 */
export const CURVE_DASHES = {
  loss: [] as number[],
  trainAcc: [7, 3],
  testAcc: [2, 2],
  marker: [4, 3],
  reference: [5, 4],
} as const satisfies Record<keyof CurveColours, readonly number[]>;

/** One reference result drawn on the accuracy axis. */
export interface ReferenceResult {
  /** Which one (also the test id of its label). */
  id: 'd2l' | 'human' | 'logistic';
  /** Test accuracy. */
  value: number;
  /** Its label on the chart. */
  label: MessageKey;
}

/**
 * Where the book lands, lowest first: d2l's softmax regression from scratch after 10 epochs (about 0.83
 * test accuracy), and from the Fashion-MNIST benchmark (zalandoresearch/fashion-mnist) human performance
 * (0.835) and its best logistic regression (0.842).
 */
export const REFERENCE_RESULTS: readonly ReferenceResult[] = [
  { id: 'd2l', value: 0.83, label: 'curves.refD2l' },
  { id: 'human', value: 0.835, label: 'curves.refHuman' },
  { id: 'logistic', value: 0.842, label: 'curves.refLogistic' },
];
