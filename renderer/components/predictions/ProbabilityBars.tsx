// The ten class probabilities as horizontal bars with their numbers, the top class in bold and,
// optionally, the true class marked. Used by the gallery's details and the own-image result.

import { NUM_CLASSES } from '../../../core/shapes';
import { className } from '../../i18n';
import { useT } from '../../i18n/use-t';
import { useLab } from '../../store';
import { argmax } from '../../predictions/evidence';

/** A probability as a percentage with one decimal. */
export function formatProbability(p: number): string {
  return `${(p * 100).toFixed(1)}%`;
}

/** Bars for `probs` (10); `trueClass` gets a marker when given. */
export function ProbabilityBars({ probs, trueClass = null }: { probs: Float32Array; trueClass?: number | null }) {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const top = argmax(probs);
  return (
    <ol className="prob-bars" aria-label={t('probs.list')}>
      {Array.from({ length: NUM_CLASSES }, (_, k) => {
        const name = className(lang, k);
        const p = probs[k];
        return (
          <li key={k} className={k === top ? 'prob top' : 'prob'} aria-label={t('probs.item', { name, p: formatProbability(p) })}>
            <span className="prob-name">
              {name}
              {k === trueClass ? <span className="prob-true" title={t('gallery.true', { name })}> ✓</span> : null}
            </span>
            <span className="prob-track" aria-hidden="true">
              <span className="prob-fill" style={{ width: `${Math.max(0, Math.min(1, p)) * 100}%` }} />
            </span>
            <span className="prob-value">{formatProbability(p)}</span>
          </li>
        );
      })}
    </ol>
  );
}
