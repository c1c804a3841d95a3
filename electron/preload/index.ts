// The preload (bundled as CommonJS: a sandboxed preload cannot load ES modules): exposes the LabApi
// verbs as window.api through contextBridge. The raw ipcRenderer never reaches the page.

import { contextBridge, ipcRenderer } from 'electron';
import { createLabApi, type IpcRendererLike } from './api';

contextBridge.exposeInMainWorld('api', createLabApi(ipcRenderer as unknown as IpcRendererLike));
