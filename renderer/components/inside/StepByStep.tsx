// "One image, step by step": the chapter's forward and backward pass on one image with the current
// weights, live while training (at most LIVE_INTERVAL_MS apart, only while on screen): x, the logits,
// exp and Σ in the run's softmax variant, ŷ, the loss, and the gradient this image contributes as ten
// heatmaps. The numbers come from renderer/inside/step-by-step.ts; this file only lays them out.

import { useEffect, useMemo, useRef, useState } from 'react';
import { IMAGE_SIDE, NUM_CLASSES } from '../../../core/shapes';
import { className, type Language, type Translate } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { formatProb, formatValue } from '../../inside/format';
import { biasGradient, EXP_OVERFLOW_FLOAT32, inputFromPixels, sgdFactor, stepByStep, type StepByStep as Step } from '../../inside/step-by-step';
import { stepIndex, testExample, TEST_COUNT, type TestExample } from '../../inside/test-example';
import { STEP_BY_STEP_MEASURE } from '../../inside/timing';
import { useLab } from '../../store';
import { formatLr } from '../format';
import { drawClassWeights } from '../heatmap';
import { drawDivergingBar, drawGreyImage } from '../predictions/draw';
import { useLiveWeightsVersion, useOnScreen } from './use-live-weights';
import './step-by-step.css';

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

/** Which image the view works on. */
export type StepSource = 'test' | 'own' | 'drawing';

/** The width (0..100 %) of a bar for |v| on a scale of `max`; a full bar for ∞. */
function barPercent(v: number, max: number): number {
  if (v === Infinity || v === -Infinity) return 100;
  if (!Number.isFinite(v) || !(max > 0)) return 0;
  return Math.min(100, (Math.abs(v) / max) * 100);
}

/** A bar from the middle of its track, right for positive values, left for negative ones. */
function SignedBar({ v, max }: { v: number; max: number }) {
  const w = barPercent(v, max) / 2;
  return (
    <span className="sbs-track signed" aria-hidden="true">
      <span className={v < 0 ? 'sbs-fill neg' : 'sbs-fill pos'} style={v < 0 ? { right: '50%', width: `${w}%` } : { left: '50%', width: `${w}%` }} />
    </span>
  );
}

/** A bar from the left of its track; ∞ fills it in the warning colour, NaN leaves it empty. */
function Bar({ v, max }: { v: number; max: number }) {
  return (
    <span className="sbs-track" aria-hidden="true">
      <span className={v === Infinity ? 'sbs-fill inf' : 'sbs-fill'} style={{ width: `${barPercent(v, max)}%` }} />
    </span>
  );
}

function finiteMax(values: ArrayLike<number>, abs: boolean): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) {
    const v = abs ? Math.abs(values[i]) : values[i];
    if (Number.isFinite(v) && v > m) m = v;
  }
  return m;
}

/** The logits, exp and ŷ table. */
function ForwardTable({ step, t, lang, what }: { step: Step; t: Translate; lang: Language; what: string }) {
  const stable = step.softmax === 'stable';
  const logitMax = finiteMax(step.logits, true);
  const expMax = finiteMax(step.exps, false);
  const shifted = (k: number): number => step.logits[k] - step.shift;
  let probSum = 0;
  for (const p of step.probs) probSum += p;
  return (
    <table className="sbs-table" data-testid="sbs-table">
      <caption className="visually-hidden">{t('inside.table', { what })}</caption>
      <thead>
        <tr>
          <th scope="col">{t('inside.colClass')}</th>
          <th scope="col">{t('inside.colLogit')}</th>
          {stable ? <th scope="col">{t('inside.colShifted')}</th> : null}
          <th scope="col">{t(stable ? 'inside.colExpShifted' : 'inside.colExp')}</th>
          <th scope="col">{t('inside.colProb')}</th>
        </tr>
      </thead>
      <tbody>
        {CLASSES.map((k) => {
          const top = k === step.top;
          const truth = k === step.label;
          const over = step.overflowed.includes(k);
          return (
            <tr key={k} className={top ? 'top' : undefined} data-class={k}>
              <th scope="row">
                {className(lang, k)}
                {top ? <span className="sbs-mark">{' ▲ '}{t('inside.largest')}</span> : null}
                {truth ? <span className="sbs-mark true">{' ✓ '}{step.labelIsTop ? t('inside.assumedTrue') : t('inside.isTrue')}</span> : null}
              </th>
              <td>
                <span className="sbs-cell">
                  <SignedBar v={step.logits[k]} max={logitMax} />
                  <span className="sbs-num" data-testid="logit">{formatValue(step.logits[k])}</span>
                </span>
              </td>
              {stable ? <td className="sbs-num" data-testid="shifted">{formatValue(shifted(k))}</td> : null}
              <td className={over ? 'overflow' : undefined}>
                <span className="sbs-cell">
                  <Bar v={step.exps[k]} max={expMax} />
                  <span className="sbs-num" data-testid="exp">{formatValue(step.exps[k])}{over ? ` ${t('inside.overflow')}` : ''}</span>
                </span>
              </td>
              <td className={Number.isNaN(step.probs[k]) ? 'nan' : undefined}>
                <span className="sbs-cell">
                  <Bar v={step.probs[k]} max={1} />
                  <span className="sbs-num" data-testid="prob">{formatProb(step.probs[k])}</span>
                </span>
              </td>
            </tr>
          );
        })}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">{t('inside.sum')}</th>
          <td />
          {stable ? <td /> : null}
          <td className={step.expSum === Infinity ? 'sbs-num overflow' : 'sbs-num'} data-testid="exp-sum">{formatValue(step.expSum)}</td>
          <td className="sbs-num" data-testid="prob-sum">{formatProb(probSum)}</td>
        </tr>
      </tfoot>
    </table>
  );
}

