// One recorded run's curves as a small SVG chart: train loss (left axis, following the data) and train
// accuracy per recorded batch, test accuracy per epoch with dots (right axis, 0 … 1), dashed lines where
// the learning rate changed. Drawn from a RunRecord (a sweep's point, a run of the history), so it needs
// nothing from the training process; the image's name says the run's numbers in words.

import { memo, useMemo } from 'react';
import type { RunRecord } from '../../../common/contract';
import { recordCurves } from '../../store/compare-slice';
import { useT } from '../../i18n/use-t';
import { GRID_FRACTIONS, lossAxis, lossFraction, lossRange } from '../curve-math';
import { fixed2, formatLr } from '../format';
import { pathData, shortNumber } from './chart-math';
import { useWidth } from './use-width';
import { useCurveColours } from '../PaletteSwitch';

const HEIGHT = 220;
const M = { left: 44, right: 40, top: 12, bottom: 30 };

/** A recorded run's curves, `title` above them. */
export const RecordCurves = memo(function RecordCurves({ record, title }: { record: RunRecord; title: string }) {
  const t = useT();
  // The live curves' series colours and strokes, in the palette in use, so a reader sees the same series.
  const colours = useCurveColours();
  const [box, width] = useWidth<HTMLDivElement>();
  const curves = useMemo(() => recordCurves(record, 300), [record]);
  const maxX = Math.max(record.config.epochs, Math.ceil(curves.maxX), 1);
  const range = lossRange(curves.train);
  const axis = lossAxis(range.min, range.max);
  const pw = Math.max(10, width - M.left - M.right);
  const ph = HEIGHT - M.top - M.bottom;
  const sx = (x: number): number => M.left + (x / maxX) * pw;
  const sLoss = (v: number): number => M.top + ph * (1 - Math.min(1, Math.max(0, lossFraction(axis, v))));
  const sAcc = (v: number): number => M.top + ph * (1 - v);
  const xTicks = Array.from({ length: Math.min(maxX, 10) + 1 }, (_, i) => Math.round((i * maxX) / Math.min(maxX, 10)));
  const last = record.epochs.at(-1);
  const summary = t('record.summary', {
    title,
    epochs: record.epochs.length,
    loss: fixed2(curves.train[0]?.loss),
    lossEnd: fixed2(curves.train.at(-1)?.loss),
    testAcc: fixed2(last?.testAcc),
  });
  return (
    <figure className="record-curves" data-testid="record-curves" data-run={record.id}>
      <figcaption>{title}</figcaption>
      <div ref={box} className="record-chart">
        <svg width={width} height={HEIGHT} role="img" aria-label={summary}>
          {GRID_FRACTIONS.map((f) => <line key={f} className="grid" x1={M.left} x2={M.left + pw} y1={M.top + ph * (1 - f)} y2={M.top + ph * (1 - f)} />)}
          <rect className="frame" x={M.left} y={M.top} width={pw} height={ph} />
          {axis.ticks.map((v, i) => <text key={`l${i}`} className="tick" x={M.left - 5} y={M.top + ph * (1 - GRID_FRACTIONS[i]) + 4} textAnchor="end">{shortNumber(v)}</text>)}
          {GRID_FRACTIONS.map((f) => <text key={`a${f}`} className="tick" x={M.left + pw + 5} y={M.top + ph * (1 - f) + 4}>{f.toFixed(1)}</text>)}
          {xTicks.map((x) => <text key={`x${x}`} className="tick" x={sx(x)} y={M.top + ph + 14} textAnchor="middle">{x}</text>)}
          <text className="axis-label" x={M.left + pw} y={HEIGHT - 2} textAnchor="end">{t('curves.epoch')}</text>
          {record.lrChanges.map((c, i) => (
            <g key={`m${i}`}>
              <line x1={sx(c.epochProgress)} x2={sx(c.epochProgress)} y1={M.top} y2={M.top + ph} stroke={colours.marker} strokeDasharray="4 3" />
              <text className="tick" x={sx(c.epochProgress) + 3} y={M.top + 10} fill={colours.marker}>{formatLr(c.to)}</text>
            </g>
          ))}
          <path d={pathData(curves.train.map((p) => [sx(p.x), sLoss(p.loss)]))} fill="none" stroke={colours.loss} strokeWidth={1.5} />
          <path d={pathData(curves.train.map((p) => [sx(p.x), sAcc(p.acc)]))} fill="none" stroke={colours.trainAcc} strokeWidth={1.5} strokeDasharray="7 3" />
          <path d={pathData(curves.test.map((p) => [sx(p.x), sAcc(p.testAcc)]))} fill="none" stroke={colours.testAcc} strokeWidth={2} strokeDasharray="2 2" />
          {curves.test.map((p) => <circle key={p.x} cx={sx(p.x)} cy={sAcc(p.testAcc)} r={3} fill="#fff" stroke={colours.testAcc} strokeWidth={1.5} />)}
        </svg>
      </div>
      <ul className="legend small" aria-hidden="true">
        <li><svg width="18" height="6"><line x1="0" x2="18" y1="3" y2="3" stroke={colours.loss} strokeWidth="2" /></svg>{t('curves.trainLoss')}</li>
        <li><svg width="18" height="6"><line x1="0" x2="18" y1="3" y2="3" stroke={colours.trainAcc} strokeWidth="2" strokeDasharray="7 3" /></svg>{t('curves.trainAcc')}</li>
        <li><svg width="18" height="6"><line x1="0" x2="18" y1="3" y2="3" stroke={colours.testAcc} strokeWidth="2" strokeDasharray="2 2" /></svg>{t('curves.testAcc')}</li>
      </ul>
    </figure>
  );
});
