// "Compare runs": the runs ticked in the run history, drawn on the curves beside the current run (each
// with its own colour and line style, as the legend shows), side by side in a table — configuration,
// final metrics, duration, how each ended — with, per run, Open (its curves below, and its kept weights
// to load), Export report and Download CSV.

import { useLab } from '../../store';
import { openRunWeights } from '../../store/actions';
import type { ComparedRun } from '../../store/compare-slice';
import { sweepRunning } from '../../store/sweep-slice';
import { downloadRunCsv, exportReport } from '../../exports/actions';
import { closeComparedRun, openComparedRun, showOnCurves } from '../../experiments/compare-actions';
import { useT } from '../../i18n/use-t';
import type { RunListEntry } from '../../../common/contract';
import { ComparedSample } from '../ComparedLegend';
import { fixed2, formatLr } from '../format';
import { endedText, formatDuration, runName, secondsBetween } from '../run-time';
import { RecordCurves } from './RecordCurves';
import './experiments.css';

function Row({ shown, entry, opened }: { shown: ComparedRun; entry: Extract<RunListEntry, { ok: true }>; opened: boolean }) {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const r = entry.run;
  const name = runName(t, lang, r);
  const lrs = [r.config.lr, ...r.lrChanges.map((c) => c.to)];
  return (
    <tr data-run={r.id}>
      <th scope="row"><ComparedSample slot={shown.slot} /> {name}</th>
      <td>{endedText(t, r)}</td>
      <td>{t('compare.epochsOf', { done: r.epochs.length, of: r.config.epochs })}</td>
      <td>{lrs.length > 2 ? `${formatLr(lrs[0])} → … → ${formatLr(lrs.at(-1) as number)}` : lrs.map(formatLr).join(' → ')}</td>
      <td>{r.config.batchSize}</td>
      <td>{t(r.config.softmax === 'naive' ? 'inside.softmaxNaive' : 'inside.softmaxStable')}</td>
      <td>{r.config.seed}</td>
      <td>{fixed2(r.final?.trainLoss)}</td>
      <td>{fixed2(r.final?.trainAcc)}</td>
      <td>{fixed2(r.final?.testAcc)}</td>
      <td>{formatDuration(t, secondsBetween(r.startedAt, r.endedAt))}</td>
      <td className="actions">
        <button type="button" className="link" aria-pressed={opened} aria-label={t('compare.openLabel', { name })} onClick={() => (opened ? closeComparedRun() : openComparedRun(r.id))}>{t('compare.open')}</button>
        <button type="button" className="link" aria-label={t('compare.reportLabel', { name })} onClick={() => void exportReport(r.id)}>{t('compare.report')}</button>
        <button type="button" className="link" aria-label={t('compare.csvLabel', { name })} onClick={() => void downloadRunCsv(r)}>{t('compare.csv')}</button>
        <button type="button" className="link" aria-label={t('compare.hideLabel', { name })} onClick={() => showOnCurves(r.id, false)}>{t('compare.hide')}</button>
      </td>
    </tr>
  );
}

/** The opened run: its curves, and its kept weights to load into the session. */
function OpenedRun({ entry }: { entry: Extract<RunListEntry, { ok: true }> }) {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const busy = useLab((s) => s.run.state === 'training' || sweepRunning(s.sweep));
  const name = runName(t, lang, entry.run);
  return (
    <div className="opened-run" role="group" aria-label={t('compare.openedTitle', { name })}>
      <RecordCurves record={entry.run} title={t('compare.openedTitle', { name })} />
      <p className="hint">{t('compare.openedSummary', { ended: endedText(t, entry.run), done: entry.run.epochs.length, of: entry.run.config.epochs, testAcc: fixed2(entry.run.final?.testAcc) })}</p>
      <div className="buttons">
        {entry.hasWeights ? (
          <button type="button" onClick={() => void openRunWeights(entry.run.id)} disabled={busy} title={busy ? t('why.openWhileBusy') : undefined}>{t('compare.loadWeights')}</button>
        ) : <span className="hint">{t('compare.noWeights')}</span>}
        <button type="button" onClick={closeComparedRun}>{t('compare.close')}</button>
      </div>
    </div>
  );
}

/** The "Compare runs" region. */
export function ComparePanel() {
  const t = useT();
  const shown = useLab((s) => s.compare.shown);
  const openedId = useLab((s) => s.compare.opened);
  const entries = useLab((s) => s.history.entries);
  const byId = new Map(entries.flatMap((e) => (e.ok ? [[e.run.id, e] as const] : [])));
  const rows = shown.flatMap((c) => {
    const e = byId.get(c.id);
    return e ? [{ c, e }] : [];
  });
  const opened = openedId ? byId.get(openedId) ?? null : null;
  return (
    <section className="compare" aria-labelledby="compare-title">
      <h2 id="compare-title">{t('compare.title')}</h2>
      {rows.length === 0 ? <p className="hint">{t('compare.empty')}</p> : (
        <div className="compare-table">
          <table>
            <caption>{t('compare.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('compare.run')}</th>
                <th scope="col">{t('compare.ended')}</th>
                <th scope="col">{t('controls.epochs')}</th>
                <th scope="col">{t('controls.learningRate')}</th>
                <th scope="col">{t('controls.batchSize')}</th>
                <th scope="col">{t('controls.softmax')}</th>
                <th scope="col">{t('controls.seed')}</th>
                <th scope="col">{t('curves.trainLoss')}</th>
                <th scope="col">{t('curves.trainAcc')}</th>
                <th scope="col">{t('curves.testAcc')}</th>
                <th scope="col">{t('compare.duration')}</th>
                <th scope="col"><span className="visually-hidden">{t('compare.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ c, e }) => <Row key={c.id} shown={c} entry={e} opened={openedId === c.id} />)}
            </tbody>
          </table>
        </div>
      )}
      {opened ? <OpenedRun entry={opened} /> : null}
    </section>
  );
}
