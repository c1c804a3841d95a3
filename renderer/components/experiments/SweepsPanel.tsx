// "Sweeps": the d2l exercise "what happens with other learning rates, batch sizes?" as two regions, a
// learning-rate sweep (a log-spaced range) and a batch-size sweep (a choice of sizes). Run sweep asks the
// training session to train the same run (its seed, softmax and other settings) once per value, one after
// another in the training process; the region shows the progress with Stop, then final test accuracy and
// train loss against the value on a log axis (diverged runs marked), a table of every point, and the
// curves of the point chosen on the chart or in the table. While a sweep runs, the run's own controls are
// disabled and say so (Controls.tsx).

import { memo, useDeferredValue, useId, useMemo, useState } from 'react';
import { DEFAULT_BATCH_SIZES, DEFAULT_LR_SWEEP, DEFAULT_SWEEP_EPOCHS, logSpace, SWEEP_LIMITS } from '../../../core/sweep';
import { LIMITS } from '../../../core/train';
import type { MessageKey } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { runSweep, selectSweepPoint, stopSweep } from '../../experiments/sweep-actions';
import { useLab } from '../../store';
import { sweepRunning, type SweepKind, type SweepPointView } from '../../store/sweep-slice';
import { fixed2, formatLr } from '../format';
import { RecordCurves } from './RecordCurves';
import { formatSwept, SweepChart, sweptValue } from './SweepChart';
import './experiments.css';

/** The batch sizes the batch-size sweep offers. */
export const BATCH_SIZE_CHOICES: readonly number[] = [8, 16, 32, 64, 128, 256, 512, 1024, 2048];

/** Why a sweep of `kind` cannot start now (a message key), or null. */
function startReason(s: ReturnType<typeof useLab.getState>, kind: SweepKind): MessageKey | null {
  if (s.run.crash !== null) return 'why.crashed';
  if (s.dataset.status !== 'ready' || s.run.state === 'loading') return 'why.noDataset';
  if (sweepRunning(s.sweep)) return s.sweep.activeKind === kind ? 'why.sweepRunning' : 'why.otherSweepRunning';
  if (s.run.state === 'training') return 'why.sweepWhileTraining';
  return null;
}

/** A number field kept as typed (a draft) until it is valid; the parent reads the text. */
function Field({ label, value, onChange, invalid, step = 'any', errorId }: { label: string; value: string; onChange: (v: string) => void; invalid: boolean; step?: string; errorId: string }) {
  return (
    <label className="field">
      <span>{label}</span>
      <input type="number" step={step} value={value} aria-invalid={invalid} aria-describedby={invalid ? errorId : undefined} onChange={(e) => onChange(e.target.value)} />
    </label>
  );
}

/** The progress of a sweep under way, or how the last one ended (re-rendered with every progress message). */
function SweepStatusLine({ kind }: { kind: SweepKind }) {
  const t = useT();
  const outcome = useLab((st) => st.sweep.byKind[kind]);
  if (!outcome) return null;
  const s = outcome.status;
  const what = t(kind === 'lr' ? 'sweep.lr' : 'sweep.batchSize');
  if (s.state !== 'running') {
    const seconds = outcome.points.reduce((a, p) => a + p.result.seconds, 0);
    return (
      <p className="sweep-status" role="status" data-state={s.state}>
        {s.state === 'done' ? t('sweep.done', { runs: s.runs, seconds: seconds.toFixed(1) }) : t('sweep.stopped', { finished: s.finished, runs: s.runs, note: s.note ?? '' })}
      </p>
    );
  }
  const current = s.current;
  const value = current ? formatSwept(kind, kind === 'lr' ? current.config.lr : current.config.batchSize) : '';
  const fraction = current ? Math.min(1, current.epochProgress / Math.max(1, s.epochs)) : 0;
  const text = current
    ? t('sweep.progress', { run: current.run + 1, runs: s.runs, what, value, epoch: current.epochProgress.toFixed(1), epochs: s.epochs })
    : t('sweep.progressBetween', { finished: s.finished, runs: s.runs });
  return (
    <div className="sweep-progress" data-state="running">
      <div className="bar" role="progressbar" aria-label={t('sweep.progressLabel')} aria-valuemin={0} aria-valuemax={s.runs}
        aria-valuenow={Number((s.finished + fraction).toFixed(2))} aria-valuetext={text}>
        <span style={{ width: `${((s.finished + fraction) / Math.max(1, s.runs)) * 100}%` }} />
      </div>
      <p className="sweep-status" role="status">{text}</p>
    </div>
  );
}

