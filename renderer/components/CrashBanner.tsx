// Shown when the trainer (utility process or Web Worker) went away: the reason and a Restart button.

import { useLab } from '../store';
import { restartTrainer } from '../store/actions';
import { useT } from '../i18n/use-t';

/** The crash message with Restart, or nothing while the trainer is alive. */
export function CrashBanner() {
  const t = useT();
  const crash = useLab((s) => s.run.crash);
  if (!crash) return null;
  return (
    <div className="crash" role="alert">
      <strong>{t('crash.title')}</strong>
      <p>{crash}</p>
      <button type="button" onClick={() => void restartTrainer()}>{t('crash.restart')}</button>
    </div>
  );
}
