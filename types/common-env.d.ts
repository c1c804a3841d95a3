// The few globals common/ uses that every runtime it runs in has (Node, the browser, a Web Worker, an
// Electron preload) but ES2022's lib does not declare. Only tsconfig.common.json includes this file; the
// other configs get the same names from @types/node or lib.dom.

declare class URL {
  constructor(url: string, base?: string);
  readonly href: string;
  readonly protocol: string;
  readonly username: string;
  readonly password: string;
  readonly host: string;
}
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare const console: { error(...data: unknown[]): void; warn(...data: unknown[]): void };
interface AbortSignal {
  readonly aborted: boolean;
}
declare class AbortController {
  readonly signal: AbortSignal;
  abort(reason?: unknown): void;
}
