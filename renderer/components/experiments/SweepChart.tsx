// A sweep's result as an SVG chart: final test accuracy (left axis, 0 … 1) and final train loss (right
// axis, following the data) against the swept learning rate or batch size on a log axis; a diverged run
// is a cross at the top with the word. Each point is a button (click, Enter or Space) that shows that
// run's curves; the table beside the chart holds the same numbers as text.

import { memo, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import type { SweepKind, SweepPointView } from '../../store/sweep-slice';
import { useT } from '../../i18n/use-t';
import { GRID_FRACTIONS, lossAxis, lossFraction } from '../curve-math';
import { fixed2 } from '../format';
import { useCurveColours } from '../PaletteSwitch';
import { logAxis, logFraction, pathData, shortNumber } from './chart-math';
import { useWidth } from './use-width';

const HEIGHT = 230;
const M = { left: 44, right: 44, top: 22, bottom: 34 };
/** The colour of a diverged run's cross. */
export const DIVERGED_COLOUR = '#9b1c1c';

/** The swept value of a point. */
export function sweptValue(kind: SweepKind, p: SweepPointView): number {
  return kind === 'lr' ? p.result.lr : p.result.batchSize;
}

/** A swept value as the window writes it: a learning rate in 3 significant digits, a batch size whole. */
export function formatSwept(kind: SweepKind, v: number): string {
  return kind === 'lr' ? shortNumber(v) : String(v);
}

interface Props {
  kind: SweepKind;
  /** Every value the sweep runs (the axis covers them all from the start). */
  values: readonly number[];
  points: readonly SweepPointView[];
  selected: number | null;
  onSelect: (run: number) => void;
}

/** The sweep's chart. */
export const SweepChart = memo(function SweepChart({ kind, values, points, selected, onSelect }: Props) {
  const t = useT();
  const colours = useCurveColours(); // the live curves' test accuracy and train loss colours
  const [box, width] = useWidth<HTMLDivElement>();
  const x = logAxis(values, kind === 'lr');
  const losses = points.map((p) => p.result.trainLoss).filter((v): v is number => v !== null && Number.isFinite(v));
  const loss = lossAxis(losses.length ? Math.min(0, ...losses) : Number.NaN, losses.length ? Math.max(...losses) : Number.NaN);
  const pw = Math.max(10, width - M.left - M.right);
  const ph = HEIGHT - M.top - M.bottom;
  const sx = (v: number): number => M.left + logFraction(x, v) * pw;
  const sAcc = (v: number): number => M.top + ph * (1 - v);
  const sLoss = (v: number): number => M.top + ph * (1 - Math.min(1, Math.max(0, lossFraction(loss, v))));
  const sorted = [...points].sort((a, b) => sweptValue(kind, a) - sweptValue(kind, b));
  const finite = sorted.filter((p) => !p.result.diverged && p.result.testAcc !== null);
  const what = t(kind === 'lr' ? 'sweep.lr' : 'sweep.batchSize');
  const label = (p: SweepPointView): string => p.result.diverged
    ? t('sweep.pointDiverged', { what, value: formatSwept(kind, sweptValue(kind, p)) })
    : t('sweep.point', { what, value: formatSwept(kind, sweptValue(kind, p)), testAcc: fixed2(p.result.testAcc), trainLoss: fixed2(p.result.trainLoss) });
  const onKey = (e: ReactKeyboardEvent, run: number): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onSelect(run);
    }
  };
  const band = values.length > 1 ? Math.max(8, Math.min(40, pw / values.length)) : 40;
  return (
    <div ref={box} className="sweep-chart" role="group" aria-label={t(kind === 'lr' ? 'sweep.chartLr' : 'sweep.chartBatch')} data-points={points.length}>
      <svg width={width} height={HEIGHT}>
        {GRID_FRACTIONS.map((f) => <line key={f} className="grid" x1={M.left} x2={M.left + pw} y1={M.top + ph * (1 - f)} y2={M.top + ph * (1 - f)} />)}
        <rect className="frame" x={M.left} y={M.top} width={pw} height={ph} />
        {GRID_FRACTIONS.map((f) => <text key={`a${f}`} className="tick" x={M.left - 5} y={M.top + ph * (1 - f) + 4} textAnchor="end">{f.toFixed(1)}</text>)}
        {loss.ticks.map((v, i) => <text key={`l${i}`} className="tick" x={M.left + pw + 5} y={M.top + ph * (1 - GRID_FRACTIONS[i]) + 4}>{shortNumber(v)}</text>)}
        {x.ticks.map((v) => (
          <g key={`x${v}`}>
            <line className="grid" x1={sx(v)} x2={sx(v)} y1={M.top + ph} y2={M.top + ph + 4} />
            <text className="tick" x={sx(v)} y={M.top + ph + 15} textAnchor="middle">{formatSwept(kind, v)}</text>
          </g>
        ))}
        <text className="axis-label" x={M.left} y={12} fill={colours.testAcc}>{t('sweep.testAccAxis')}</text>
        <text className="axis-label" x={M.left + pw} y={12} textAnchor="end" fill={colours.loss}>{t('sweep.trainLossAxis')}</text>
        <text className="axis-label" x={M.left + pw / 2} y={HEIGHT - 3} textAnchor="middle">{t(kind === 'lr' ? 'sweep.lrAxis' : 'sweep.batchAxis')}</text>
        <path d={pathData(finite.map((p) => [sx(sweptValue(kind, p)), sAcc(p.result.testAcc as number)]))} fill="none" stroke={colours.testAcc} strokeWidth={2} />
        <path d={pathData(finite.map((p) => [sx(sweptValue(kind, p)), sLoss(p.result.trainLoss as number)]))} fill="none" stroke={colours.loss} strokeWidth={1.5} strokeDasharray="6 3" />
        {sorted.map((p) => {
          const cx = sx(sweptValue(kind, p));
          const chosen = p.run === selected;
          return (
            <g key={p.run} role="button" tabIndex={0} aria-label={label(p)} aria-pressed={chosen} className={chosen ? 'sweep-point chosen' : 'sweep-point'}
              data-run={p.run} data-diverged={p.result.diverged} onClick={() => onSelect(p.run)} onKeyDown={(e) => onKey(e, p.run)}>
              <rect className="hit" x={cx - band / 2} y={M.top} width={band} height={ph} />
              {p.result.diverged || p.result.testAcc === null || p.result.trainLoss === null ? (
                <>
                  <path d={`M${cx - 5} ${M.top + 3}L${cx + 5} ${M.top + 13}M${cx + 5} ${M.top + 3}L${cx - 5} ${M.top + 13}`} stroke={DIVERGED_COLOUR} strokeWidth={2.5} />
                  <text className="tick" x={cx} y={M.top + 26} textAnchor="middle" fill={DIVERGED_COLOUR}>{t('sweep.divergedMark')}</text>
                </>
              ) : (
                <>
                  <circle cx={cx} cy={sAcc(p.result.testAcc)} r={4} fill={colours.testAcc} />
                  <rect x={cx - 3.5} y={sLoss(p.result.trainLoss) - 3.5} width={7} height={7} fill={colours.loss} />
                </>
              )}
            </g>
          );
        })}
      </svg>
      <ul className="legend small" aria-hidden="true">
        <li><svg width="18" height="8"><line x1="0" x2="18" y1="4" y2="4" stroke={colours.testAcc} strokeWidth="2" /><circle cx="9" cy="4" r="3" fill={colours.testAcc} /></svg>{t('sweep.testAccLegend')}</li>
        <li><svg width="18" height="8"><line x1="0" x2="18" y1="4" y2="4" stroke={colours.loss} strokeWidth="1.5" strokeDasharray="6 3" /><rect x="6" y="1" width="6" height="6" fill={colours.loss} /></svg>{t('sweep.trainLossLegend')}</li>
        <li><svg width="12" height="10"><path d="M1 1L11 9M11 1L1 9" stroke={DIVERGED_COLOUR} strokeWidth="2" /></svg>{t('sweep.divergedLegend')}</li>
      </ul>
    </div>
  );
});
