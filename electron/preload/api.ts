// The LabApi behind window.api in Electron, as a plain factory over an ipcRenderer-like object so it is
// unit-tested under Node. The trainer verbs are the shared TrainerClient's (common/trainer-client.ts) over
// the MessagePort main hands us (`trainer:port`); dialogs, files and restarts are typed invokes, main's
// messages typed listeners. No Electron object ever leaks out.

import type { EventChannels, InvokeArgs, InvokeChannels, InvokeResult, LabApi, MenuCommand, SendChannels, UiLanguage, Unsubscribe } from '../../common/contract';
import { trainerCrashedSchema, menuCommandSchema } from '../../common/contract';
import { TrainerClient, type TrainerClientOptions } from '../../common/trainer-client';

/** A DOM MessagePort as the preload sees it. */
export interface RendererPort {
  postMessage(message: unknown, transfer?: unknown[]): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

/** The subset of ipcRenderer used. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: { ports: readonly RendererPort[] }, ...args: unknown[]) => void): unknown;
}

/** The Electron LabApi, with the menu hook the app adds. */
export type ElectronLabApi = LabApi & { onMenuCommand(listener: (command: MenuCommand) => void): Unsubscribe; setLanguage(language: UiLanguage): void };

/** The typed wrappers over ipcRenderer: the only code that names a channel. */
export function typedIpc(ipc: IpcRendererLike) {
  return {
    invoke: <C extends keyof InvokeChannels>(channel: C, ...args: InvokeArgs<C>): Promise<InvokeResult<C>> => ipc.invoke(channel, ...args) as Promise<InvokeResult<C>>,
    send: <C extends keyof SendChannels>(channel: C, ...args: Parameters<SendChannels[C]>): void => ipc.send(channel, ...args),
    /** Listens to a main → renderer channel; the payload is validated by `parse` (null when invalid). */
    on: <C extends keyof EventChannels>(channel: C, parse: (payload: unknown) => EventChannels[C] | undefined, listener: (payload: EventChannels[C], ports: readonly RendererPort[]) => void): void => {
      ipc.on(channel, (event, payload) => {
        const value = parse(payload);
        if (value !== undefined) listener(value, event.ports);
      });
    },
  };
}

/** Creates window.api over ipcRenderer. */
export function createLabApi(ipc: IpcRendererLike, options: TrainerClientOptions = {}): ElectronLabApi {
  const client = new TrainerClient(options);
  const menuListeners = new Set<(command: MenuCommand) => void>();
  const typed = typedIpc(ipc);

  typed.on('trainer:port', () => null, (_payload, ports) => {
    const port = ports[0];
    if (!port) return;
    port.addEventListener('message', (e) => client.receive(e.data));
    port.start();
    client.attach({ postMessage: (m, transfer) => port.postMessage(m, transfer ?? []), close: () => port.close() });
  });
  typed.on('trainer:crashed', (p) => trainerCrashedSchema.safeParse(p).data, (crash) => client.crashed(crash));
  typed.on('runs:changed', () => null, () => client.emit({ kind: 'historyChanged' }));
  typed.on('menu:command', (p) => menuCommandSchema.safeParse(p).data, (command) => {
    for (const l of [...menuListeners]) l(command);
  });

  typed.send('trainer:connect');

  return {
    platform: 'electron',
    ...client.verbs(),
    setLanguage: (language) => typed.send('ui:language', language),
    onMenuCommand(listener) {
      menuListeners.add(listener);
      return () => void menuListeners.delete(listener);
    },
    pickDatasetFolder: () => typed.invoke('dataset:pickFolder'),
    saveModel: (model) => typed.invoke('model:save', model),
    openModel: () => typed.invoke('model:open'),
    saveExport: (file) => typed.invoke('export:save', file),
    listRuns: () => typed.invoke('runs:list'),
    deleteRun: (id) => typed.invoke('runs:delete', id),
    openRunWeights: (id) => typed.invoke('runs:openWeights', id),
    restartTrainer: () => typed.invoke('trainer:restart'),
    openExternal: (url) => typed.invoke('shell:openExternal', url),
  };
}