/** The points as a table: the chart's numbers as text, each row with a button that shows its curves. */
const SweepTable = memo(function SweepTable({ kind, points, selected, status }: { kind: SweepKind; points: readonly SweepPointView[]; selected: number | null; status: { learningRates: readonly number[]; batchSizes: readonly number[]; epochs: number } }) {
  const t = useT();
  const what = t(kind === 'lr' ? 'sweep.lr' : 'sweep.batchSize');
  // What the sweep held fixed, as it ran (the form may have changed since).
  const s = status;
  const fixed = kind === 'lr' ? t('sweep.fixedBatch', { batchSize: s.batchSizes.join(', ') }) : t('sweep.fixedLr', { lr: s.learningRates.map(formatLr).join(', ') });
  const rows = [...points].sort((a, b) => sweptValue(kind, a) - sweptValue(kind, b));
  return (
    <div className="sweep-table">
      <table>
        <caption>{t('sweep.tableCaption', { what, fixed, epochs: s.epochs })}</caption>
        <thead>
          <tr>
            <th scope="col">{what}</th>
            <th scope="col">{t('curves.trainLoss')}</th>
            <th scope="col">{t('curves.trainAcc')}</th>
            <th scope="col">{t('curves.testAcc')}</th>
            <th scope="col">{t('sweep.seconds')}</th>
            <th scope="col">{t('sweep.outcome')}</th>
            <th scope="col"><span className="visually-hidden">{t('sweep.curvesColumn')}</span></th>
          </tr>
        </thead>
        <tbody>
          {rows.map((p) => {
            const value = formatSwept(kind, sweptValue(kind, p));
            return (
              <tr key={p.run} className={p.result.diverged ? 'diverged' : undefined} data-run={p.run}>
                <th scope="row">{value}</th>
                <td>{fixed2(p.result.trainLoss)}</td>
                <td>{fixed2(p.result.trainAcc)}</td>
                <td>{fixed2(p.result.testAcc)}</td>
                <td>{p.result.seconds.toFixed(1)}</td>
                <td>{t(p.result.diverged ? 'sweep.outcomeDiverged' : 'sweep.outcomeDone')}</td>
                <td>
                  <button type="button" className="link" aria-pressed={selected === p.run} aria-label={t('sweep.showCurves', { what, value })}
                    onClick={() => selectSweepPoint(kind, selected === p.run ? null : p.run)}>{t('sweep.curves')}</button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
});

/**
 * A sweep's results: the chart, the table and the chosen point's curves. Re-rendered when a point
 * arrives or one is chosen, not with every progress message; a new point is drawn in a deferred
 * (interruptible) render, so taking it in never makes a long task.
 */
function SweepResults({ kind }: { kind: SweepKind }) {
  const t = useT();
  const points = useDeferredValue(useLab((s) => s.sweep.byKind[kind]?.points ?? NO_POINTS));
  const selected = useLab((s) => s.sweep.byKind[kind]?.selected ?? null);
  const learningRates = useLab((s) => s.sweep.byKind[kind]?.status.learningRates ?? NO_POINTS_VALUES);
  const batchSizes = useLab((s) => s.sweep.byKind[kind]?.status.batchSizes ?? NO_POINTS_VALUES);
  const epochs = useLab((s) => s.sweep.byKind[kind]?.status.epochs ?? 0);
  const runs = useLab((s) => s.sweep.byKind[kind]?.status.runs ?? 0);
  const status = useMemo(() => ({ learningRates, batchSizes, epochs }), [learningRates, batchSizes, epochs]);
  const what = t(kind === 'lr' ? 'sweep.lr' : 'sweep.batchSize');
  const chosen = selected !== null ? points.find((p) => p.run === selected) ?? null : null;
  const onSelect = useMemo(() => (run: number) => selectSweepPoint(kind, useLab.getState().sweep.byKind[kind]?.selected === run ? null : run), [kind]);
  return (
    <>
      <div className="sweep-results">
        <SweepChart kind={kind} values={kind === 'lr' ? learningRates : batchSizes} points={points} selected={selected} onSelect={onSelect} />
        {points.length > 0 ? <SweepTable kind={kind} points={points} selected={selected} status={status} /> : null}
      </div>
      {chosen && (
        <RecordCurves record={chosen.record}
          title={t('sweep.curvesOf', { what, value: formatSwept(kind, sweptValue(kind, chosen)), run: chosen.run + 1, runs })} />
      )}
    </>
  );
}

const NO_POINTS: readonly SweepPointView[] = [];
const NO_POINTS_VALUES: readonly number[] = [];

/** One sweep region: the form, Run sweep / Stop, the progress, the chart, the table and a point's curves. */
function SweepRegion({ kind }: { kind: SweepKind }) {
  const t = useT();
  const state = useLab((s) => s.sweep.byKind[kind]?.status.state ?? null);
  const reasonKey = useLab((s) => startReason(s, kind));
  const running = state === 'running';
  // The results mount in a deferred (interruptible) render: the message that starts a sweep stays short.
  const shown = useDeferredValue(state);
  const config = useLab((s) => s.run.config);
  const [from, setFrom] = useState(String(DEFAULT_LR_SWEEP.from));
  const [to, setTo] = useState(String(DEFAULT_LR_SWEEP.to));
  const [count, setCount] = useState(String(DEFAULT_LR_SWEEP.count));
  const [epochs, setEpochs] = useState(String(DEFAULT_SWEEP_EPOCHS));
  const [sizes, setSizes] = useState<readonly number[]>(DEFAULT_BATCH_SIZES);
  const errorId = useId();
  const reasonId = useId();
  const titleId = useId();

  const plan = useMemo(() => {
    const e = Number(epochs);
    const epochsOk = epochs.trim() !== '' && Number.isInteger(e) && e >= 1 && e <= LIMITS.maxEpochs;
    if (kind === 'batchSize') {
      const ok = sizes.length >= 1;
      return { ok: ok && epochsOk, epochsOk, rangeOk: ok, values: [...sizes].sort((a, b) => a - b), epochs: e };
    }
    const a = Number(from);
    const b = Number(to);
    const n = Number(count);
    const inLimits = (v: number, text: string): boolean => text.trim() !== '' && Number.isFinite(v) && v >= LIMITS.minLr && v <= LIMITS.maxLr;
    const rangeOk = inLimits(a, from) && inLimits(b, to) && a < b && count.trim() !== '' && Number.isInteger(n) && n >= 2 && n <= SWEEP_LIMITS.maxValues;
    return { ok: rangeOk && epochsOk, epochsOk, rangeOk, values: rangeOk ? logSpace(a, b, n) : [], epochs: e };
  }, [kind, from, to, count, epochs, sizes]);

  const start = (): void => {
    if (!plan.ok || reasonKey) return;
    runSweep(kind, kind === 'lr' ? { learningRates: plan.values, epochs: plan.epochs } : { batchSizes: plan.values, epochs: plan.epochs });
  };
  const reason = reasonKey && reasonKey !== 'why.sweepRunning' ? t(reasonKey) : null;
  const preview = plan.values.map((v) => formatSwept(kind, v)).join(', ');
  return (
    <section className="sweep" aria-labelledby={titleId} data-kind={kind} data-state={state ?? 'none'}>
      <h3 id={titleId}>{t(kind === 'lr' ? 'sweep.lrTitle' : 'sweep.batchTitle')}</h3>
      <div className="sweep-form">
        {kind === 'lr' ? (
          <>
            <Field label={t('sweep.from')} value={from} onChange={setFrom} invalid={!plan.rangeOk} errorId={errorId} />
            <Field label={t('sweep.to')} value={to} onChange={setTo} invalid={!plan.rangeOk} errorId={errorId} />
            <Field label={t('sweep.count')} value={count} onChange={setCount} invalid={!plan.rangeOk} step="1" errorId={errorId} />
          </>
        ) : (
          <fieldset className="sizes">
            <legend>{t('sweep.sizes')}</legend>
            {BATCH_SIZE_CHOICES.map((n) => (
              <label key={n} className="check">
                <input type="checkbox" checked={sizes.includes(n)} onChange={(e) => setSizes((old) => (e.target.checked ? [...old, n] : old.filter((x) => x !== n)))} />
                {n}
              </label>
            ))}
          </fieldset>
        )}
        <Field label={t('sweep.epochs')} value={epochs} onChange={setEpochs} invalid={!plan.epochsOk} step="1" errorId={errorId} />
        {running ? (
          <button type="button" className="primary" onClick={stopSweep}>{t('sweep.stop')}</button>
        ) : (
          <button type="button" className="primary" onClick={start} disabled={!plan.ok || reasonKey !== null} aria-describedby={reason ? reasonId : undefined}
            title={reason ?? undefined}>{t('sweep.run')}</button>
        )}
      </div>
      {!plan.rangeOk && <p id={errorId} className="field-error" role="alert">{t(kind === 'lr' ? 'sweep.invalidRange' : 'sweep.invalidSizes', { min: String(LIMITS.minLr), max: String(LIMITS.maxLr), most: SWEEP_LIMITS.maxValues })}</p>}
      {plan.rangeOk && !plan.epochsOk && <p id={errorId} className="field-error" role="alert">{t('sweep.invalidEpochs', { max: LIMITS.maxEpochs })}</p>}
      <p className="hint">
        {kind === 'lr'
          ? t('sweep.planLr', { n: plan.values.length, values: preview, epochs: plan.epochsOk ? plan.epochs : '—', batchSize: config.batchSize, seed: config.seed })
          : t('sweep.planBatch', { n: plan.values.length, values: preview, epochs: plan.epochsOk ? plan.epochs : '—', lr: formatLr(config.lr), seed: config.seed })}
        {config.weightDecay > 0 ? ` ${t('sweep.planWd', { wd: String(config.weightDecay) })}` : ''}
      </p>
      {reason && <p id={reasonId} className="reason">{reason}</p>}
      {state !== null && <SweepStatusLine kind={kind} />}
      {shown !== null && <SweepResults kind={kind} />}
    </section>
  );
}

/** The "Sweeps" part of the window: the learning-rate sweep and the batch-size sweep. */
export function SweepsPanel() {
  const t = useT();
  return (
    <section className="sweeps" aria-labelledby="sweeps-title">
      <h2 id="sweeps-title">{t('sweep.title')}</h2>
      <p className="hint">{t('sweep.intro')}</p>
      <div className="sweeps-row">
        <SweepRegion kind="lr" />
        <SweepRegion kind="batchSize" />
      </div>
    </section>
  );
}
