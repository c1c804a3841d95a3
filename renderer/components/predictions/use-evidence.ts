// The evidence map of one picture for one class, as the image classifier and the drawing pad show it:
// W[:, k] ⊙ x under the current weights, for the chosen class or the top one, on its own symmetric scale,
// drawn with its colour bar. Recomputed when the probabilities change, which is when the picture or the
// weights did.

import { useEffect, useMemo, useRef, type RefObject } from 'react';
import { className, type Language } from '../../i18n';
import { argmax, evidenceMap, maxAbs } from '../../predictions/evidence';
import { useLab } from '../../store';
import { drawDivergingBar, drawEvidence } from './draw';

/** What an evidence view draws: the class, its name, the map (null before any weights), and the canvases to give it. */
export interface Evidence {
  k: number;
  name: string;
  evidence: Float32Array | null;
  /** The map's largest |value|: the ends of its colour scale. */
  extent: number;
  /** The language the class names are in. */
  lang: Language;
  canvas: RefObject<HTMLCanvasElement | null>;
  bar: RefObject<HTMLCanvasElement | null>;
}

/** The evidence map of `input` for class `chosen` (null: the most probable under `probs`). */
export function useEvidence(input: Float32Array, probs: Float32Array, chosen: number | null): Evidence {
  const lang = useLab((s) => s.settings.language);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const bar = useRef<HTMLCanvasElement | null>(null);
  const k = chosen ?? argmax(probs);
  const evidence = useMemo(() => {
    const params = useLab.getState().weights.params;
    return params ? evidenceMap(params, input, k) : null;
  }, [input, probs, k]);
  const extent = evidence ? maxAbs(evidence) : 0;
  useEffect(() => {
    if (canvas.current && evidence) drawEvidence(canvas.current, evidence, extent);
    if (bar.current) drawDivergingBar(bar.current);
  }, [evidence, extent]);
  return { k, name: className(lang, k), evidence, extent, lang, canvas, bar };
}
