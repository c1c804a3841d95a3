// The run's controls. <Controls/> is the control bar's part: Start/Pause/Resume, Step (one batch), One
// epoch, Reset, the pace slider, the learning-rate slider with its number field and the weight-decay
// slider, all live while training. <RunSettings/> holds what reshapes a run (batch size, epochs, seed, softmax). A control that
// cannot apply now is disabled and says why (aria-describedby, and in the reason line). Keys: Space
// start/pause, S step, E one epoch, R reset (not while typing).

import { useEffect, useId, useRef, useState, type KeyboardEvent as ReactKeyboardEvent, type RefObject } from 'react';
import { useLab } from '../store';
import { sweepRunning } from '../store/sweep-slice';
import { configureRun, openModel, resetRun, saveModel, setLearningRate, setPace, setWeightDecay, startPauseResume, stepEpoch, stepOnce } from '../store/actions';
import { useT } from '../i18n/use-t';
import type { MessageKey, Translate } from '../i18n';
import { LIMITS } from '../../core/train';
import { WATCHABLE_PACE } from '../../core/session';
import { formatLr, formatWeightDecay } from './format';
import { LR_MAX, LR_MIN, lrAtPosition, lrForKey, lrToPosition, paceAtPosition, paceToPosition, PACE_STOPS, wdAtPosition, wdForKey, wdToPosition, WD_STOPS } from './scales';

/** Why each control is disabled right now (null = enabled), as message keys. */
export interface ControlReasons {
  primary: MessageKey | null;
  step: MessageKey | null;
  epoch: MessageKey | null;
  reset: MessageKey | null;
  settings: MessageKey | null;
}

/**
 * Which controls apply in a state, and if not, why (in words that are true in that state). While a sweep
 * runs in the training process, the run's own controls wait for it.
 */
export function controlReasons(state: string, datasetReady: boolean, crashed: boolean, sweeping = false): ControlReasons {
  const blocked: MessageKey | null = crashed ? 'why.crashed' : !datasetReady || state === 'loading' ? 'why.noDataset' : sweeping ? 'why.sweepBusy' : null;
  const ended = state === 'done' || state === 'diverged' || state === 'stopped';
  return {
    primary: blocked,
    step: blocked ?? (state === 'training' ? 'why.stepWhileTraining' : ended ? 'why.stepEnded' : null),
    epoch: blocked ?? (state === 'training' ? 'why.epochWhileTraining' : ended ? 'why.stepEnded' : null),
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

/** Space, S, E and R anywhere in the window, except in form fields (and Space on a button clicks it). */
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
      } else if ((e.key === 'e' || e.key === 'E') && !reasons.epoch && !e.repeat) {
        stepEpoch();
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
  }, [reasons.primary, reasons.step, reasons.epoch, reasons.reset]);
}

/** The pace in words: "20 batches/s", or "full speed". */
export function paceText(t: Translate, pace: number | null): string {
  return pace === null ? t('pace.full') : t('pace.rate', { n: pace });
}

/** The pace slider (1 batch/s … full speed), applied at once, and Full speed one click away. */
function Pace() {
  const t = useT();
  const reported = useLab((s) => s.run.pace);
  // The pace just asked for, shown until the session reports it, so quick key presses add up.
  const [asked, setAsked] = useState<{ pace: number | null } | null>(null);
  useEffect(() => {
    if (asked && asked.pace === reported) setAsked(null);
  }, [asked, reported]);
  const pace = asked ? asked.pace : reported;
  const ask = (p: number | null): void => {
    setAsked({ pace: p });
    setPace(p);
  };
  // Where "Full speed" returns to when pressed again: the last capped pace the session reported.
  const [lastCapped, setLastCapped] = useState<number>(WATCHABLE_PACE);
  useEffect(() => {
    if (reported !== null) setLastCapped(reported);
  }, [reported]);
  const text = paceText(t, pace);
  return (
    <div className="pace">
      <label className="slider-field">
        <span>{t('controls.pace')}</span>
        <input type="range" aria-label={t('controls.pace')} min={0} max={PACE_STOPS.length - 1} step={1} value={paceToPosition(pace)}
          aria-valuetext={text} onChange={(e) => ask(paceAtPosition(Number(e.target.value)))} />
      </label>
      <output className="slider-value" aria-hidden="true">{text}</output>
      <button type="button" className="toggle" aria-pressed={pace === null} onClick={() => ask(pace === null ? lastCapped : null)}>{t('pace.fullButton')}</button>
    </div>
  );
}

