// The legend entries of the runs compared on the curves: each run's stroke (its colour and dash pattern,
// its test-accuracy marker) and its name, as the canvas draws them.

import { useLab } from '../store';
import { useT } from '../i18n/use-t';
import { runName } from './run-time';
import { compareStyle, isOpenMarker, markerPath } from './compared-curves';

/** A compared run's sample: its dashed line with its marker in the middle, in the palette in use. */
export function ComparedSample({ slot }: { slot: number }) {
  const palette = useLab((st) => st.settings.palette);
  const s = compareStyle(slot, palette);
  const open = isOpenMarker(s.marker);
  return (
    <svg className="line-sample" width="30" height="10" viewBox="0 0 30 10" aria-hidden="true" data-slot={slot}>
      <line x1="0" y1="5" x2="30" y2="5" stroke={s.colour} strokeWidth="2" strokeDasharray={s.dash.join(' ')} />
      <path d={markerPath(s.marker, 15, 5, 3.2)} fill={open ? 'none' : s.colour} stroke={open ? s.colour : 'none'} strokeWidth="1.5" />
    </svg>
  );
}

/** The legend items of the compared runs (none when no run is compared). */
export function ComparedLegend() {
  const t = useT();
  const lang = useLab((s) => s.settings.language);
  const shown = useLab((s) => s.compare.shown);
  const entries = useLab((s) => s.history.entries);
  return (
    <>
      {shown.map((c) => {
        const e = entries.find((x) => x.ok && x.run.id === c.id);
        if (!e?.ok) return null;
        return <li key={c.id} data-compared={c.id}><ComparedSample slot={c.slot} />{runName(t, lang, e.run)}</li>;
      })}
    </>
  );
}
