// The lab window's layout: header with the status line, the controls and dataset status on the left,
// the training curves and the weight heatmaps in the middle. Panels are plain components reading the
// store; an extra panel (e.g. issue 6's <PredictionsPanel/>) goes in the marked slot below.

import { BatchReadout } from './components/BatchReadout';
import { Controls } from './components/Controls';
import { CrashBanner } from './components/CrashBanner';
import { Curves } from './components/Curves';
import { DatasetStatus } from './components/DatasetStatus';
import { HistoryPanel } from './components/HistoryPanel';
import { LanguageSwitch } from './components/LanguageSwitch';
import { ModelBar } from './components/ModelBar';
import { PredictionsPanel } from './components/predictions/PredictionsPanel';
import { StatusLine } from './components/StatusLine';
import { WeightsPanel } from './components/WeightsPanel';
import { useT } from './i18n/use-t';

/** The whole lab window. */
export function App() {
  const t = useT();
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <p className="subtitle">{t('app.subtitle')}</p>
        <LanguageSwitch />
        <div className="header-status">
          <StatusLine />
          <BatchReadout />
        </div>
      </header>
      <CrashBanner />
      <main className="app-main">
        <aside className="app-side">
          <DatasetStatus />
          <Controls />
          <ModelBar />
          <HistoryPanel />
        </aside>
        <div className="app-center">
          <Curves />
          <WeightsPanel />
          {/* Extension point (issue 6): further panels, e.g. <PredictionsPanel />, go here. */}
          <PredictionsPanel />
        </div>
      </main>
    </div>
  );
}