/** What a live setting's slider needs: the value shown, and the gesture's handlers. */
interface LiveSetting {
  /** The value asked for until the session reports it, then the session's. */
  shown: number;
  /** Shows `v` until the session reports it (a value set outside a gesture, as the number field does). */
  setAsked(v: number | null): void;
  /** Moves to `v` within a gesture: applied at once, uncommitted. */
  move(v: number): void;
  /** Ends the gesture: commits the value it settled at (a no-op outside a gesture). */
  settle(): void;
  /** The slider element: its native 'change' (the end of a drag) settles. */
  slider: RefObject<HTMLInputElement | null>;
  /** Our keys' steps from any value (`forKey`), not the browser's. */
  onKeyDown(e: ReactKeyboardEvent<HTMLInputElement>): void;
}

/**
 * A setting that applies while training (the learning rate, the weight decay): a drag or a held key is one
 * gesture, each value applied at once (uncommitted) and the value it settles at committed, so the run
 * records one change and the curves one marker. The value asked for is shown until the session reports
 * it, or until the session refuses (a new lastError).
 */
function useLiveSetting(value: number, apply: (v: number, opts?: { commit: false }) => void, forKey: (v: number, key: string) => number | null): LiveSetting {
  const lastError = useLab((s) => s.run.lastError);
  const [asked, setAsked] = useState<number | null>(null);
  const shown = asked ?? value;
  const shownRef = useRef(shown);
  shownRef.current = shown;
  const moving = useRef(false);
  useEffect(() => {
    if (asked !== null && value === asked) setAsked(null);
  }, [value, asked]);
  useEffect(() => {
    if (lastError !== null) setAsked(null); // refused: show what the session has
  }, [lastError]);
  const move = (v: number): void => {
    // The same value is no move: React's own 'change' after a release (the thumb snapped to its stop)
    // must not open a gesture that nothing would commit.
    if (v === shownRef.current) return;
    moving.current = true;
    shownRef.current = v;
    setAsked(v);
    apply(v, { commit: false });
  };
  const settle = (): void => {
    if (!moving.current) return;
    moving.current = false;
    apply(shownRef.current);
  };
  const settleRef = useRef(settle);
  settleRef.current = settle;
  const slider = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    // 'change' is the end of a drag (or of a programmatic fill); React's onChange is every 'input'.
    const el = slider.current;
    const onChange = (): void => settleRef.current();
    el?.addEventListener('change', onChange);
    return () => el?.removeEventListener('change', onChange);
  }, []);
  const onKeyDown = (e: ReactKeyboardEvent<HTMLInputElement>): void => {
    const next = forKey(shownRef.current, e.key);
    if (next === null) return;
    e.preventDefault(); // our steps, from any value (one set elsewhere may lie between stops)
    move(next);
  };
  return { shown, setAsked, move, settle, slider, onKeyDown };
}

/**
 * The lr slider (log scale over round values, from 0.001 to 10) and its number field (any value within
 * the core's LIMITS), live while training (useLiveSetting).
 */
