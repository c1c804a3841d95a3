// The ten weight heatmaps (one 28x28 canvas per class, named "Weights for class <name>"), a colour bar
// with the symmetric range, the hovered pixel's value, and a dialog that enlarges one class (a click, or
// Enter/Space on a focused heatmap); in it the arrow keys move a pixel cursor whose weight is read out.
// "Show change since last epoch" switches the maps to W − W(end of the previous epoch) on a scale of its
// own (the weights slice computes it), says which change it is, and lists how far each epoch moved W.
// Canvases are painted from a transient store subscription at most 10 times a second, never via React state.

import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type MouseEvent as ReactMouseEvent } from 'react';
import { useLab } from '../store';
import { changeReference, type WeightsSlice } from '../store/weights-slice';
import { IMAGE_SIDE, NUM_CLASSES } from '../../core/shapes';
import { className, type MessageKey, type MessageParams } from '../i18n';
import { useT } from '../i18n/use-t';
import { clearHeatmap, drawClassWeights, drawColourBar, weightAt } from './heatmap';

/** Shortest time between two repaints. */
export const REPAINT_INTERVAL_MS = 100;

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

function scaleLabel(x: number): string {
  return Number(x.toPrecision(2)).toString();
}

/** What the change view shows (or why it shows nothing), as a message. */
export function changeStatus(w: Pick<WeightsSlice, 'progress' | 'change'>): { key: MessageKey; params?: MessageParams } {
  const since = changeReference(w.progress);
  if (since === null) return { key: 'weights.changeNotStarted' };
  if (!w.change) return since === 0 ? { key: 'weights.changeNoStart' } : { key: 'weights.changeUnknown', params: { epoch: since, after: since + 2 } };
  const whole = Math.abs(w.progress - Math.round(w.progress)) < 1e-9;
  if (since === 0) return { key: whole ? 'weights.changeWholeFirst' : 'weights.changeSoFarFirst' };
  return { key: whole ? 'weights.changeWhole' : 'weights.changeSoFar', params: { epoch: since + 1, since } };
}

/** A change as the readouts print it: signed, three significant digits. */
export function formatChange(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const text = Number(v.toPrecision(3)).toString();
  return v > 0 ? `+${text}` : text;
}

