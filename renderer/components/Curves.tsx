// The training curves (d2l's Animator, done well): train loss and train accuracy per batch (fractional
// epochs, downsampled by the store), test accuracy per epoch, dashed markers where the lr changed, and
// the last few runs faintly behind. recharts with animation off; data never contains NaN.

import { useMemo } from 'react';
import { CartesianGrid, Line, LineChart, ReferenceLine, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import { useLab } from '../store';
import { visibleTrain } from '../store/metrics-slice';
import { useT } from '../i18n/use-t';
import { formatLr } from './format';

/** Series colours (also used by the legend). */
export const CURVE_COLOURS = { loss: '#d1495b', trainAcc: '#2e86ab', testAcc: '#3c9d5d', marker: '#8a6d00' } as const;

/** Markers drawn with a text label; older ones are drawn without, to keep the chart legible. */
const LABELLED_MARKERS = 6;

/** The "Training curves" region. */
export function Curves() {
  const t = useT();
  const train = useLab((s) => s.metrics.train);
  const pending = useLab((s) => s.metrics.pending);
  const test = useLab((s) => s.metrics.test);
  const markers = useLab((s) => s.metrics.lrMarkers);
  const pastRuns = useLab((s) => s.metrics.pastRuns);
  const epochs = useLab((s) => s.run.config.epochs);
  const points = useMemo(() => visibleTrain({ train, pending }), [train, pending]);
  const empty = points.length === 0 && test.length === 0;
  const maxX = Math.max(epochs, points.length ? points[points.length - 1].x : 0);
  return (
    <section className="curves" aria-label={t('curves.region')} data-points={points.length} data-test-points={test.length} data-markers={markers.length}>
      <h2>{t('curves.title')}</h2>
      <ul className="legend" aria-hidden="true">
        <li><i style={{ background: CURVE_COLOURS.loss }} />{t('curves.trainLoss')}</li>
        <li><i style={{ background: CURVE_COLOURS.trainAcc }} />{t('curves.trainAcc')}</li>
        <li><i style={{ background: CURVE_COLOURS.testAcc }} />{t('curves.testAcc')}</li>
        <li><i className="faint" />{t('curves.pastRun')}</li>
        <li><i className="dashed" style={{ borderColor: CURVE_COLOURS.marker }} />{t('curves.lrMarker', { lr: '' })}</li>
      </ul>
      <div className="chart">
        <ResponsiveContainer width="100%" height="100%" minHeight={200}>
          <LineChart margin={{ top: 16, right: 8, bottom: 8, left: 0 }}>
            <CartesianGrid stroke="#e4e4e4" />
            <XAxis type="number" dataKey="x" domain={[0, maxX]} allowDataOverflow tickCount={Math.min(11, maxX + 1)} label={{ value: t('curves.epoch'), position: 'insideBottomRight', offset: -4 }} />
            <YAxis yAxisId="loss" domain={[0, (max: number) => Math.max(1, Math.ceil(max * 2) / 2)]} width={40} label={{ value: t('curves.loss'), angle: -90, position: 'insideLeft' }} />
            <YAxis yAxisId="acc" orientation="right" domain={[0, 1]} width={40} label={{ value: t('curves.accuracy'), angle: 90, position: 'insideRight' }} />
            {pastRuns.map((r) => [
              <Line key={`pl${r.id}`} data={r.train} dataKey="loss" yAxisId="loss" stroke={CURVE_COLOURS.loss} strokeOpacity={0.18} dot={false} isAnimationActive={false} />,
              <Line key={`pa${r.id}`} data={r.train} dataKey="acc" yAxisId="acc" stroke={CURVE_COLOURS.trainAcc} strokeOpacity={0.18} dot={false} isAnimationActive={false} />,
              <Line key={`pt${r.id}`} data={r.test} dataKey="testAcc" yAxisId="acc" stroke={CURVE_COLOURS.testAcc} strokeOpacity={0.25} dot={false} isAnimationActive={false} />,
            ])}
            {markers.map((m, i) => (
              <ReferenceLine key={`m${i}`} x={m.x} yAxisId="loss" stroke={CURVE_COLOURS.marker} strokeDasharray="4 3"
                label={i >= markers.length - LABELLED_MARKERS ? { value: formatLr(m.lr), position: 'top', fontSize: 11, fill: CURVE_COLOURS.marker } : undefined} />
            ))}
            <Line data={points} dataKey="loss" yAxisId="loss" stroke={CURVE_COLOURS.loss} strokeWidth={1.5} dot={false} isAnimationActive={false} name={t('curves.trainLoss')} />
            <Line data={points} dataKey="acc" yAxisId="acc" stroke={CURVE_COLOURS.trainAcc} strokeWidth={1.5} dot={false} isAnimationActive={false} name={t('curves.trainAcc')} />
            <Line data={test} dataKey="testAcc" yAxisId="acc" stroke={CURVE_COLOURS.testAcc} strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} name={t('curves.testAcc')} />
          </LineChart>
        </ResponsiveContainer>
        {empty && <p className="chart-empty">{t('curves.empty')}</p>}
      </div>
    </section>
  );
}