/** The variant's note above the table: the subtracted maximum, or where exp overflows. */
function SoftmaxNote({ step, t, lang }: { step: Step; t: Translate; lang: Language }) {
  if (step.softmax === 'stable') {
    return <p className="sbs-note" data-testid="softmax-note">{t('inside.stableNote', { m: formatValue(step.shift), name: className(lang, step.top) })}</p>;
  }
  const names = step.overflowed.map((k) => className(lang, k)).join(', ');
  return (
    <>
      <p className="sbs-note" data-testid="softmax-note">{t('inside.naiveNote', { limit: EXP_OVERFLOW_FLOAT32, max: formatValue(step.logits[step.top]) })}</p>
      {step.overflowed.length > 0 ? <p className="sbs-note overflow" role="note" data-testid="overflow-note">{t('inside.overflowNote', { names })}</p> : null}
    </>
  );
}

/** Step 3: the loss, with the terms it is made of. */
function LossLine({ step, t, lang }: { step: Step; t: Translate; lang: Language }) {
  const y = step.label;
  const name = className(lang, y);
  if (step.softmax === 'naive') {
    return <p className="sbs-loss" data-testid="loss">{t('inside.lossNaive', { name, p: formatProb(step.probs[y]), loss: formatValue(step.loss) })}</p>;
  }
  return (
    <>
      <p className="sbs-loss" data-testid="loss">
        {t('inside.lossStable', { name, lse: formatValue(step.logSumExp), shifted: formatValue(step.logits[y] - step.shift), loss: formatValue(step.loss) })}
      </p>
      <p className="hint">{t('inside.lossStableNote', { alt: formatValue(-Math.log(step.probs[y])) })}</p>
    </>
  );
}

/** Step 4: the ten gradient heatmaps on the weights' colour map, and what SGD does with them. */
function GradientView({ step, t, lang }: { step: Step; t: Translate; lang: Language }) {
  const canvases = useRef<(HTMLCanvasElement | null)[]>([]);
  const bar = useRef<HTMLCanvasElement | null>(null);
  const lr = useLab((s) => s.run.config.lr);
  const batchSize = useLab((s) => s.run.config.batchSize);
  useEffect(() => {
    for (const k of CLASSES) {
      const c = canvases.current[k];
      if (c) drawClassWeights(c, step.grad, k, step.gradScale);
    }
    if (bar.current) drawDivergingBar(bar.current);
  }, [step]);
  const max = formatValue(step.gradScale);
  const [lo, hi] = step.gradScale > 0 ? [`−${max}`, `+${max}`] : ['0', '0']; // an all-zero gradient has no range
  const factor = sgdFactor(lr, batchSize);
  return (
    <div className="sbs-grad">
      <h3>{t('inside.gradTitle')}</h3>
      <p className="hint">{t('inside.gradHint', { max })}</p>
      <div className="sbs-grad-maps">
        {CLASSES.map((k) => (
          <figure key={k} className={k === step.label ? 'sbs-grad-map true' : 'sbs-grad-map'}>
            <canvas ref={(el) => { canvases.current[k] = el; }} width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" data-class={k}
              aria-label={t('inside.gradFor', { name: className(lang, k) })} />
            <figcaption>
              {className(lang, k)}
              <br />
              <span className="sbs-num" data-testid="grad-bias">{t('inside.gradBias', { value: formatValue(biasGradient(step, k)) })}</span>
            </figcaption>
          </figure>
        ))}
      </div>
      <div className="sbs-scale">
        <span>{lo}</span>
        <canvas ref={bar} width={256} height={1} role="img" aria-label={t('inside.gradScale', { max })} />
        <span>{hi}</span>
      </div>
      <p className="sbs-sgd" data-testid="sgd">
        {t('inside.sgd', { lr: formatLr(lr), batch: batchSize, factor: formatValue(factor), name: className(lang, step.label) })}
      </p>
    </div>
  );
}