/** Epochs listed in "how far each epoch moved W" (the latest). */
const MOVES_SHOWN = 10;

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
  const [showChange, setShowChange] = useState(false);
  const showChangeRef = useRef(false);
  const repaint = useRef<() => void>(() => undefined);
  // Rounded, so the colour-bar labels re-render only when the shown number changes.
  const maxLabel = useLab((s) => scaleLabel(showChange ? s.weights.change?.scale ?? 0 : s.weights.scale));
  const hasChange = useLab((s) => s.weights.change !== null);
  const status = useLab((s) => {
    const { key, params } = changeStatus(s.weights);
    return t(key, params);
  });
  const moves = useLab((s) => s.weights.moves);
  const shows = showChange ? hasChange : hasWeights;
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const bigCanvas = useRef<HTMLCanvasElement | null>(null);
  const bar = useRef<HTMLCanvasElement | null>(null);
  const dialog = useRef<HTMLDialogElement | null>(null);
  const [enlarged, setEnlarged] = useState<number | null>(null);
  const enlargedRef = useRef<number | null>(null);
  const [hover, setHover] = useState<string | null>(null);
  // The enlarged view's pixel cursor (keyboard), and what it reads.
  const [pixel, setPixel] = useState({ row: 14, col: 14 });
  const [pixelReadout, setPixelReadout] = useState('');

  useEffect(() => {
    if (bar.current) drawColourBar(bar.current);
    let last = -Infinity;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const paint = (): void => {
      timer = null;
      last = performance.now();
      const w = useLab.getState().weights;
      if (!w.params) return;
      const shown = showChangeRef.current ? w.change : { params: w.params, scale: w.scale };
      const draw = (c: HTMLCanvasElement, k: number): void => (shown ? drawClassWeights(c, shown.params, k, shown.scale) : clearHeatmap(c));
      for (const k of CLASSES) {
        const c = canvases.current[k];
        if (c) draw(c, k);
      }
      const big = enlargedRef.current;
      if (big !== null && bigCanvas.current) draw(bigCanvas.current, big);
    };
    repaint.current = paint;
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
    showChangeRef.current = showChange;
    repaint.current();
  }, [showChange]);

  useEffect(() => {
    enlargedRef.current = enlarged;
    const d = dialog.current;
    if (enlarged === null || !d) return;
    repaint.current();
    if (!d.open && typeof d.showModal === 'function') d.showModal();
    bigCanvas.current?.focus();
  }, [enlarged]);

  /** The parameters the maps show: W, or its change. */
  const shownParams = (): Float32Array | null => {
    const w = useLab.getState().weights;
    return showChange ? w.change?.params ?? null : w.params;
  };
  const pixelText = (k: number, row: number, col: number, v: number): string => (showChange
    ? t('weights.changeHover', { name: className(lang, k), row: row + 1, col: col + 1, value: formatChange(v) })
    : t('weights.hover', { name: className(lang, k), row: row + 1, col: col + 1, value: Number.isFinite(v) ? v.toFixed(4) : '—' }));
  const readPixel = (k: number, at: { row: number; col: number }): string => {
    const params = shownParams();
    return pixelText(k, at.row, at.col, params ? params[(at.row * IMAGE_SIDE + at.col) * NUM_CLASSES + k] : NaN);
  };
  const open = (k: number): void => {
    setPixel({ row: 14, col: 14 });
    setPixelReadout('');
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
    setPixelReadout(readPixel(enlarged, next));
  };

  const hintId = useId();
  const pixelHintId = useId();
  const movesId = useId();
  const onMove = (k: number) => (e: ReactMouseEvent<HTMLCanvasElement>): void => {
    const params = shownParams();
    if (!params) return;
    const r = e.currentTarget.getBoundingClientRect();
    const { row, col, value } = weightAt(params, k, e.clientX - r.left, e.clientY - r.top, r.width || 1, r.height || 1);
    setHover(pixelText(k, row, col, value));
  };
  const forClass = (k: number): string => t(showChange ? 'weights.changeForClass' : 'weights.forClass', { name: className(lang, k) });
  const enlargedName = (k: number): string => t(showChange ? 'weights.changeEnlarged' : 'weights.enlarged', { name: className(lang, k) });

  return (
    <section className="weights" aria-label={t('weights.region')} data-showing={showChange ? 'change' : 'weights'}>
      <div className="weights-head">
        <h2>{t(showChange ? 'weights.changeTitle' : 'weights.title')}</h2>
        <label className="check">
          <input type="checkbox" checked={showChange} onChange={(e) => { setShowChange(e.target.checked); setHover(null); setPixelReadout(''); }} /> {t('weights.showChange')}
        </label>
      </div>
      {showChange && hasWeights && <p className="hint change-status" data-testid="change-status">{status}</p>}
      <div className="heatmaps">
        {CLASSES.map((k) => (
          <figure key={k} className="heatmap">
            <canvas ref={(el) => { canvases.current[k] = el; }} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img"
              aria-label={forClass(k)} tabIndex={0} data-class={k}
              onMouseMove={onMove(k)} onMouseLeave={() => setHover(null)} onClick={() => open(k)}
              onKeyDown={onHeatmapKey(k)} aria-keyshortcuts="Enter Space" aria-describedby={hintId} />
            <figcaption>{className(lang, k)}</figcaption>
          </figure>
        ))}
      </div>
      <div className="colour-bar">
        <span data-testid="scale-min">{shows ? `−${maxLabel}` : '—'}</span>
        <canvas ref={bar} width={256} height={1} role="img" aria-label={t(showChange ? 'weights.changeColourBar' : 'weights.colourBar', { min: `−${maxLabel}`, max: maxLabel })} />
        <span data-testid="scale-max">{shows ? `+${maxLabel}` : '—'}</span>
        <span className="hint">{t(showChange ? 'weights.changeScaleNote' : 'weights.scaleNote')}</span>
      </div>
      {showChange && moves.length > 0 && (
        <div className="epoch-moves hint">
          <span id={movesId}>{t('weights.moves')}</span>
          <ol aria-labelledby={movesId} data-testid="epoch-moves">
            {moves.slice(-MOVES_SHOWN).map((m) => <li key={m.epoch}>{t('weights.moveItem', { epoch: m.epoch, rms: Number(m.rms.toPrecision(2)).toString() })}</li>)}
          </ol>
        </div>
      )}
      <p className="hint hover-readout" data-testid="weight-hover">{hasWeights ? hover ?? t(showChange ? 'weights.changeHoverHint' : 'weights.hoverHint') : t('weights.none')}</p>
      <span id={hintId} hidden>{t('weights.keyHint')}</span>
      <dialog ref={dialog} className="enlarged" onClose={() => setEnlarged(null)} aria-label={enlarged !== null ? enlargedName(enlarged) : undefined}>
        {enlarged !== null && (
          <>
            <h3>{className(lang, enlarged)}</h3>
            <div className="enlarged-view">
              <canvas ref={bigCanvas} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" tabIndex={0} aria-label={enlargedName(enlarged)}
                aria-describedby={pixelHintId} onMouseMove={onMove(enlarged)} onMouseLeave={() => setHover(null)} onKeyDown={onPixelKey} />
              {pixelReadout && <span className="pixel-cursor" aria-hidden="true" style={{ left: pixel.col * 14, top: pixel.row * 14 }} />}
            </div>
            <p id={pixelHintId} className="hint">{t('weights.pixelHint')}</p>
            <p className="hint hover-readout" aria-live="polite" data-testid="pixel-readout">{pixelReadout || hover || ''}</p>
            <button type="button" onClick={() => dialog.current?.close()}>{t('weights.close')}</button>
          </>
        )}
      </dialog>
    </section>
  );
}
