// The controls: Start/Pause/Resume, Step, Reset, the learning-rate slider (log scale, with a number
// field) and the run's settings. A control that cannot apply now is disabled and says why, next to it
// and through aria-describedby. Keys: Space start/pause, S step, R reset (not while typing).

import { useEffect, useId, useState, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useLab } from '../store';
import { configureRun, openModel, resetRun, saveModel, setLearningRate, setPace, startPauseResume, stepOnce } from '../store/actions';
import { LR_MAX, LR_MIN, lrToSlider, sliderToLr, WATCH_BATCHES_PER_SECOND, type Pace } from '../store/settings-slice';
import { useT } from '../i18n/use-t';
import type { MessageKey } from '../i18n';
import { LIMITS } from '../../core/train';
import { formatLr } from './format';

/** Why each control is disabled right now (null = enabled), as message keys. */
export interface ControlReasons {
  primary: MessageKey | null;
  step: MessageKey | null;
  reset: MessageKey | null;
  settings: MessageKey | null;
}

/** Which controls apply in a state, and if not, why. */
export function controlReasons(state: string, datasetReady: boolean, crashed: boolean): ControlReasons {
  const blocked: MessageKey | null = crashed ? 'why.crashed' : !datasetReady || state === 'loading' ? 'why.noDataset' : null;
  return {
    primary: blocked,
    step: blocked ?? (state === 'training' ? 'why.stepWhileTraining' : state === 'done' || state === 'diverged' || state === 'stopped' ? 'why.stepEnded' : null),
    reset: blocked,
    settings: blocked ?? (state === 'training' ? 'why.settingsWhileTraining' : null),
  };
}

/** True when a key press belongs to a form field (typing, choosing) rather than to the lab's shortcuts. */
export function isFieldTarget(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable;
}

/** Space, S and R anywhere in the window, except in form fields (and Space on a button clicks it). */
export function useLabShortcuts(reasons: ControlReasons): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isFieldTarget(e.target)) return;
      if (document.querySelector('dialog[open]')) return;
      const onButton = (e.target as HTMLElement | null)?.tagName === 'BUTTON';
      if (e.key === ' ' && !onButton) {
        e.preventDefault();
        if (!e.repeat && !reasons.primary) startPauseResume();
      } else if ((e.key === 's' || e.key === 'S') && !reasons.step) {
        stepOnce();
      } else if ((e.key === 'r' || e.key === 'R') && !reasons.reset) {
        resetRun();
      }
    };
    window.addEventListener('keydown', onKey);
    // The native menu (Electron) offers the same commands, under the same conditions.
    const offMenu = window.api?.onMenuCommand?.((command) => {
      if (command === 'start-pause' && !reasons.primary) startPauseResume();
      else if (command === 'step' && !reasons.step) stepOnce();
      else if (command === 'reset' && !reasons.reset) resetRun();
      else if (command === 'open-model') void openModel();
      else if (command === 'save-model') void saveModel();
    });
    return () => {
      window.removeEventListener('keydown', onKey);
      offMenu?.();
    };
  }, [reasons.primary, reasons.step, reasons.reset]);
}

interface NumberSettingProps {
  label: string;
  value: number;
  min: number;
  max: number;
  disabledReason: string | null;
  reasonId: string;
  onCommit: (v: number) => void;
}

/** A whole-number field that applies on Enter or when it loses focus, and says when a value is out of range. */
function NumberSetting({ label, value, min, max, disabledReason, reasonId, onCommit }: NumberSettingProps) {
  const t = useT();
  const [draft, setDraft] = useState<string | null>(null);
  const errorId = useId();
  const text = draft ?? String(value);
  const n = Number(text);
  const valid = text.trim() !== '' && Number.isInteger(n) && n >= min && n <= max;
  const commit = (): void => {
    if (draft === null) return;
    if (valid && n !== value) onCommit(n);
    if (valid) setDraft(null);
  };
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    if (e.key === 'Enter') commit();
    if (e.key === 'Escape') setDraft(null);
  };
  const describedBy = [disabledReason ? reasonId : '', !valid ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" inputMode="numeric" min={min} max={max} step={1} value={text} disabled={disabledReason !== null} title={disabledReason ?? undefined}
        aria-invalid={!valid} aria-describedby={describedBy} onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={onKeyDown} />
      {!valid && <span id={errorId} className="field-error">{t('controls.invalidNumber', { label, min, max })}</span>}
    </label>
  );
}

