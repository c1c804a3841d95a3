// window.api: the renderer's only way out, installed by the Electron preload or by the web bridge.

import type { LabApi } from '../../common/contract';

declare global {
  interface Window {
    /** The lab's API (electron/shared/contract.ts). */
    api: LabApi;
  }
}

export {};