/** The input x as a grey 28x28 image. */
function InputImage({ x, label }: { x: Float32Array; label: string }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (ref.current) drawGreyImage(ref.current, { width: IMAGE_SIDE, height: IMAGE_SIDE, data: x });
  }, [x]);
  return <canvas ref={ref} className="sbs-input" width={IMAGE_SIDE} height={IMAGE_SIDE} role="img" aria-label={label} data-testid="sbs-input" />;
}

/** The image picker: a test image by number (previous / next, the gallery's pick), the classified image, the drawing. */
function SourcePicker(props: {
  t: Translate;
  source: StepSource;
  onSource: (s: StepSource) => void;
  index: number;
  onIndex: (i: number) => void;
  hasOwn: boolean;
  ownName: string;
  hasDrawing: boolean;
  galleryIndex: number | null;
}) {
  const { t, source, onSource, index, onIndex, hasOwn, ownName, hasDrawing, galleryIndex } = props;
  const [text, setText] = useState(String(index));
  useEffect(() => setText(String(index)), [index]);
  const commit = (): void => {
    const n = Number(text);
    if (Number.isInteger(n) && n >= 0 && n < TEST_COUNT) onIndex(n);
    else setText(String(index));
  };
  const radio = (value: StepSource, label: string, disabled: boolean) => (
    <label className={disabled ? 'check disabled' : 'check'}>
      <input type="radio" name="sbs-source" value={value} checked={source === value} disabled={disabled} onChange={() => onSource(value)} />
      {label}
    </label>
  );
  return (
    <fieldset className="sbs-source">
      <legend>{t('inside.source')}</legend>
      <div className="sbs-source-row">
        {radio('test', t('inside.sourceTest'), false)}
        <input className="sbs-index" type="number" min={0} max={TEST_COUNT - 1} step={1} value={text} aria-label={t('inside.testIndex')}
          onChange={(e) => setText(e.currentTarget.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }}
          onFocus={() => onSource('test')} />
        <button type="button" onClick={() => { onSource('test'); onIndex(stepIndex(index, -1)); }} aria-label={t('inside.previous')}>◀</button>
        <button type="button" onClick={() => { onSource('test'); onIndex(stepIndex(index, 1)); }} aria-label={t('inside.next')}>▶</button>
        {galleryIndex !== null && (galleryIndex !== index || source !== 'test') ? (
          <button type="button" className="link-button" onClick={() => { onSource('test'); onIndex(galleryIndex); }}>{t('inside.useGallery', { index: galleryIndex })}</button>
        ) : null}
      </div>
      <div className="sbs-source-row">
        {radio('own', hasOwn ? t('inside.sourceOwn', { name: ownName }) : t('inside.sourceOwnNone'), !hasOwn)}
        {radio('drawing', hasDrawing ? t('inside.sourceDrawing') : t('inside.sourceDrawingNone'), !hasDrawing)}
      </div>
    </fieldset>
  );
}