function LearningRate() {
  const t = useT();
  const lr = useLab((s) => s.run.config.lr);
  const { shown, setAsked, move, settle, slider, onKeyDown } = useLiveSetting(lr, setLearningRate, lrForKey);
  const [draft, setDraft] = useState<string | null>(null);
  const hintId = useId();
  const errorId = useId();
  const text = draft ?? formatLr(shown);
  const typed = Number(text);
  const valid = text.trim() !== '' && Number.isFinite(typed) && typed >= LIMITS.minLr && typed <= LIMITS.maxLr;
  const commitDraft = (): void => {
    if (draft === null || !valid) return;
    if (typed !== lr) {
      setAsked(typed);
      setLearningRate(typed);
    }
    setDraft(null);
  };
  return (
    <div className="lr">
      <label className="slider-field">
        <span>{t('controls.learningRate')}</span>
        <input ref={slider} type="range" aria-label={t('controls.learningRate')} min={Math.log10(LR_MIN)} max={Math.log10(LR_MAX)} step="any"
          value={lrToPosition(shown)} aria-valuetext={formatLr(shown)} aria-describedby={hintId}
          onChange={(e) => move(lrAtPosition(Number(e.target.value)))} onKeyDown={onKeyDown} onKeyUp={settle} onBlur={settle}
          onPointerUp={settle} onPointerCancel={settle} />
      </label>
      <input type="number" className="lr-number" aria-label={t('controls.learningRateValue')} min={LIMITS.minLr} max={LIMITS.maxLr} step="any"
        value={text} aria-invalid={!valid} aria-describedby={[hintId, valid ? '' : errorId].filter(Boolean).join(' ')}
        onChange={(e) => setDraft(e.target.value)} onBlur={commitDraft}
        onKeyDown={(e) => { if (e.key === 'Enter') commitDraft(); if (e.key === 'Escape') setDraft(null); }} />
      <span id={hintId} hidden>{t('controls.learningRateHint')}</span>
      {!valid && <span id={errorId} className="field-error lr-error" role="alert">{t('controls.invalidLr', { min: String(LIMITS.minLr), max: String(LIMITS.maxLr) })}</span>}
    </div>
  );
}

/** The weight-decay slider (0, then 0.00001 to 0.01 in 1-2-5 steps), live while training like the learning rate. */
function WeightDecay() {
  const t = useT();
  const wd = useLab((s) => s.run.config.weightDecay);
  const { shown, move, settle, slider, onKeyDown } = useLiveSetting(wd, setWeightDecay, wdForKey);
  const hintId = useId();
  const text = shown === 0 ? t('controls.weightDecayOff') : formatWeightDecay(shown);
  return (
    <div className="wd">
      <label className="slider-field">
        <span>{t('controls.weightDecay')}</span>
        <input ref={slider} type="range" aria-label={t('controls.weightDecay')} min={0} max={WD_STOPS.length - 1} step={1}
          value={wdToPosition(shown)} aria-valuetext={`λ = ${text}`} aria-describedby={hintId} data-weight-decay={shown}
          onChange={(e) => move(wdAtPosition(Number(e.target.value)))} onKeyDown={onKeyDown} onKeyUp={settle} onBlur={settle}
          onPointerUp={settle} onPointerCancel={settle} />
      </label>
      <output className="slider-value" aria-hidden="true">λ = {text}</output>
      <span id={hintId} hidden>{t('controls.weightDecayHint')}</span>
    </div>
  );
}

