// The ten weight heatmaps (one 28x28 canvas per class, named "Weights for class <name>"), a colour bar
// with the symmetric range, the hovered pixel's value, and a dialog that enlarges one class (a click, or
// Enter/Space on a focused heatmap); in it the arrow keys move a pixel cursor whose weight is read out.
// Canvases are painted from a transient store subscription at most 10 times a second, never via React state.

import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useLab } from '../store';
import { IMAGE_SIDE, NUM_CLASSES } from '../../core/shapes';
import { className } from '../i18n';
import { useT } from '../i18n/use-t';
import { drawClassWeights, drawColourBar, weightAt } from './heatmap';

/** Shortest time between two repaints. */
export const REPAINT_INTERVAL_MS = 100;

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

function scaleLabel(x: number): string {
  return Number(x.toPrecision(2)).toString();
}

/** Where the pixel cursor goes for a key (row, column within 0..27), or null for other keys. */
export function moveCursor(at: { row: number; col: number }, key: string): { row: number; col: number } | null {
  const clamp = (v: number): number => Math.min(IMAGE_SIDE - 1, Math.max(0, v));
  switch (key) {
    case 'ArrowUp': return { row: clamp(at.row - 1), col: at.col };
    case 'ArrowDown': return { row: clamp(at.row + 1), col: at.col };
    case 'ArrowLeft': return { row: at.row, col: clamp(at.col - 1) };
    case 'ArrowRight': return { row: at.row, col: clamp(at.col + 1) };
    case 'Home': return { row: at.row, col: 0 };
    case 'End': return { row: at.row, col: IMAGE_SIDE - 1 };
    case 'PageUp': return { row: 0, col: at.col };
    case 'PageDown': return { row: IMAGE_SIDE - 1, col: at.col };
    default: return null;
  }
}

