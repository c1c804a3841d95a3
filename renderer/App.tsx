// The lab window's layout (TensorFlow Playground's): a header, then a control bar that stays in view
// while the page scrolls (run buttons, pace, learning rate, the status line and the batch readout), the
// run's setup (settings, dataset, model files), then the instrument itself: the curves, the ten weight
// templates with the run history beside them, the comparison of runs and the sweeps, and the prediction
// views. One column of full-width sections, so no column is left half empty at any width; the curves come
// right after the setup.

import { useEffect, useRef } from 'react';
import { BatchReadout } from './components/BatchReadout';
import { Controls, RunSettings } from './components/Controls';
import { CrashBanner } from './components/CrashBanner';
import { Curves } from './components/Curves';
import { DatasetStatus } from './components/DatasetStatus';
import { ComparePanel } from './components/experiments/ComparePanel';
import { SweepsPanel } from './components/experiments/SweepsPanel';
import { HistoryPanel } from './components/HistoryPanel';
import { InsidePanel } from './components/inside/InsidePanel';
import { LanguageSwitch } from './components/LanguageSwitch';
import { ModelBar } from './components/ModelBar';
import { PaletteSwitch } from './components/PaletteSwitch';
import { PredictionsPanel } from './components/predictions/PredictionsPanel';
import { StatusLine } from './components/StatusLine';
import { WeightsPanel } from './components/WeightsPanel';
import { useT } from './i18n/use-t';

/** The whole lab window. */
export function App() {
  const t = useT();
  useEffect(() => {
    document.title = t('app.title');
  }, [t]);
  const bar = useRef<HTMLDivElement | null>(null);
  useEffect(() => {
    // The sticky bar's height, for scroll margins: what is scrolled into view is not hidden under it.
    const el = bar.current;
    if (!el || typeof ResizeObserver !== 'function') return;
    const observer = new ResizeObserver(() => document.documentElement.style.setProperty('--bar-height', `${el.offsetHeight}px`));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <p className="subtitle">{t('app.subtitle')}</p>
        <PaletteSwitch />
        <LanguageSwitch />
      </header>
      <div className="control-bar" data-testid="control-bar" ref={bar}>
        <Controls />
        <div className="header-status">
          <StatusLine />
          <BatchReadout />
        </div>
      </div>
      <CrashBanner />
      <main className="app-main">
        <div className="setup">
          <RunSettings />
          <div className="setup-side">
            <DatasetStatus />
            <ModelBar />
          </div>
        </div>
        <Curves />
        <div className="weights-row">
          <WeightsPanel />
          <HistoryPanel />
        </div>
        <ComparePanel />
        <SweepsPanel />
        <PredictionsPanel />
        <InsidePanel />
      </main>
    </div>
  );
}