/** The lr slider (log10 scale) and its number field; both apply from the next batch. */
function LearningRate() {
  const t = useT();
  const lr = useLab((s) => s.run.config.lr);
  // The value just asked for, shown until the training process reports it (a round trip away).
  const [asked, setAsked] = useState<number | null>(null);
  const lastError = useLab((s) => s.run.lastError);
  useEffect(() => setAsked(null), [lr, lastError]);
  const ask = (v: number): void => {
    setAsked(v);
    setLearningRate(v);
  };
  const [draft, setDraft] = useState<string | null>(null);
  const hintId = useId();
  const commitDraft = (): void => {
    if (draft === null) return;
    const v = Number(draft);
    if (Number.isFinite(v) && v >= LIMITS.minLr && v <= LIMITS.maxLr) ask(v);
    setDraft(null);
  };
  return (
    <div className="lr">
      <label className="lr-slider">
        <span>{t('controls.learningRate')}</span>
        <input type="range" aria-label={t('controls.learningRate')} min={Math.log10(LR_MIN)} max={Math.log10(LR_MAX)} step={0.01}
          value={lrToSlider(asked ?? lr)} aria-valuetext={formatLr(asked ?? lr)} aria-describedby={hintId}
          onChange={(e) => ask(sliderToLr(Number(e.target.value)))} />
      </label>
      <input type="number" className="lr-number" aria-label={t('controls.learningRateValue')} min={LIMITS.minLr} max={LIMITS.maxLr} step="any"
        value={draft ?? formatLr(asked ?? lr)} onChange={(e) => setDraft(e.target.value)} onBlur={commitDraft}
        onKeyDown={(e) => { if (e.key === 'Enter') commitDraft(); if (e.key === 'Escape') setDraft(null); }} />
      <span id={hintId} className="hint">{t('controls.learningRateHint')}</span>
    </div>
  );
}

/** The controls region. */
export function Controls() {
  const t = useT();
  const state = useLab((s) => s.run.state);
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const crashed = useLab((s) => s.run.crash !== null);
  // The session owns the configuration: the fields show what it reports and ask it for changes.
  const settings = useLab((s) => s.run.config);
  const pace: Pace = useLab((s) => (s.run.pace === null ? 'fast' : 'watch'));
  const reasons = controlReasons(state, datasetReady, crashed);
  useLabShortcuts(reasons);
  const ids = { primary: useId(), step: useId(), reset: useId(), settings: useId() };
  const primaryLabel = t(state === 'training' ? 'controls.pause' : state === 'paused' ? 'controls.resume' : 'controls.start');
  const why = (k: keyof ControlReasons) => (reasons[k] ? t(reasons[k] as MessageKey) : null);
  const settingsReason = why('settings');
  return (
    <section className="controls" aria-label={t('controls.region')}>
      <div className="buttons">
        <button type="button" className="primary" onClick={startPauseResume} disabled={!!reasons.primary} title={why('primary') ?? undefined}
          aria-describedby={reasons.primary ? ids.primary : undefined} aria-keyshortcuts="Space" aria-label={primaryLabel}>
          {primaryLabel} <kbd aria-hidden="true">Space</kbd>
        </button>
        <button type="button" onClick={stepOnce} disabled={!!reasons.step} title={why('step') ?? undefined}
          aria-describedby={reasons.step ? ids.step : undefined} aria-keyshortcuts="S" aria-label={t('controls.step')}>
          {t('controls.step')} <kbd aria-hidden="true">S</kbd>
        </button>
        <button type="button" onClick={resetRun} disabled={!!reasons.reset} title={why('reset') ?? undefined}
          aria-describedby={reasons.reset ? ids.reset : undefined} aria-keyshortcuts="R" aria-label={t('controls.reset')}>
          {t('controls.reset')} <kbd aria-hidden="true">R</kbd>
        </button>
      </div>
      <div className="reasons">
        {reasons.primary && <p id={ids.primary} className="reason">{why('primary')}</p>}
        {reasons.step && reasons.step !== reasons.primary && <p id={ids.step} className="reason">{t('controls.step')}: {why('step')}</p>}
        {reasons.step && reasons.step === reasons.primary && <span id={ids.step} hidden>{why('step')}</span>}
        {reasons.reset && <span id={ids.reset} hidden>{why('reset')}</span>}
      </div>
      <p className="hint keys">{t('controls.keyHints')}</p>
      <LearningRate />
      <fieldset className="settings" aria-describedby={ids.settings}>
        <NumberSetting label={t('controls.batchSize')} value={settings.batchSize} min={1} max={LIMITS.maxBatchSize} disabledReason={settingsReason} reasonId={ids.settings}
          onCommit={(batchSize) => configureRun({ batchSize })} />
        <NumberSetting label={t('controls.epochs')} value={settings.epochs} min={1} max={LIMITS.maxEpochs} disabledReason={settingsReason} reasonId={ids.settings}
          onCommit={(epochs) => configureRun({ epochs })} />
        <NumberSetting label={t('controls.seed')} value={settings.seed} min={0} max={2 ** 31 - 1} disabledReason={settingsReason} reasonId={ids.settings}
          onCommit={(seed) => configureRun({ seed })} />
        <label className="field">
          <span>{t('controls.softmax')}</span>
          <select value={settings.softmax} disabled={settingsReason !== null} title={settingsReason ?? undefined} aria-describedby={ids.settings}
            onChange={(e) => configureRun({ softmax: e.target.value === 'naive' ? 'naive' : 'stable' })}>
            <option value="stable">{t('controls.softmaxStable')}</option>
            <option value="naive">{t('controls.softmaxNaive')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('controls.pace')}</span>
          <select value={pace} onChange={(e) => setPace(e.target.value as Pace)}>
            <option value="fast">{t('controls.paceFast')}</option>
            <option value="watch">{t('controls.paceWatch', { n: WATCH_BATCHES_PER_SECOND })}</option>
          </select>
        </label>
        <p id={ids.settings} className={settingsReason ? 'reason' : 'hint'}>{settingsReason ?? t('controls.settingsHint')}</p>
      </fieldset>
    </section>
  );
}
