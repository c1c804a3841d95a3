// "Classify an image": a drop zone with a file input (dropping anywhere on the window and pasting work
// too), the preprocessing steps as small canvases (the first says when the picture was scaled down), the
// ten probabilities, the "Prediction" result and the evidence map W[:, k] ⊙ x of a chosen class. It
// answers honestly: it says when the model is untrained and when the prepared image is unlike the
// training images (typicality.ts). A bad file becomes a message here and the earlier result stays.

import { useEffect, useMemo, useRef, useState, type DragEvent as ReactDragEvent } from 'react';
import { NUM_CLASSES } from '../../../core/shapes';
import { className, type Translate } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';
import { classifyFiles, setEvidenceClass } from '../../predictions/actions';
import { classifyBatch } from '../../predictions/batch';
import { argmax } from '../../predictions/evidence';
import type { InputError } from '../../predictions/input-checks';
import type { PreprocessStep } from '../../predictions/preprocess';
import { inkFraction, TRAINING_INK, typicality } from '../../predictions/typicality';
import { drawGreyImage } from './draw';
import { useEvidence } from './use-evidence';
import { formatProbability, ProbabilityBars } from './ProbabilityBars';

const CLASSES = Array.from({ length: NUM_CLASSES }, (_, k) => k);

/** Bytes in words (KB / MB), for messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} B`;
}

/** The translated message of a refused input. */
export function inputErrorMessage(t: Translate, e: InputError, fallbackName: string): string {
  return t(`inputError.${e.code}`, {
    name: e.name || fallbackName,
    count: e.count ?? 0,
    width: e.width ?? 0,
    height: e.height ?? 0,
    size: formatBytes(e.bytes ?? 0),
  });
}

/** Classifies one file here; several go to "Classify many images" (BatchClassify). */
function classifyDropped(files: File[], fallbackName?: string): void {
  if (files.length > 1) void classifyBatch(files);
  else void classifyFiles(files, fallbackName);
}

/** True when a drag carries files (not text or a link). */
function hasFiles(dt: DataTransfer | null): boolean {
  return !!dt && Array.from(dt.types).includes('Files');
}

function StepCanvas({ step, caption, size }: { step: PreprocessStep; caption: string; size: string }) {
  const ref = useRef<HTMLCanvasElement | null>(null);
  useEffect(() => {
    if (ref.current) drawGreyImage(ref.current, step.image);
  }, [step]);
  return (
    <figure className="step">
      <canvas ref={ref} width={step.image.width} height={step.image.height} aria-hidden="true" />
      <figcaption>
        {caption}
        <br />
        <span className="hint">{size}</span>
      </figcaption>
    </figure>
  );
}

function EvidenceView({ input, probs, chosen }: { input: Float32Array; probs: Float32Array; chosen: number | null }) {
  const t = useT();
  const { k, name, evidence, extent, lang, canvas, bar } = useEvidence(input, probs, chosen);
  if (!evidence) return null;
  return (
    <div className="evidence">
      <h3>{t('classify.evidenceTitle', { name })}</h3>
      <label className="field inline">
        {t('classify.evidenceFor')}
        <select value={String(k)} onChange={(e) => setEvidenceClass(Number(e.currentTarget.value))}>
          {CLASSES.map((c) => <option key={c} value={c}>{className(lang, c)}</option>)}
        </select>
      </label>
      <div className="evidence-body">
        <canvas ref={canvas} width={28} height={28} role="img" aria-label={t('classify.evidenceMap', { name })} />
        <div className="evidence-scale">
          <canvas ref={bar} width={256} height={1} aria-hidden="true" />
          <span className="scale-labels" aria-hidden="true"><span>−{extent.toPrecision(2)}</span><span>0</span><span>+{extent.toPrecision(2)}</span></span>
          <p className="hint">{t('classify.evidenceHint', { name, max: extent.toPrecision(2) })}</p>
        </div>
      </div>
    </div>
  );
}