/** The "Weights" region. */
export function WeightsPanel() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const hasWeights = useLab((s) => s.weights.params !== null);
  // Rounded, so the colour-bar labels re-render only when the shown number changes.
  const maxLabel = useLab((s) => scaleLabel(s.weights.scale));
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const bigCanvas = useRef<HTMLCanvasElement | null>(null);
  const bar = useRef<HTMLCanvasElement | null>(null);
  const dialog = useRef<HTMLDialogElement | null>(null);
  const [enlarged, setEnlarged] = useState<number | null>(null);
  const enlargedRef = useRef<number | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  // The enlarged view's pixel cursor (keyboard), and what it reads.
  const [pixel, setPixel] = useState({ row: 14, col: 14 });
  const [pixelText, setPixelText] = useState('');

  useEffect(() => {
    if (bar.current) drawColourBar(bar.current);
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const paint = (): void => {
      timer = null;
      last = performance.now();
      const { params, scale } = useLab.getState().weights;
      if (!params) return;
      for (const k of CLASSES) {
        const c = canvases.current[k];
        if (c) drawClassWeights(c, params, k, scale);
      }
      const big = enlargedRef.current;
      if (big !== null && bigCanvas.current) drawClassWeights(bigCanvas.current, params, big, scale);
    };
    paint();
    const unsubscribe = useLab.subscribe((s) => s.weights.version, () => {
      if (timer !== null) return;
      timer = setTimeout(paint, Math.max(0, REPAINT_INTERVAL_MS - (performance.now() - last)));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, []);

  useEffect(() => {
    enlargedRef.current = enlarged;
    const d = dialog.current;
    if (enlarged === null || !d) return;
    const { params, scale } = useLab.getState().weights;
    if (params && bigCanvas.current) drawClassWeights(bigCanvas.current, params, enlarged, scale);
    if (!d.open && typeof d.showModal === 'function') d.showModal();
    bigCanvas.current?.focus();
  }, [enlarged]);

  const readPixel = (k: number, at: { row: number; col: number }): string => {
    const params = useLab.getState().weights.params;
    const v = params ? params[(at.row * IMAGE_SIDE + at.col) * NUM_CLASSES + k] : NaN;
    return t('weights.hover', { name: className(lang, k), row: at.row + 1, col: at.col + 1, value: Number.isFinite(v) ? v.toFixed(4) : '—' });
  };
  const open = (k: number): void => {
    setPixel({ row: 14, col: 14 });
    setPixelText('');
    setEnlarged(k);
  };
  const onHeatmapKey = (k: number) => (e: ReactKeyboardEvent<HTMLCanvasElement>): void => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault(); // Space is also the lab's start/pause key: here it opens the view
    open(k);
  };
  const onPixelKey = (e: ReactKeyboardEvent<HTMLCanvasElement>): void => {
    if (enlarged === null) return;
    const next = moveCursor(pixel, e.key);
    if (!next) return;
    e.preventDefault();
    setPixel(next);
    setPixelText(readPixel(enlarged, next));
  };

  const hintId = useId();
  const pixelHintId = useId();
  const onMove = (k: number) => (e: ReactMouseEvent<HTMLCanvasElement>): void => {
    const params = useLab.getState().weights.params;
    if (!params) return;
    const r = e.currentTarget.getBoundingClientRect();
    const { row, col, value } = weightAt(params, k, e.clientX - r.left, e.clientY - r.top, r.width || 1, r.height || 1);
    setHover(t('weights.hover', { name: className(lang, k), row: row + 1, col: col + 1, value: Number.isFinite(value) ? value.toFixed(4) : '—' }));
  };

  return (
    <section className="weights" aria-label={t('weights.region')}>
      <h2>{t('weights.title')}</h2>
      <div className="heatmaps">
        {CLASSES.map((k) => (
          <figure key={k} className="heatmap">
            <canvas ref={(el) => { canvases.current[k] = el; }} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img"
              aria-label={t('weights.forClass', { name: className(lang, k) })} tabIndex={0} data-class={k}
              onMouseMove={onMove(k)} onMouseLeave={() => setHover(null)} onClick={() => open(k)}
              onKeyDown={onHeatmapKey(k)} aria-keyshortcuts="Enter Space" aria-describedby={hintId} />
            <figcaption>{className(lang, k)}</figcaption>
          </figure>
        ))}
      </div>
      <div className="colour-bar">
        <span>{hasWeights ? `−${maxLabel}` : '—'}</span>
        <canvas ref={bar} width={256} height={1} role="img" aria-label={t('weights.colourBar', { min: `−${maxLabel}`, max: maxLabel })} />
        <span>{hasWeights ? `+${maxLabel}` : '—'}</span>
        <span className="hint">{t('weights.scaleNote')}</span>
      </div>
      <p className="hint hover-readout" data-testid="weight-hover">{hasWeights ? hover ?? t('weights.hoverHint') : t('weights.none')}</p>
      <span id={hintId} hidden>{t('weights.keyHint')}</span>
      <dialog ref={dialog} className="enlarged" onClose={() => setEnlarged(null)} aria-label={enlarged !== null ? t('weights.enlarged', { name: className(lang, enlarged) }) : undefined}>
        {enlarged !== null && (
          <>
            <h3>{className(lang, enlarged)}</h3>
            <div className="enlarged-view">
              <canvas ref={bigCanvas} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" tabIndex={0} aria-label={t('weights.enlarged', { name: className(lang, enlarged) })}
                aria-describedby={pixelHintId} onMouseMove={onMove(enlarged)} onMouseLeave={() => setHover(null)} onKeyDown={onPixelKey} />
              {pixelText && <span className="pixel-cursor" aria-hidden="true" style={{ left: pixel.col * 14, top: pixel.row * 14 }} />}
            </div>
            <p id={pixelHintId} className="hint">{t('weights.pixelHint')}</p>
            <p className="hint hover-readout" aria-live="polite" data-testid="pixel-readout">{pixelText || hover || ''}</p>
            <button type="button" onClick={() => dialog.current?.close()}>{t('weights.close')}</button>
          </>
        )}
      </dialog>
    </section>
  );
}