/** The control bar's controls: the run buttons, the pace, the learning rate and the weight decay. */
export function Controls() {
  const t = useT();
  const state = useLab((s) => s.run.state);
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const crashed = useLab((s) => s.run.crash !== null);
  const sweeping = useLab((s) => sweepRunning(s.sweep));
  const reasons = controlReasons(state, datasetReady, crashed, sweeping);
  useLabShortcuts(reasons);
  const ids = { primary: useId(), step: useId(), epoch: useId(), reset: useId() };
  const primaryLabel = t(state === 'training' ? 'controls.pause' : state === 'paused' ? 'controls.resume' : 'controls.start');
  const why = (k: keyof ControlReasons) => (reasons[k] ? t(reasons[k] as MessageKey) : null);
  // One visible line says why: the dataset or a crash when everything waits on it, else what Step needs.
  const visibleReason = reasons.primary ? why('primary') : reasons.step ? `${t('controls.step')}: ${why('step')}` : null;
  const button = (key: 'step' | 'epoch' | 'reset', label: string, kbd: string, onClick: () => void) => (
    <button type="button" onClick={onClick} disabled={!!reasons[key]} title={why(key) ?? undefined}
      aria-describedby={reasons[key] ? ids[key] : undefined} aria-keyshortcuts={kbd} aria-label={label}>
      {label} <kbd aria-hidden="true">{kbd}</kbd>
    </button>
  );
  return (
    <section className="controls" aria-label={t('controls.region')}>
      <div className="run-buttons">
        <button type="button" className="primary" onClick={startPauseResume} disabled={!!reasons.primary} title={why('primary') ?? undefined}
          aria-describedby={reasons.primary ? ids.primary : undefined} aria-keyshortcuts="Space" aria-label={primaryLabel}>
          {primaryLabel} <kbd aria-hidden="true">Space</kbd>
        </button>
        {button('step', t('controls.step'), 'S', stepOnce)}
        {button('epoch', t('controls.epoch'), 'E', stepEpoch)}
        {button('reset', t('controls.reset'), 'R', resetRun)}
      </div>
      <Pace />
      <LearningRate />
      <WeightDecay />
      <p className="reason-line" aria-hidden="true">{visibleReason}</p>
      {(['primary', 'step', 'epoch', 'reset'] as const).map((k) => reasons[k] && <span key={k} id={ids[k]} hidden>{k === 'primary' ? why(k) : `${t(k === 'epoch' ? 'controls.epoch' : k === 'step' ? 'controls.step' : 'controls.reset')}: ${why(k)}`}</span>)}
    </section>
  );
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

/** The settings that reshape a run (changing one resets it): batch size, epochs, seed and the softmax. */
export function RunSettings() {
  const t = useT();
  const state = useLab((s) => s.run.state);
  const datasetReady = useLab((s) => s.dataset.status === 'ready');
  const crashed = useLab((s) => s.run.crash !== null);
  // The session owns the configuration: the fields show what it reports and ask it for changes.
  const settings = useLab((s) => s.run.config);
  const sweeping = useLab((s) => sweepRunning(s.sweep));
  const reasonKey = controlReasons(state, datasetReady, crashed, sweeping).settings;
  const settingsReason = reasonKey ? t(reasonKey) : null;
  const reasonId = useId();
  return (
    <section className="run-settings" aria-label={t('settings.region')}>
      <fieldset className="settings" aria-describedby={reasonId}>
        <NumberSetting label={t('controls.batchSize')} value={settings.batchSize} min={1} max={LIMITS.maxBatchSize} disabledReason={settingsReason} reasonId={reasonId}
          onCommit={(batchSize) => configureRun({ batchSize })} />
        <NumberSetting label={t('controls.epochs')} value={settings.epochs} min={1} max={LIMITS.maxEpochs} disabledReason={settingsReason} reasonId={reasonId}
          onCommit={(epochs) => configureRun({ epochs })} />
        <NumberSetting label={t('controls.seed')} value={settings.seed} min={0} max={2 ** 31 - 1} disabledReason={settingsReason} reasonId={reasonId}
          onCommit={(seed) => configureRun({ seed })} />
        <label className="field softmax-field">
          <span>{t('controls.softmax')}</span>
          <select value={settings.softmax} disabled={settingsReason !== null} title={settingsReason ?? undefined} aria-describedby={reasonId}
            onChange={(e) => configureRun({ softmax: e.target.value === 'naive' ? 'naive' : 'stable' })}>
            <option value="stable">{t('controls.softmaxStable')}</option>
            <option value="naive">{t('controls.softmaxNaive')}</option>
          </select>
        </label>
      </fieldset>
      <div className="settings-notes">
        <p id={reasonId} className={settingsReason ? 'reason' : 'hint'}>{settingsReason ?? t('controls.settingsHint')}</p>
        <p className="hint keys">{t('controls.keyHints')}</p>
      </div>
    </section>
  );
}