/** The "Classify an image" drop zone and its result. */
export function ClassifyImage() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const own = useLab((s) => s.predictions.own);
  // Untrained: no batch since the weights were (re)initialised, and no model opened.
  const untrained = useLab((s) => s.metrics.batchCount === 0 && s.run.openedModel === null);
  const ink = useMemo(() => (own.input ? inkFraction(own.input) : null), [own.input]);
  const verdict = ink === null || own.blank ? 'typical' : typicality(ink);
  const [dragging, setDragging] = useState(false);
  const fileInput = useRef<HTMLInputElement | null>(null);
  const pastedName = t('classify.title');

  // The whole window takes drops (else the browser would navigate to the dropped file) and pastes.
  useEffect(() => {
    const onDragOver = (e: DragEvent): void => {
      if (!hasFiles(e.dataTransfer)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onDrop = (e: DragEvent): void => {
      if (!hasFiles(e.dataTransfer) || e.defaultPrevented) return;
      e.preventDefault();
      setDragging(false);
      classifyDropped(Array.from(e.dataTransfer?.files ?? []));
    };
    const onPaste = (e: ClipboardEvent): void => {
      const files = Array.from(e.clipboardData?.files ?? []);
      if (files.length === 0) return; // plain text pastes go where they were meant to
      e.preventDefault();
      classifyDropped(files, 'pasted image');
    };
    document.addEventListener('dragover', onDragOver);
    document.addEventListener('drop', onDrop);
    document.addEventListener('paste', onPaste);
    return () => {
      document.removeEventListener('dragover', onDragOver);
      document.removeEventListener('drop', onDrop);
      document.removeEventListener('paste', onPaste);
    };
  }, []);

  const onZoneDrop = (e: ReactDragEvent<HTMLElement>): void => {
    if (!hasFiles(e.dataTransfer)) return;
    e.preventDefault();
    setDragging(false);
    classifyDropped(Array.from(e.dataTransfer.files));
  };

  const stepCaption = (s: PreprocessStep): string => {
    if (s.id === 'inverted') return t(own.inverted ? 'classify.step.inverted' : 'classify.step.notInverted');
    if (s.id === 'grey' && own.original) {
      const real = s.size ?? { width: s.image.width, height: s.image.height };
      if (real.width !== own.original.width || real.height !== own.original.height) return t('classify.step.greyScaled', own.original);
    }
    return t(`classify.step.${s.id}`);
  };

  // The last good image's result stays while a newer file is read or refused.
  const probs = own.status === 'ready' || own.status === 'working' ? own.probs : null;
  const refusal = own.error ? inputErrorMessage(t, own.error, own.refusedName || pastedName)
    : own.refusedFailure ? t('inputError.failed', { name: own.refusedName || pastedName, message: own.refusedFailure }) : null;
  const top = probs ? argmax(probs) : null;

  return (
    <section
      className={dragging ? 'classify dragging' : 'classify'}
      aria-labelledby="classify-title"
      onDragEnter={(e) => hasFiles(e.dataTransfer) && setDragging(true)}
      onDragOver={(e) => {
        if (!hasFiles(e.dataTransfer)) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={onZoneDrop}
    >
      <h2 id="classify-title">{t('classify.dropZone')}</h2>
      <p className="hint">{t('classify.hint')}</p>
      <div className="pick">
        <label className="button">
          {t('classify.pick')}
          <input
            ref={fileInput}
            className="visually-hidden-input"
            type="file"
            accept="image/png,image/jpeg,image/gif,image/webp,image/bmp,image/avif"
            onChange={(e) => {
              const files = Array.from(e.currentTarget.files ?? []);
              e.currentTarget.value = ''; // picking the same file again still fires change
              void classifyFiles(files);
            }}
          />
        </label>
        {own.status === 'working' ? <span className="hint" role="status">{t('classify.working', { name: own.reading })}</span> : null}
      </div>
      {refusal ? (
        <p className="input-error" role="alert">
          {refusal}
          {own.input ? ` ${t('classify.keptResult', { name: own.name })}` : ''}
        </p>
      ) : null}
      {own.steps ? (
        <div className="steps" role="group" aria-label={t('classify.steps')}>
          <h3>{t('classify.steps')}</h3>
          <div className="steps-row">
            {own.steps.map((s) => (
              <StepCanvas key={s.id} step={s} caption={stepCaption(s)} size={t('classify.stepSize', s.size ?? { width: s.image.width, height: s.image.height })} />
            ))}
          </div>
          {own.blank ? <p className="hint">{t('classify.blank')}</p> : null}
        </div>
      ) : null}
      <div className="prediction" role="region" aria-label={t('classify.result')} aria-live="polite">
        {probs && top !== null ? (
          <>
            <p className="prediction-text">
              {t('classify.resultText', { file: own.name, name: className(lang, top), p: formatProbability(probs[top]) })}
            </p>
            {untrained ? <p className="caution" data-testid="untrained-note">{t('classify.untrained')}</p> : null}
            {verdict !== 'typical' && ink !== null ? (
              <p className="caution" data-testid="unusual-note">
                {t(verdict === 'much-ink' ? 'classify.unusualMuch' : 'classify.unusualLittle', { ink: Math.round(ink * 100), low: Math.round(TRAINING_INK.low * 100), high: Math.round(TRAINING_INK.high * 100) })}
              </p>
            ) : null}
            <p className="hint">{t('classify.followsWeights')}</p>
          </>
        ) : (
          <p className="hint">{own.status === 'ready' && own.failure ? t('inputError.failed', { name: own.name, message: own.failure }) : t('classify.noResult')}</p>
        )}
      </div>
      {probs && own.input ? (
        <div className="classify-result">
          <ProbabilityBars probs={probs} />
          <EvidenceView input={own.input} probs={probs} chosen={own.evidenceClass} />
        </div>
      ) : null}
    </section>
  );
}
