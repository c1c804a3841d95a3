// Fakes of the Electron objects the main process touches (ipcMain, WebContents, Session, app,
// UtilityProcess, MessageChannelMain), so guards, IPC wrappers and TrainerProcess are tested under Node.
// They record what was called; none of them imports 'electron'.

import { EventEmitter } from 'node:events';
import type { ChildGoneDetails, ForkFn, ForkOptions, PortTarget, UtilityChild } from '../../electron/main/trainer-process';
import type { IpcEventLike, IpcMainLike } from '../../electron/main/ipc';
import type { ParentMessage } from '../../electron/worker/parent-messages';

/** An IPC event from a frame at `url` (a top-level frame unless `parent` is given). */
export function fakeIpcEvent(url: string | null, opts: { parent?: unknown; sender?: unknown } = {}): IpcEventLike {
  return { senderFrame: url === null ? null : { url, parent: opts.parent ?? null }, sender: opts.sender ?? { id: 1 } };
}

/** ipcMain: records handlers and lets tests invoke/send as a renderer would. */
export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  readonly listeners = new Map<string, ((event: IpcEventLike, ...args: unknown[]) => void)[]>();
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }
  /** Invokes a channel as ipcRenderer.invoke would. */
  async invoke(event: IpcEventLike, channel: string, ...args: unknown[]): Promise<unknown> {
    const h = this.handlers.get(channel);
    if (!h) throw new Error(`No handler registered for '${channel}'`);
    return h(event, ...args);
  }
  /** Sends on a channel as ipcRenderer.send would. */
  send(event: IpcEventLike, channel: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(channel) ?? []) l(event, ...args);
  }
}

/** A navigation event. */
export class FakeNavigationEvent {
  defaultPrevented = false;
  constructor(readonly url = '') {}
  preventDefault(): void {
    this.defaultPrevented = true;
  }
}

/** WebContents: navigation events, the window-open handler, posted ports and sent messages. */
export class FakeWebContents extends EventEmitter implements PortTarget<FakePort> {
  private static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' }) | null = null;
  readonly posted: { channel: string; message: unknown; transfer: FakePort[] }[] = [];
  readonly sent: { channel: string; payload: unknown }[] = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.windowOpenHandler = handler;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  postMessage(channel: 'trainer:port', message: null, transfer: FakePort[]): void {
    this.posted.push({ channel, message, transfer });
  }
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }
  destroy(): void {
    this.destroyed = true;
    this.emit('destroyed');
  }
}

/** Session: the permission handlers installed. */
export class FakeSession {
  requestHandler: ((wc: unknown, permission: string, cb: (granted: boolean) => void) => void) | null = null;
  checkHandler: ((wc: unknown, permission: string) => boolean) | null = null;
  setPermissionRequestHandler(h: FakeSession['requestHandler']): void {
    this.requestHandler = h;
  }
  setPermissionCheckHandler(h: FakeSession['checkHandler']): void {
    this.checkHandler = h;
  }
}

/** One end of a fake MessageChannelMain. */
export class FakePort {
  constructor(readonly channel: number, readonly end: 1 | 2) {}
}

/** MessageChannelMain factory that numbers its channels. */
export function fakeChannelFactory(): { create: () => { port1: FakePort; port2: FakePort }; count: () => number } {
  let n = 0;
  return {
    create: () => {
      n++;
      return { port1: new FakePort(n, 1), port2: new FakePort(n, 2) };
    },
    count: () => n,
  };
}

/** app: emits 'child-process-gone'. */
export class FakeApp extends EventEmitter {
  /** Emits child-process-gone as Electron does. */
  childGone(details: ChildGoneDetails): void {
    this.emit('child-process-gone', {}, details);
  }
}

/** How a fake utility process reacts to 'shutdown'. */
export type ShutdownBehaviour = 'exit' | 'hang';

/** A UtilityProcess that records messages and exits/crashes on command. */
export class FakeUtilityProcess extends EventEmitter implements UtilityChild<FakePort> {
  private static nextPid = 4000;
  readonly pid = FakeUtilityProcess.nextPid++;
  readonly messages: { message: ParentMessage; transfer: FakePort[] }[] = [];
  killed = false;
  alive = true;
  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: ForkOptions,
    public onShutdown: ShutdownBehaviour = 'exit',
  ) {
    super();
    queueMicrotask(() => this.emit('spawn'));
  }
  postMessage(message: ParentMessage, transfer: FakePort[] = []): void {
    if (!this.alive) throw new Error('process is gone');
    this.messages.push({ message, transfer });
    if (message.type === 'shutdown' && this.onShutdown === 'exit') setTimeout(() => this.exit(0), 5);
  }
  kill(): boolean {
    this.killed = true;
    setTimeout(() => this.exit(15), 5);
    return true;
  }
  /** The process ends with `code`. */
  exit(code: number): void {
    if (!this.alive) return;
    this.alive = false;
    this.emit('exit', code);
  }
}

/** A fork function that records every process it starts. */
export function fakeFork(onShutdown: ShutdownBehaviour = 'exit'): { fork: ForkFn<FakePort>; children: FakeUtilityProcess[] } {
  const children: FakeUtilityProcess[] = [];
  return {
    children,
    fork: (modulePath, args, options) => {
      const child = new FakeUtilityProcess(modulePath, args, options, onShutdown);
      children.push(child);
      return child;
    },
  };
}
