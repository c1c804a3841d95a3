// "Draw a garment": a canvas to draw on with a mouse, a pen or a finger (pointer events), or with the keys
// (arrows move the pen, Space puts it down, Delete clears), classified as it is drawn and again as the
// weights change, through the same preprocessing as a dropped image; with the model's 28x28 view of it,
// the ten probabilities and the evidence map of the top (or a chosen) class.

import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type PointerEvent as ReactPointerEvent } from 'react';
import { IMAGE_SIDE, NUM_CLASSES } from '../../../core/shapes';
import { className } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { BRUSH, drawingProbabilities, INITIAL_PEN, PAD_SIDE, penAction, prepareDrawing, type PreparedDrawing, type Pen } from '../../inside/drawing';
import { DRAWING_PAD_MEASURE } from '../../inside/timing';
import { argmax } from '../../predictions/evidence';
import { inkFraction, TRAINING_INK, typicality } from '../../predictions/typicality';
import { useLab } from '../../store';
import { drawGreyImage } from '../predictions/draw';
import { useEvidence } from '../predictions/use-evidence';
import { formatProbability, ProbabilityBars } from '../predictions/ProbabilityBars';
import { useLiveWeightsVersion, useOnScreen } from './use-live-weights';
import './drawing-pad.css';

/** Shortest time between two classifications while a stroke is under way. */
export const DRAW_CLASSIFY_MS = 100;

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);
const INK = '#000';
const PAPER = '#fff';

type Point = { x: number; y: number };

function context(canvas: HTMLCanvasElement | null): CanvasRenderingContext2D | null {
  return canvas?.getContext('2d', { willReadFrequently: true }) ?? null;
}

function clearPad(ctx: CanvasRenderingContext2D): void {
  ctx.fillStyle = PAPER;
  ctx.fillRect(0, 0, PAD_SIDE, PAD_SIDE);
}

function dot(ctx: CanvasRenderingContext2D, p: Point, width: number): void {
  ctx.fillStyle = INK;
  ctx.beginPath();
  ctx.arc(p.x, p.y, width / 2, 0, 2 * Math.PI);
  ctx.fill();
}

function line(ctx: CanvasRenderingContext2D, a: Point, b: Point, width: number): void {
  ctx.strokeStyle = INK;
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  ctx.beginPath();
  ctx.moveTo(a.x, a.y);
  ctx.lineTo(b.x, b.y);
  ctx.stroke();
}