/** The "One image, step by step" region. `drawing` is the drawing pad's model input (null: empty). */
export function StepByStep({ source, onSource, drawing }: { source: StepSource; onSource: (s: StepSource) => void; drawing: Float32Array | null }) {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const softmax = useLab((s) => s.run.config.softmax);
  const hasWeights = useLab((s) => s.weights.params !== null);
  // The image being classified (a newer file being read keeps the last good one, as ClassifyImage shows it).
  const own = useLab((s) => (s.predictions.own.input ? s.predictions.own : null));
  const galleryIndex = useLab((s) => s.predictions.selected?.index ?? null);
  const section = useRef<HTMLElement | null>(null);
  const version = useLiveWeightsVersion(useOnScreen(section), STEP_BY_STEP_MEASURE);
  const [index, setIndex] = useState(0);
  const [example, setExample] = useState<TestExample | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [userLabel, setUserLabel] = useState<number | null>(null);
  const datasetReady = useLab((s) => s.run.state !== 'loading');

  useEffect(() => {
    if (!datasetReady) return;
    let live = true;
    testExample(index).then((ex) => {
      if (!live) return;
      setExample(ex);
      setProblem(null);
    }, (err: unknown) => {
      if (live) setProblem(err instanceof Error ? err.message : String(err));
    });
    return () => {
      live = false;
    };
  }, [index, datasetReady]);

  // A picked source that went away (the image cleared, the pad wiped) falls back to the test image.
  const effective: StepSource = source === 'own' && !own?.input ? 'test' : source === 'drawing' && !drawing ? 'test' : source;
  const testInput = useMemo(() => (example && example.index === index ? inputFromPixels(example.pixels) : null), [example, index]);
  const x = effective === 'test' ? testInput : effective === 'own' ? own?.input ?? null : drawing;
  const label = effective === 'test' ? example?.label ?? null : userLabel;
  // Nobody's label for one's own picture or drawing: y is the top class until the user picks one.
  const ownInput = effective === 'own' ? own?.input ?? null : null;
  useEffect(() => setUserLabel(null), [effective, ownInput]);

  // Also recomputed when the run changes state, so a finished or paused run shows its final batch count.
  const runState = useLab((s) => s.run.state);
  const step = useMemo(() => {
    const params = useLab.getState().weights.params;
    if (!params || !x || (effective === 'test' && label === null)) return null;
    return { step: stepByStep(params, x, label, softmax), batches: useLab.getState().metrics.batchCount };
    // `version` is the throttled weights change: the memo recomputes with the newest weights then.
  }, [version, runState, x, label, softmax, effective]);

  const what = effective === 'test' ? t('inside.whatTest', { index, name: className(lang, example?.label ?? 0) })
    : effective === 'own' ? t('inside.whatOwn', { name: own?.name ?? '' }) : t('inside.whatDrawing');

  return (
    <section className="sbs" aria-labelledby="sbs-title" ref={section} data-softmax={softmax}>
      <h2 id="sbs-title">{t('inside.title')}</h2>
      <p className="hint">{t('inside.intro')}</p>
      <SourcePicker t={t} source={effective} onSource={onSource} index={index} onIndex={setIndex} hasOwn={!!own?.input} ownName={own?.name ?? ''}
        hasDrawing={drawing !== null} galleryIndex={galleryIndex} />
      {effective !== 'test' && step ? (
        <label className="field inline sbs-label">
          {t('inside.label')}
          <select value={userLabel === null ? '' : String(userLabel)} onChange={(e) => setUserLabel(e.currentTarget.value === '' ? null : Number(e.currentTarget.value))}>
            <option value="">{t('inside.labelTop', { name: className(lang, step.step.top) })}</option>
            {CLASSES.map((k) => <option key={k} value={k}>{className(lang, k)}</option>)}
          </select>
        </label>
      ) : null}
      {problem ? <p className="reason" role="alert">{t('inside.failed', { message: problem })}</p> : null}
      {!hasWeights ? <p className="hint">{t('inside.noWeights')}</p> : null}
      {step && x ? (
        <>
          <p className="hint sbs-live" data-testid="sbs-live">
            {t('inside.live', { batches: step.batches, softmax: t(step.step.softmax === 'stable' ? 'inside.softmaxStable' : 'inside.softmaxNaive') })}
          </p>
          <div className="sbs-body">
            <div className="sbs-x">
              <h3>{t('inside.xTitle')}</h3>
              <InputImage x={x} label={t('inside.xImage', { what })} />
              <p className="hint">{t('inside.xHint', { nonzero: x.reduce((n, v) => n + (v > 0 ? 1 : 0), 0) })}</p>
              <p className="sbs-y">{t(step.step.labelIsTop ? 'inside.yAssumed' : 'inside.y', { name: className(lang, step.step.label) })}</p>
            </div>
            <div className="sbs-forward">
              <h3>{t('inside.forwardTitle')}</h3>
              <SoftmaxNote step={step.step} t={t} lang={lang} />
              <ForwardTable step={step.step} t={t} lang={lang} what={what} />
              <h3>{t('inside.lossTitle')}</h3>
              <LossLine step={step.step} t={t} lang={lang} />
            </div>
          </div>
          <GradientView step={step.step} t={t} lang={lang} />
        </>
      ) : null}
    </section>
  );
}
