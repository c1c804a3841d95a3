// The only way main touches IPC (GitHub Desktop's ipc-main wrappers): `handle` and `on` take their
// types from the contract's channel maps, drop messages whose sender frame is not our page, and
// validate every argument with a zod schema before the handler runs; `sendToRenderer` and
// `postPortToRenderer` are the typed way back. Lint bans ipcMain and webContents.send everywhere else.

import { z } from 'zod';
import { modelFileSchema } from '../../core/model-file';
import { exportFileSchema, runIdSchema, uiLanguageSchema, type EventChannels, type InvokeArgs, type InvokeChannels, type InvokeResult, type SendChannels } from '../../common/contract';
import { isTrustedSenderFrame, type TrustedOrigins } from './guards';

/** The event fields the wrappers look at (IpcMainInvokeEvent / IpcMainEvent). */
export interface IpcEventLike {
  senderFrame: { url: string; parent?: unknown } | null;
  sender: unknown;
}

/** The subset of ipcMain the wrappers use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => void): unknown;
}

/** Argument schemas of every invoke channel, as tuples; a channel missing here cannot be handled. */
export const invokeArgSchemas: { [C in keyof InvokeChannels]: z.ZodType<InvokeArgs<C>> } = {
  'dataset:pickFolder': z.tuple([]),
  'model:save': z.tuple([modelFileSchema]),
  'model:open': z.tuple([]),
  'export:save': z.tuple([exportFileSchema]),
  'runs:list': z.tuple([]),
  'runs:delete': z.tuple([runIdSchema]),
  'runs:openWeights': z.tuple([runIdSchema]),
  'trainer:restart': z.tuple([]),
  'shell:openExternal': z.tuple([z.string().max(2048)]),
};

/** Argument schemas of every send channel. */
export const sendArgSchemas: { [C in keyof SendChannels]: z.ZodType<Parameters<SendChannels[C]>> } = {
  'trainer:connect': z.tuple([]),
  'ui:language': z.tuple([uiLanguageSchema]),
};

/** A renderer main can message (the subset of WebContents used). */
export interface MessageTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** A renderer main can also hand ports to. */
export interface RendererTarget<P = unknown> extends MessageTarget {
  postMessage(channel: string, message: unknown, transfer: P[]): void;
}

/** Sends a typed main → renderer message (nothing when the renderer is gone). */
export function sendToRenderer<C extends Exclude<keyof EventChannels, 'trainer:port'>>(target: MessageTarget, channel: C, payload: EventChannels[C]): void {
  if (!target.isDestroyed()) target.send(channel, payload);
}

/** Hands a renderer a MessagePort to the training process (`trainer:port`). */
export function postPortToRenderer<P>(target: RendererTarget<P>, port: P): void {
  if (!target.isDestroyed()) target.postMessage('trainer:port', null, [port]);
}

/** Thrown to the renderer when a message is refused. */
export class IpcRefusedError extends Error {
  override readonly name = 'IpcRefusedError';
}

/** Typed IPC wrappers bound to one ipcMain and one notion of a trusted sender. */
export interface TypedIpc {
  /** Handles an invoke channel; the handler sees validated, typed arguments and the sender. */
  handle<C extends keyof InvokeChannels>(channel: C, fn: (ctx: { sender: unknown }, ...args: InvokeArgs<C>) => InvokeResult<C> | Promise<InvokeResult<C>>): void;
  /** Listens on a send channel with validated arguments. */
  on<C extends keyof SendChannels>(channel: C, fn: (ctx: { sender: unknown }, ...args: Parameters<SendChannels[C]>) => void): void;
}

/** Short description of a zod failure, for the refusal message (no values echoed back). */
function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue.path.join('.') || '(arguments)'}: ${issue.message}`;
}

/**
 * Creates the typed wrappers. `onRefused` hears every dropped message (logged in production, asserted
 * in tests).
 */
export function createTypedIpc(ipcMain: IpcMainLike, trusted: TrustedOrigins, onRefused: (channel: string, why: string) => void = () => undefined): TypedIpc {
  return {
    handle(channel, fn) {
      const schema = invokeArgSchemas[channel] as z.ZodType<unknown[]>;
      ipcMain.handle(channel, async (event, ...args) => {
        if (!isTrustedSenderFrame(event.senderFrame, trusted)) {
          onRefused(channel, 'untrusted sender');
          throw new IpcRefusedError(`${channel}: refused (untrusted sender)`);
        }
        const parsed = schema.safeParse(args);
        if (!parsed.success) {
          const why = describe(parsed.error);
          onRefused(channel, why);
          throw new IpcRefusedError(`${channel}: invalid arguments (${why})`);
        }
        return fn({ sender: event.sender }, ...(parsed.data as InvokeArgs<typeof channel>));
      });
    },
    on(channel, fn) {
      const schema = sendArgSchemas[channel] as z.ZodType<unknown[]>;
      ipcMain.on(channel, (event, ...args) => {
        if (!isTrustedSenderFrame(event.senderFrame, trusted)) return onRefused(channel, 'untrusted sender');
        const parsed = schema.safeParse(args);
        if (!parsed.success) return onRefused(channel, describe(parsed.error));
        fn({ sender: event.sender }, ...(parsed.data as Parameters<SendChannels[typeof channel]>));
      });
    },
  };
}