/** The evidence map W[:, k] ⊙ x of the drawing for class k, with its own symmetric scale. */
function DrawingEvidence({ input, probs, chosen, onChoose }: { input: Float32Array; probs: Float32Array; chosen: number | null; onChoose: (k: number | null) => void }) {
  const t = useT();
  const { name, evidence, extent, lang, canvas, bar } = useEvidence(input, probs, chosen);
  if (!evidence) return null;
  return (
    <figure className="pad-figure pad-evidence">
      <figcaption>
        <label className="pad-evidence-pick">
          {t('draw.evidenceFor')}
          <select value={chosen === null ? '' : String(chosen)} onChange={(e) => onChoose(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
            <option value="">{t('draw.evidenceTop', { name: className(lang, argmax(probs)) })}</option>
            {CLASSES.map((c) => <option key={c} value={c}>{className(lang, c)}</option>)}
          </select>
        </label>
      </figcaption>
      <canvas ref={canvas} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" aria-label={t('draw.evidenceMap', { name })} data-testid="pad-evidence" />
      <div className="evidence-scale">
        <canvas ref={bar} width={256} height={1} aria-hidden="true" />
        <span className="scale-labels" aria-hidden="true"><span>−{extent.toPrecision(2)}</span><span>0</span><span>+{extent.toPrecision(2)}</span></span>
      </div>
      <p className="hint">{t('classify.evidenceHint', { name, max: extent.toPrecision(2) })}</p>
    </figure>
  );
}

/** The "Draw a garment" region. `onInput` gets the drawing's model input (null when the pad is empty). */
export function DrawingPad({ onInput, onShowSteps }: { onInput: (x: Float32Array | null) => void; onShowSteps: () => void }) {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const hasWeights = useLab((s) => s.weights.params !== null);
  const section = useRef<HTMLElement | null>(null);
  const pad = useRef<HTMLCanvasElement | null>(null);
  const preview = useRef<HTMLCanvasElement | null>(null);
  const [result, setResult] = useState<PreparedDrawing | null>(null);
  const [brush, setBrush] = useState<number>(BRUSH.initial);
  const [pen, setPen] = useState<Pen>(INITIAL_PEN);
  const [evidenceClass, setEvidenceClass] = useState<number | null>(null);
  const stroke = useRef<{ id: number; last: Point } | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const lastClassify = useRef(-Infinity);
  const version = useLiveWeightsVersion(useOnScreen(section), DRAWING_PAD_MEASURE);

  const classifyNow = useCallback((): void => {
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    lastClassify.current = performance.now();
    const ctx = context(pad.current);
    if (!ctx) return;
    const img = ctx.getImageData(0, 0, PAD_SIDE, PAD_SIDE);
    const r = prepareDrawing({ width: img.width, height: img.height, data: img.data });
    setResult(r.blank ? null : r);
    onInput(r.blank ? null : r.preprocessed.input);
  }, [onInput]);

  const scheduleClassify = useCallback((): void => {
    if (timer.current !== null) return;
    timer.current = setTimeout(classifyNow, Math.max(0, DRAW_CLASSIFY_MS - (performance.now() - lastClassify.current)));
  }, [classifyNow]);

  useEffect(() => {
    const ctx = context(pad.current);
    if (ctx) clearPad(ctx);
    return () => {
      if (timer.current !== null) clearTimeout(timer.current);
    };
  }, []);

  // Classified again whenever the drawing or (throttled) the weights change.
  const probs = useMemo(() => (result ? drawingProbabilities(result, useLab.getState().weights.params) : null), [result, version]);

  useEffect(() => {
    if (preview.current && result) drawGreyImage(preview.current, { width: IMAGE_SIDE, height: IMAGE_SIDE, data: result.preprocessed.input });
  }, [result]);

  const clear = (): void => {
    const ctx = context(pad.current);
    if (ctx) clearPad(ctx);
    if (timer.current !== null) clearTimeout(timer.current);
    timer.current = null;
    stroke.current = null;
    setPen(INITIAL_PEN); // a fresh pad: the keyboard pen starts again lifted, in the middle
    setResult(null);
    setEvidenceClass(null);
    onInput(null);
  };

  const padPoint = (e: { clientX: number; clientY: number }): Point => {
    const r = (pad.current as HTMLCanvasElement).getBoundingClientRect();
    return { x: ((e.clientX - r.left) / (r.width || 1)) * PAD_SIDE, y: ((e.clientY - r.top) / (r.height || 1)) * PAD_SIDE };
  };

  const onPointerDown = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    const ctx = context(pad.current);
    if (!ctx) return;
    e.preventDefault();
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture?.(e.pointerId);
    const p = padPoint(e);
    stroke.current = { id: e.pointerId, last: p };
    dot(ctx, p, brush);
    setPen((old) => ({ ...old, x: p.x, y: p.y }));
    scheduleClassify();
  };

  const onPointerMove = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    const s = stroke.current;
    const ctx = context(pad.current);
    if (!s || s.id !== e.pointerId || !ctx) return;
    // Coalesced events: every point the pointer passed since the last frame, for smooth fast strokes.
    const events = typeof e.nativeEvent.getCoalescedEvents === 'function' ? e.nativeEvent.getCoalescedEvents() : [];
    for (const ev of events.length > 0 ? events : [e.nativeEvent]) {
      const p = padPoint(ev);
      line(ctx, s.last, p, brush);
      s.last = p;
    }
    scheduleClassify();
  };

  const onPointerEnd = (e: ReactPointerEvent<HTMLCanvasElement>): void => {
    if (stroke.current?.id !== e.pointerId) return;
    stroke.current = null;
    setPen((old) => ({ ...old, ...padPoint(e) }));
    classifyNow();
  };

  const onKeyDown = (e: ReactKeyboardEvent<HTMLCanvasElement>): void => {
    const action = penAction(pen, e.key, e.shiftKey);
    if (!action) return;
    e.preventDefault();
    if (action.kind === 'clear') return clear();
    const ctx = context(pad.current);
    if (!ctx) return;
    if (action.kind === 'toggle' && action.pen.down) dot(ctx, action.pen, brush);
    if (action.kind === 'move' && action.pen.down) line(ctx, pen, action.pen, brush);
    setPen(action.pen);
    if (action.pen.down) classifyNow();
  };

  const top = probs ? argmax(probs) : null;
  // The same cautions as a dropped image's (ClassifyImage): an untrained model, and a drawing whose ink
  // share is unlike the training garments' (renderer/predictions/typicality.ts).
  const untrained = useLab((s) => s.metrics.batchCount === 0 && s.run.openedModel === null);
  const ink = result ? inkFraction(result.preprocessed.input) : null;
  const verdict = ink === null ? 'typical' : typicality(ink);
  const penStyle = {
    left: `${(pen.x / PAD_SIDE) * 100}%`,
    top: `${(pen.y / PAD_SIDE) * 100}%`,
    width: `${(brush / PAD_SIDE) * 100}%`,
    height: `${(brush / PAD_SIDE) * 100}%`,
  };

  return (
    <section className="pad" aria-labelledby="pad-title" ref={section}>
      <h2 id="pad-title">{t('draw.title')}</h2>
      <p className="hint">{t('draw.hint')}</p>
      <div className="pad-body">
        <div className="pad-draw">
          <div className="pad-wrap">
            <canvas ref={pad} className="pad-canvas" width={PAD_SIDE} height={PAD_SIDE} tabIndex={0} role="application"
              aria-label={t('draw.pad')} aria-describedby="pad-keys" data-testid="pad"
              onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerEnd} onPointerCancel={onPointerEnd}
              onKeyDown={onKeyDown} />
            <span className={pen.down ? 'pad-pen down' : 'pad-pen'} style={penStyle} aria-hidden="true" />
          </div>
          <p className="hint" id="pad-keys">{t('draw.keys')} <span className="pad-pen-state">{t(pen.down ? 'draw.penDown' : 'draw.penUp')}</span></p>
          <div className="pad-tools">
            <button type="button" onClick={clear}>{t('draw.clear')}</button>
            <label className="field inline">
              {t('draw.brush')}
              <input type="range" min={BRUSH.min} max={BRUSH.max} step={2} value={brush} onChange={(e) => setBrush(Number(e.currentTarget.value))} />
            </label>
            <button type="button" disabled={!result} onClick={onShowSteps}>{t('draw.showSteps')}</button>
          </div>
        </div>
        <div className="pad-seen">
          <figure className="pad-figure">
            <figcaption>{t('draw.modelInput')}</figcaption>
            {result ? <canvas ref={preview} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" aria-label={t('draw.modelInputImg')} data-testid="pad-input" /> : <p className="hint">{t('draw.empty')}</p>}
          </figure>
          {probs && result ? <DrawingEvidence input={result.preprocessed.input} probs={probs} chosen={evidenceClass} onChoose={setEvidenceClass} /> : null}
        </div>
        <div className="pad-result" role="region" aria-label={t('draw.resultRegion')}>
          {probs && top !== null ? (
            <>
              <p className="prediction-text" data-testid="pad-prediction">{t('draw.result', { name: className(lang, top), p: formatProbability(probs[top]) })}</p>
              {untrained ? <p className="caution" data-testid="pad-untrained">{t('classify.untrained')}</p> : null}
              {verdict !== 'typical' && ink !== null ? (
                <p className="caution" data-testid="pad-unusual">
                  {t(verdict === 'much-ink' ? 'classify.unusualMuch' : 'classify.unusualLittle', { ink: Math.round(ink * 100), low: Math.round(TRAINING_INK.low * 100), high: Math.round(TRAINING_INK.high * 100) })}
                </p>
              ) : null}
              <p className="visually-hidden" aria-live="polite">{className(lang, top)}</p>
              <ProbabilityBars probs={probs} />
            </>
          ) : (
            <p className="hint">{result && !hasWeights ? t('draw.noWeights') : t('draw.noResult')}</p>
          )}
        </div>
      </div>
    </section>
  );
}
