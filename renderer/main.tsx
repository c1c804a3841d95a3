// Entry of the lab window: uses window.api when the Electron preload installed it, otherwise installs
// the web bridge (the trainer in a Web Worker); wires the store to the bridge once, asks for the
// dataset, and renders the App with its styles and fonts.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createWebBridge } from './bridge/web-bridge';
import { wireBridge } from './store/wire';
// The Chinese UI's font, bundled: 400 and 700, in the package's ~100 unicode-range subsets, so a page
// downloads only the subsets holding the characters it shows (none for the English UI on most systems).
import '@fontsource/noto-sans-sc/400.css';
import '@fontsource/noto-sans-sc/700.css';
import './styles.css';

const w = window as Partial<Window> & Window;
if (!w.api) w.api = createWebBridge();
wireBridge(window.api);
window.api.loadDataset();

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
